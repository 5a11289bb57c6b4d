import Foundation
import Testing
import GRDB
@testable import ECRMStore

/// The checkpoint's helper that starts the store file's writeback while the checkpoint copies
/// (Maintenance.whileWritingBack): it hands back the body's result or error, with or without a
/// file, and a checkpoint through it leaves the store whole.
@Suite struct CheckpointWritebackTests {
    struct Boom: Error {}

    @Test func handsBackTheBodysResultOrErrorWithOrWithoutAFile() throws {
        let t = try TempStore(); defer { t.cleanup() }
        #expect(Maintenance.whileWritingBack(t.path) { 42 } == 42)
        #expect(Maintenance.whileWritingBack(nil) { "no file" } == "no file")
        #expect(Maintenance.whileWritingBack(t.dir + "/missing.sqlite") { 7 } == 7)
        #expect(throws: Boom.self) { try Maintenance.whileWritingBack(t.path) { () throws -> Int in throw Boom() } }
    }

    @Test func aCheckpointThroughItLeavesTheStoreWhole() throws {
        let t = try TempStore(); defer { t.cleanup() }
        var csv = "order_id,buyer_id,paid_at,amount\n"
        for i in 1...30_000 { csv += "\(i),w\(i),2026-03-\(String(format: "%02d", 1 + i % 28)) 09:30:00,\(i % 300).25\n" }
        let report = try t.importer(bulk: false).run(.orders, path: try t.file("o.csv", csv))
        #expect(report.added == 30_000)
        // The import's checkpoint ran (its WAL passed 1,000 pages) and copied everything.
        #expect(WALFrames(t.path + "-wal").valid <= 1)
        let (n, ok) = try t.store.pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM orders"), try String.fetchOne(db, sql: "PRAGMA integrity_check"))
        }
        #expect(n == 30_000 && ok == "ok")
    }
}
