import Testing
import GRDB
import GRDBSQLite
@testable import ECRMStore

/// A merge's existing rows (ExistingRows): the one ordered scan only when the merge asks for a good
/// part of the table, probes otherwise, and either way the same rows; a member above the table's
/// largest key is not looked for.
@Suite struct ExistingRowsTests {
    /// A per-member table like member_orders, with rows for members 2, 4, …, 200.
    func table(_ db: Database) throws {
        try db.execute(sql: "CREATE TABLE per_member (member_id INTEGER PRIMARY KEY, order_ids BLOB NOT NULL)")
        for m in stride(from: 2, through: 200, by: 2) {
            try db.execute(sql: "INSERT INTO per_member(member_id, order_ids) VALUES (?, ?)", arguments: [m, "m\(m)"])
        }
    }

    func found(_ rows: ExistingRows, _ asked: [Int64]) throws -> [String] {
        try asked.compactMap { m in try rows.row(of: m).map { String(cString: sqlite3_column_text($0, 1)) } }
    }

    @Test func scanOnlyForAGoodPartAndTheSameRowsEitherWay() throws {
        let t = try TempStore(); defer { t.cleanup() }
        try t.store.pool.write { db in
            try table(db)
            let few: [Int64] = [1, 2, 3, 50, 51, 200, 201, 5000]
            let many = Array(Int64(1)...Int64(220))
            for asked in [few, many] {
                let expected = asked.filter { $0 % 2 == 0 && $0 <= 200 }.map { "m\($0)" }
                let counted = { (largest: Int64) in asked.filter { $0 <= largest }.count }
                let bulk = try ExistingRows(db, table: "per_member", columns: "member_id, order_ids", ordered: true, asking: counted)
                #expect(bulk.ordered == (asked == many))
                #expect(try found(bulk, asked) == expected)
                let small = try ExistingRows(db, table: "per_member", columns: "member_id, order_ids", ordered: false, asking: counted)
                #expect(!small.ordered)
                #expect(try found(small, asked) == expected)
            }
            #expect(ExistingRows.scanPays(asking: 500_000, largest: 1_000_000))
            #expect(!ExistingRows.scanPays(asking: 90_000, largest: 1_000_000))
        }
    }
}
