import Foundation
import Testing
import GRDB
@testable import ECRMStore

/// Writers wait their turn: a write that finds another writer holding the store waits for it
/// (up to 10 minutes) instead of failing after SQLite's few seconds.
@Suite struct WriteWaitTests {
    /// Another session holds the write lock longer than the old 5 s busy timeout, as a long import
    /// would: a tag created meanwhile waits and then goes in.
    @Test func aWriteWaitsBehindALongWriterInsteadOfFailing() throws {
        let t = try TempStore(); defer { t.cleanup() }
        let blocker = try DatabaseQueue(path: t.path)
        let locked = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? blocker.inTransaction(.immediate) { _ in
                locked.signal()
                Thread.sleep(forTimeInterval: 6)
                return .commit
            }
            finished.signal()
        }
        locked.wait()
        let info = try TagService(store: t.store).create("夜间打标")
        finished.wait()
        #expect(info.name == "夜间打标")
        #expect(try TagService(store: t.store).list().map(\.name) == ["夜间打标"])
    }
}
