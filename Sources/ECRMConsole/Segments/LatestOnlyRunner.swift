import Foundation

/// Runs background jobs one at a time where only the newest waiting job matters: a job
/// submitted while another runs replaces any job still waiting (so ten quick presses of `w`
/// cost at most two recomputes, and they never write the store concurrently).
final class LatestOnlyRunner: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: (@Sendable () -> Void)?
    private var running = false
    private let queue: DispatchQueue

    init(label: String) { queue = DispatchQueue(label: label, qos: .userInitiated) }

    func submit(_ job: @escaping @Sendable () -> Void) {
        lock.lock()
        pending = job
        if running { lock.unlock(); return }
        running = true
        lock.unlock()
        queue.async { self.drain() }
    }

    private func drain() {
        while true {
            lock.lock()
            guard let job = pending else { running = false; lock.unlock(); return }
            pending = nil
            lock.unlock()
            job()
        }
    }
}
