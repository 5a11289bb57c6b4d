import Foundation
import Testing
import GRDB
@testable import ECRMStore

/// The derived tables a load appends to through `INSERT OR FAIL` (BatchInsert: no statement
/// journal) keep the rows before a refused one until the load rolls back. Whatever refuses a row
/// half-way through a 32-row statement (here a trigger on one member's row, AFTER INSERT: a key
/// bound NULL for SQLite to number, AppendKey, is NULL before it), the import stops with
/// a message, not a raw SQLite error, and the store is as it was: nothing of the load remains.
@Suite(.serialized) struct OrFailAppendTests {
    static func orders(_ count: Int, first: Int) -> String {
        var text = "order_id,buyer_id,paid_at,amount,status\n"
        for i in 0..<count {
            text += "\(first + i),n\(i),2026-03-\(String(format: "%02d", 1 + i % 28)) \(10 + i / 28):00:00,\(i + 1).00,paid\n"
        }
        return text
    }

    /// Everything a load writes, as text, for before/after comparisons.
    static func state(_ t: TempStore) throws -> [String] {
        try t.store.pool.read { db in
            try ["member", "orders", "member_stats", "member_orders", "search_rank", "search_small", "search_large"].map { table in
                "\(table):\(try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? -1)"
            }
        }
    }

    /// Imports 70 new buyers' orders in bulk with `table` refusing the 40th one's row (the 8th of
    /// the second statement); returns the store before and after, and the error's text.
    static func refused(_ table: String, column: String, existing: Bool) throws -> (before: [String], after: [String], message: String) {
        let t = try TempStore(); defer { t.cleanup() }
        let importer = t.importer(bulk: true)
        if existing {
            _ = try importer.run(.orders, path: try t.file("o1.csv", "order_id,buyer_id,paid_at,amount\n1,a,2026-01-02 10:00:00,1.00\n"))
        }
        try t.store.pool.write { db in
            try db.execute(sql: """
                CREATE TRIGGER refuse AFTER INSERT ON \(table)
                WHEN NEW.\(column) = (SELECT id FROM member WHERE buyer_id = 'n39')
                BEGIN SELECT RAISE(FAIL, 'refused'); END
                """)
        }
        let before = try state(t)
        var message = ""
        do {
            _ = try importer.run(.orders, path: try t.file("o2.csv", orders(70, first: 100)))
        } catch {
            message = "\(error)"
        }
        return (before, try state(t), message)
    }

    @Test(arguments: [false, true]) func aRefusedOrderListLeavesTheStoreAsItWas(existing: Bool) throws {
        let r = try Self.refused("member_orders", column: "member_id", existing: existing)
        #expect(!r.message.isEmpty)
        #expect(!r.message.contains("SQLITE"))
        #expect(r.after == r.before)
    }

    @Test func aRefusedSearchRankLeavesTheStoreAsItWas() throws {
        let r = try Self.refused("search_rank", column: "member_id", existing: false)
        #expect(!r.message.isEmpty)
        #expect(!r.message.contains("SQLITE"))
        #expect(r.after == r.before)
    }
}
