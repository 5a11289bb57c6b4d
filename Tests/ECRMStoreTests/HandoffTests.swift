import Foundation
import Testing
@testable import ECRMStore

@Suite struct HandoffTests {
    /// Values arrive in order; a producer that fills the queue waits, and the stream ends with close.
    @Test func valuesArriveInOrderThroughABoundedQueue() throws {
        let h = Handoff<Int>(capacity: 2)
        let done = DispatchSemaphore(value: 0)
        let producer = Thread {
            for i in 0..<1000 { _ = h.put(i) }
            h.close()
            done.signal()
        }
        producer.start()
        var got: [Int] = []
        while let v = try h.take() { got.append(v) }
        done.wait()
        #expect(got == Array(0..<1000))
    }

    /// A producer that fails closes with its error: the consumer gets every value put, then the error.
    @Test func aProducersErrorComesAfterItsValues() throws {
        struct ReadFailed: Error {}
        let h = Handoff<Int>(capacity: 4)
        #expect(h.put(1) && h.put(2))
        h.close(throwing: ReadFailed())
        #expect(try h.take() == 1)
        #expect(try h.take() == 2)
        #expect(throws: ReadFailed.self) { try h.take() }
    }

    /// A consumer that fails cancels: a producer blocked on the full queue gets false and can stop.
    @Test func cancelReleasesABlockedProducerWithFalse() throws {
        let h = Handoff<Int>(capacity: 1)
        #expect(h.put(1))
        // Read only after `done.wait()`, which orders it after the producer's write.
        nonisolated(unsafe) var second: Bool?
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var task: String?   // "PID/task/TID" of the producer, read after it is set
        let started = DispatchSemaphore(value: 0)
        let producer = Thread {
            task = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")
            started.signal()
            second = h.put(2)   // blocks: the queue is full
            done.signal()
        }
        producer.start()
        // Cancel once the producer is asleep in `put` (its kernel state), not after a guessed delay.
        started.wait()
        let path = try #require(task, "no /proc/thread-self")
        #expect(waitUntilSleeping("/proc/" + path), "the producer never blocked on the full queue")
        h.cancel()
        done.wait()
        #expect(second == false)
        #expect(try h.take() == nil)
    }

    /// Polls the thread's /proc stat until it sleeps (state S), up to a generous limit.
    func waitUntilSleeping(_ taskDir: String, timeout: Double = 20) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if let stat = try? String(contentsOfFile: taskDir + "/stat", encoding: .utf8),
               let close = stat.lastIndex(of: ")"), stat[stat.index(close, offsetBy: 2)] == "S" { return true }
            usleep(1_000)
        }
        return false
    }

    /// A producing thread's values arrive in order, then its error; a consumer that stops early
    /// makes the producer's `put` throw, and `cancel` returns once the thread has ended.
    @Test func producerThreadDeliversThenFailsOrStopsWhenCancelled() throws {
        struct Broke: Error {}
        let failing = ProducerThread<Int>(capacity: 2) { put in
            for i in 0..<10 { try put(i) }
            throw Broke()
        }
        var got: [Int] = []
        #expect(throws: Broke.self) { while let v = try failing.next() { got.append(v) } }
        failing.wait()
        #expect(got == Array(0..<10))

        nonisolated(unsafe) var stoppedAt = -1   // read after cancel() has joined the thread
        let endless = ProducerThread<Int>(capacity: 2) { put in
            var i = 0
            do { while true { try put(i); i += 1 } } catch { stoppedAt = i; throw error }
        }
        #expect(try endless.next() == 0)
        endless.cancel()
        #expect(stoppedAt >= 1 && stoppedAt <= 4)
    }
}
