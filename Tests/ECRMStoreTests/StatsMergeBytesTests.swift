import Foundation
import Testing
import GRDB
@testable import ECRMStore

/// A load's new paid orders merged into members' existing member_stats rows as bytes
/// (MemberStatsUpdater's RowMerge): the rows must be those of the general way (PaidHistory, sorted
/// again) and of a rebuild from the orders table, whatever the new orders' days against the stored
/// ones (before, after, the same day), and a stored blob that is not sorted by day must still
/// come out sorted.
@Suite(.serialized) struct StatsMergeBytesTests {
    static let statsSQL = """
        SELECT m.buyer_id || '|' || s.paid_count || '|' || s.paid_sum || '|' || s.first_paid || '|' || s.last_paid
            || '|' || s.last_paid_at || '|' || hex(s.paid_days)
        FROM member m JOIN member_stats s ON s.member_id = m.id ORDER BY m.buyer_id
        """

    static func orders(_ rows: [(String, String, String)], from first: Int) -> String {
        var text = "order_id,buyer_id,paid_at,amount,status\n"
        for (k, r) in rows.enumerated() { text += "\(first + k),\(r.0),\(r.1),\(r.2),paid\n" }
        return text
    }

    /// Two order loads, the second into members with stats; the stats after it (merged as bytes or
    /// the general way) and after a rebuild from the orders.
    static func load(bytes: Bool, bulk: Bool, unsortedStored: Bool = false) throws -> (merged: [String], rebuilt: [String]) {
        MemberStatsUpdater.mergesBytes = bytes
        defer { MemberStatsUpdater.mergesBytes = true }
        let t = try TempStore(); defer { t.cleanup() }
        let importer = t.importer(bulk: bulk)
        var first: [(String, String, String)] = []
        for i in 0..<40 {
            first.append(("b\(i)", "2026-03-\(String(format: "%02d", 1 + i % 28)) 10:00:00", "\(10 + i).50"))
            if i % 3 == 0 { first.append(("b\(i)", "2026-06-\(String(format: "%02d", 1 + i % 28)) 09:30:00", "\(i).05")) }
        }
        _ = try importer.run(.orders, path: try t.file("o1.csv", orders(first, from: 1000)))
        if unsortedStored {
            // Stored histories out of day order (not ones this version writes): the two entries of
            // the members the second load merges into swapped.
            try t.store.pool.write { db in
                try db.execute(sql: """
                    UPDATE member_stats SET paid_days = substr(paid_days, 13, 12) || substr(paid_days, 1, 12)
                    WHERE member_id IN (SELECT id FROM member WHERE buyer_id IN ('b0', 'b6', 'b12', 'b18', 'b24', 'b30', 'b36'))
                    """)
                #expect(db.changesCount == 7)
            }
        }
        var second: [(String, String, String)] = []
        for i in 0..<40 where i % 2 == 0 {
            // Before, between, on the same day as and after the stored orders; new buyers too.
            second.append(("b\(i)", "2026-01-\(String(format: "%02d", 1 + i % 28)) 08:00:00", "\(i).25"))
            second.append(("b\(i)", "2026-03-\(String(format: "%02d", 1 + i % 28)) 07:00:00", "\(i + 1).00"))
            if i % 4 == 0 { second.append(("b\(i)", "2026-04-15 12:00:00", "3.00")) }
            if i % 8 == 0 { second.append(("b\(i)", "2026-09-30 23:59:59", "7.70")) }
        }
        for i in 0..<5 { second.append(("n\(i)", "2026-05-0\(1 + i) 10:00:00", "1.00")) }
        _ = try importer.run(.orders, path: try t.file("o2.csv", orders(second, from: 5000)))
        let merged = try t.store.pool.read { try String.fetchAll($0, sql: statsSQL) }
        try t.store.pool.write { try MemberStatsUpdater.rebuildAll(db: $0) }
        let rebuilt = try t.store.pool.read { try String.fetchAll($0, sql: statsSQL) }
        return (merged, rebuilt)
    }

    @Test(arguments: [true, false]) func mergedAsBytesTheRowsAreTheGeneralWaysAndARebuildsOnes(bulk: Bool) throws {
        let bytes = try Self.load(bytes: true, bulk: bulk), general = try Self.load(bytes: false, bulk: bulk)
        #expect(bytes.merged.count == 45)
        #expect(bytes.merged == general.merged)
        #expect(bytes.merged == bytes.rebuilt)
        // b0: Jan 1 and Mar 1 (twice: the stored 10:00 first, then the new 07:00), Apr 15, Jun 1, Sep 30.
        #expect(bytes.merged.first?.hasPrefix("b0|6|") == true)
        #expect(bytes.merged.first?.contains("|2026-09-30 23:59:59|") == true)
        // b6: the stored last moment (Jun 7 09:30) stays the latest.
        #expect(bytes.merged.first { $0.hasPrefix("b6|") }?.contains("|2026-06-07 09:30:00|") == true)
    }

    /// New members' rows go in with INSERT OR FAIL (no statement journal): a row refused half-way
    /// through a statement leaves the rows before it in until the load rolls back, so the store
    /// is as it was and the import says so.
    @Test func aNewStatsRowRefusedHalfWayLeavesTheStoreAsItWas() throws {
        let t = try TempStore(); defer { t.cleanup() }
        let importer = t.importer(bulk: true)
        _ = try importer.run(.orders, path: try t.file("o1.csv", Self.orders([("a", "2026-01-02 10:00:00", "1.00")], from: 1)))
        // Refuses the 40th new member's row (same paid moment as the first), the 8th of the second
        // 32-row statement: a constraint, no trigger.
        try t.store.pool.write { try $0.execute(sql: "CREATE UNIQUE INDEX refuse ON member_stats(last_paid_at)") }
        var rows: [(String, String, String)] = []
        for i in 0..<70 { rows.append(("n\(i)", "2026-02-\(String(format: "%02d", 1 + i % 28)) \(10 + i / 28):00:00", "2.00")) }
        rows[39].1 = rows[0].1
        let before = try t.store.pool.read { try String.fetchAll($0, sql: Self.statsSQL) }
        #expect(throws: StoreError.self) { try importer.run(.orders, path: try t.file("o2.csv", Self.orders(rows, from: 100))) }
        let after = try t.store.pool.read { try String.fetchAll($0, sql: Self.statsSQL) }
        let members = try t.store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM member") }
        #expect(after == before)
        #expect(members == 1)
    }

    @Test func aStoredHistoryOutOfDayOrderIsSortedWhenMerged() throws {
        let bytes = try Self.load(bytes: true, bulk: true, unsortedStored: true)
        #expect(bytes.merged == bytes.rebuilt)
    }
}
