import Foundation

/// A value worked out on a thread of its own while the caller goes on (EarlyPairs, EarlyExtra:
/// search postings made while a load's other phases are written). `wait` blocks until it is there;
/// every later call returns it at once.
final class BackgroundResult<Value>: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    /// Written once by the thread, before `finished` is signalled; read only after it.
    private var result: Result<Value, Error>?

    /// Starts `work` on a new thread (1 MB of stack: the work holds its buffers on the heap).
    init(_ work: @escaping @Sendable () throws -> Value) {
        let thread = Thread { [self] in
            result = Result { try work() }
            finished.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    func wait() -> Result<Value, Error> {
        finished.wait()
        finished.signal()   // later calls return at once
        return result!
    }
}
