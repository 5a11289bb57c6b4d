import CTermShims
import Foundation

/// Thread-safe inbox for results of background work (database queries on
/// other threads). `post` from any thread wakes the event loop through a
/// self-pipe, so the UI thread can block in poll() at 0% CPU while idle.
public final class Mailbox<Message: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var queue: [Message] = []
    private let wakeFD: Int32

    /// `wakeFD` is the write end of a pipe the loop polls (-1: no wake-up, tests).
    init(wakeFD: Int32) { self.wakeFD = wakeFD }

    /// A mailbox not attached to a terminal (for tests / headless use).
    public convenience init() { self.init(wakeFD: -1) }

    /// Queues `message` and wakes the loop. Safe from any thread.
    public func post(_ message: Message) {
        lock.lock(); queue.append(message); lock.unlock()
        if wakeFD >= 0 { cts_poke(wakeFD) }
    }

    /// Removes and returns the oldest message, if any.
    public func take() -> Message? {
        lock.lock(); defer { lock.unlock() }
        return queue.isEmpty ? nil : queue.removeFirst()
    }

    public var isEmpty: Bool { lock.lock(); defer { lock.unlock() }; return queue.isEmpty }
}
