import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// Text-numbered orders above every id go in with a NULL key where theirs is the table's next
/// (AppendKey), so SQLite numbers them itself. The load holds SQLite's numbers to its own: after
/// each statement the last row must have the key meant (else the load stops and rolls back), and a
/// statement the store refused makes it read the largest key again before the next rows. Each
/// path: rows queued one by one for a batch (a load without the preloaded key map), a preloaded
/// load's runs, a bulk load's runs.
@Suite struct AppendKeyLoadTests {
    static let buyers = 6

    /// A store with members b0…b5 (no order creates one) and 100 text-numbered orders E100…E199,
    /// in number order, each with its own amount.
    static func shop() throws -> (TempStore, String) {
        let t = try TempStore()
        var m = "buyer_id,nick\n"
        for i in 0..<buyers { m += "b\(i),买家\(i)\n" }
        _ = try t.importer(bulk: false).run(.members, path: try t.file("m.csv", m))
        var o = "order_id,buyer_id,paid_at,amount,status\n"
        for i in 100..<200 { o += "E\(i),b\(i % buyers),2026-11-01 10:00:00,\(i).00,paid\n" }
        return (t, try t.file("o.csv", o))
    }

    /// 0: rows one by one (queued for a batch), 1: preloaded, 2: bulk.
    static func importer(_ t: TempStore, path: Int) -> Importer {
        var i = t.importer(bulk: path == 2)
        if path < 2 { i.preload = path == 1 }
        return i
    }

    /// Each order in key order: its number, buyer and amount.
    static func orders(_ db: Database) throws -> [String] {
        try Row.fetchAll(db, sql: """
            SELECT o.order_no, m.buyer_id, o.amount FROM orders o JOIN member m ON m.id = o.member_id ORDER BY o.order_id
            """).map { "\($0[0] as String? ?? "-") \($0[1] as String) \($0[2] as Int64)" }
    }

    static func expected(without: Set<Int> = []) -> [String] {
        (100..<200).filter { !without.contains($0) }.map { "E\($0) b\($0 % buyers) \($0 * 100)" }
    }

    /// A row that comes in behind the load's back (a trigger here; nothing in the product does it)
    /// makes SQLite number every row after it one further than the load meant: the load stops and
    /// rolls back instead of filing the orders under keys it does not know.
    @Test(arguments: [0, 1, 2])
    func aKeySQLiteGaveOtherwiseStopsTheLoad(path: Int) throws {
        let (t, file) = try Self.shop(); defer { t.cleanup() }
        try t.store.pool.write { try $0.execute(sql: """
            CREATE TRIGGER intruder AFTER INSERT ON orders WHEN new.order_no = 'E110' BEGIN
                INSERT INTO orders(order_id, member_id, paid_at, amount, status) VALUES (new.order_id + 5000, new.member_id, new.paid_at, 1, 'paid');
            END
            """) }
        #expect(throws: (any Error).self) { try Self.importer(t, path: path).run(.orders, path: file) }
        try t.store.pool.read { (db: Database) throws in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM orders") == 0)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM member_stats WHERE paid_count > 0") == 0)
        }
        // Without it the same file goes in, each order under its number's buyer.
        try t.store.pool.write { try $0.execute(sql: "DROP TRIGGER intruder") }
        let r = try Self.importer(t, path: path).run(.orders, path: file)
        #expect(r.added == 100)
        #expect(try t.store.pool.read { try Self.orders($0) } == Self.expected())
    }

    /// The store refuses the last row of a statement (a trigger): that statement is undone and its
    /// rows go one by one, the refused one left out; the rows after it still get the keys meant
    /// (its key was never stored: the next one is not the table's next).
    @Test(arguments: [0, 1, 2])
    func aRefusedRowLeavesTheOthersUnderTheirKeys(path: Int) throws {
        let (t, file) = try Self.shop(); defer { t.cleanup() }
        // E131: the 32nd row, the last of the first statement (BatchInsert.size).
        #expect(BatchInsert.size == 32)
        try t.store.pool.write { try $0.execute(sql: """
            CREATE TRIGGER refuse BEFORE INSERT ON orders WHEN new.order_no = 'E131' BEGIN SELECT RAISE(ABORT, 'refused'); END
            """) }
        let r = try Self.importer(t, path: path).run(.orders, path: file)
        #expect(r.added == 99, "\(r.added) added")
        #expect(r.problems.map(\.line) == [33])
        try t.store.pool.read { (db: Database) throws in
            #expect(try Self.orders(db) == Self.expected(without: [131]))
            #expect(try MemberOrderListsTests.mismatches(db) == [])
        }
    }
}
