import Foundation
import Testing
@testable import ECRMStore

@Suite struct HandoffTests {
    /// Values arrive in order; a producer that fills the queue waits, and the stream ends with close.
    @Test func valuesArriveInOrderThroughABoundedQueue() {
        let h = Handoff<Int>(capacity: 2)
        let done = DispatchSemaphore(value: 0)
        let producer = Thread {
            for i in 0..<1000 { _ = h.put(i) }
            h.close()
            done.signal()
        }
        producer.start()
        var got: [Int] = []
        while let v = h.take() { got.append(v) }
        done.wait()
        #expect(got == Array(0..<1000))
    }

    /// A consumer that fails cancels: a producer blocked on the full queue gets false and can stop.
    @Test func cancelReleasesABlockedProducerWithFalse() {
        let h = Handoff<Int>(capacity: 1)
        #expect(h.put(1))
        let result = UncheckedBox(NSLock())
        nonisolated(unsafe) var second: Bool?
        let done = DispatchSemaphore(value: 0)
        let producer = Thread {
            let ok = h.put(2)   // blocks: the queue is full
            result.value.lock(); second = ok; result.value.unlock()
            done.signal()
        }
        producer.start()
        Thread.sleep(forTimeInterval: 0.05)
        h.cancel()
        done.wait()
        result.value.lock(); defer { result.value.unlock() }
        #expect(second == false)
        #expect(h.take() == nil)
    }
}
