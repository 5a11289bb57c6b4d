import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// v18-rfm-window-exit: a store of the previous release has member_rfm rows without window_exit
/// (NULL once migrated). Its next day's refresh measures those members again (all of them: the
/// full fold) and stores what a full recompute stores, window_exit included; the day after that
/// moves on from the stored rows.
@Suite struct RFMWindowExitMigrationTests {
    /// Back to v17: the column gone (with v20's indexes, one of which is on it), the migrations forgotten.
    static func undoWindowExit(_ db: Database) throws {
        try RFMDerivedRTests.undoDerivedR(db)   // the later migration first
        try db.execute(sql: """
            DROP INDEX member_rfm_money; DROP INDEX member_rfm_exit;
            DELETE FROM grdb_migrations WHERE identifier = 'v20-rfm-incremental';
            ALTER TABLE member_rfm DROP COLUMN window_exit;
            DELETE FROM grdb_migrations WHERE identifier = 'v18-rfm-window-exit';
            """)
    }

    @Test func aStoreOfThePreviousReleaseMovesOnExactly() throws {
        let t = try TempStore()
        defer { t.cleanup() }
        var rnd = SplitMix64(seed: 41)
        var m = "buyer_id,nick\n", o = "order_id,buyer_id,paid_at,amount,status\n"
        for i in 0..<120 { m += "b\(i),会员\(i)\n" }
        for j in 0..<400 {
            let day = RFMDayAdvanceTests.from.adding(days: -Int(rnd.next() % 420))
            o += "\(1_000 + j),b\(rnd.next() % 120),\(RFMDayAdvanceTests.text(day)),\(10 + rnd.next() % 50).00,paid\n"
        }
        var importer = t.importer(bulk: false)
        importer.recomputeRFMAsOf = RFMDayAdvanceTests.from
        _ = try importer.run([(.members, try t.file("m.csv", m)), (.orders, try t.file("o.csv", o))])
        let path = t.path
        do {
            let q = try DatabaseQueue(path: path)
            try q.writeWithoutTransaction { try Self.undoWindowExit($0) }
            try q.close()
        }
        let store = try Store(path: path, operatorName: "owner1")
        #expect(try store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM member_rfm WHERE window_exit IS NULL") } == 120)
        var day = RFMDayAdvanceTests.from
        for _ in 0..<2 {
            day = day.adding(days: 1)
            let base = RFMBase.start(store, asOf: day)
            _ = try store.pool.write { db in try RFMEngine.refresh(db, members: [], asOf: day, base: base) }
            try RFMDayAdvanceTests.expectFullRecompute(t, asOf: day, "\(day)")
        }
        #expect(try store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM member_rfm WHERE window_exit IS NULL") } == 0)
        let snap = try store.pool.read { try RFMBase.read($0, asOf: day.adding(days: 1)) }
        #expect(snap.fromStored && snap.advancedFrom == day && snap.measuredAgain < 60)
    }
}
