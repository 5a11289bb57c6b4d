import Foundation
import Testing
import CStoreTuning
@testable import ECRMStore

@Suite struct WritebackTests {
    /// The early-writeback hint a bulk load gives between phases: it works on a store's file, says
    /// why it cannot on a missing one, and a load through it leaves the store whole.
    @Test func startsWritebackOnAStoreFileAndFailsClearlyWithoutOne() throws {
        let t = try TempStore(); defer { t.cleanup() }
        let path = t.dir + "/shop.sqlite"
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(ecrm_start_writeback(path) == 0)
        errno = 0
        #expect(ecrm_start_writeback(t.dir + "/missing.sqlite") == -1)
        #expect(errno == ENOENT)

        var members = "buyer_id,nick\n"
        for i in 0..<500 { members += "b\(i),小明\(i)\n" }
        let report = try t.importer(bulk: true).run(.members, path: try t.file("m.csv", members))
        #expect(report.added == 500)
        let n = try t.store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM member") }
        #expect(n == 500)
    }
}
