import Foundation

/// A bounded first-in-first-out hand-off from one producing thread to one consuming thread: the
/// producer blocks when `capacity` values wait (memory stays flat), the consumer when none does.
/// Either side may stop early: `close` ends the stream after what was put (with the producer's
/// error, if it failed, for the consumer to rethrow), `cancel` makes every further `put` return
/// false so the producer can quit.
final class Handoff<T: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [T] = []
    private var closed = false
    private var cancelled = false
    private var failure: (any Error)?
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// False once the consumer cancelled: the value was dropped and the producer should stop.
    func put(_ value: T) -> Bool {
        condition.lock(); defer { condition.unlock() }
        while queue.count >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        queue.append(value)
        condition.broadcast()
        return true
    }

    /// Ends the stream; `error` (the producer failed) is thrown by `take` after the last value.
    func close(throwing error: (any Error)? = nil) {
        condition.lock(); defer { condition.unlock() }
        closed = true
        failure = error
        condition.broadcast()
    }

    /// The next value in order, or nil once the producer closed and everything was taken.
    func take() throws -> T? {
        condition.lock(); defer { condition.unlock() }
        while queue.isEmpty && !closed && !cancelled { condition.wait() }
        if queue.isEmpty {
            if let failure, !cancelled { throw failure }
            return nil
        }
        condition.broadcast()
        return queue.removeFirst()
    }

    func cancel() {
        condition.lock(); defer { condition.unlock() }
        cancelled = true
        queue.removeAll()
        condition.broadcast()
    }
}

/// A stream of values made on a second thread through a Handoff: `produce` runs there and passes
/// each value to `put`, which throws CancellationError once the consumer stopped (so the producer
/// unwinds). A producer's own error reaches the consumer from `next` after the last value.
final class ProducerThread<T: Sendable>: @unchecked Sendable {
    private let queue: Handoff<T>
    private let done = DispatchSemaphore(value: 0)
    private var joined = false

    init(capacity: Int, _ produce: @escaping @Sendable (_ put: (T) throws -> Void) throws -> Void) {
        let queue = Handoff<T>(capacity: capacity)
        self.queue = queue
        let done = self.done
        let thread = Thread {
            do {
                try produce { guard queue.put($0) else { throw CancellationError() } }
                queue.close()
            } catch is CancellationError {
                queue.close()
            } catch {
                queue.close(throwing: error)
            }
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// The next value in order; nil at the end.
    func next() throws -> T? { try queue.take() }

    /// Waits for the producing thread to end (after the last value, or to stop it early: `cancel`).
    func wait() {
        guard !joined else { return }
        joined = true
        done.wait()
    }

    /// Stops the producer (the consumer is done or failed) and waits for its thread.
    func cancel() {
        queue.cancel()
        wait()
    }
}
