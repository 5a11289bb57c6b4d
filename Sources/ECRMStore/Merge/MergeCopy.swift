import Foundation
import GRDB

/// The merge preview's copy: in a read transaction, TEMP tables of the same shape shadow the tables
/// a merge writes (SQLite finds a TEMP table before the store's own for an unqualified name), with
/// the two members' rows copied in, so the merge's own code (MergeService.perform: the same rules,
/// the same refresh of stats, lists, tiers, RFM row and rule tags) runs on the copy and its merged
/// card is exactly the merge's (only the search index, not on the card, is left out: rebuilding it
/// on the copy cost 50 ms). Everything is rolled back at the end, the copy included: the store
/// is never written, so the preview takes no write lock, neither waiting for another writer (an
/// import) nor holding one up. A write the copy does not cover fails (a reader connection is
/// read-only) rather than reaching the store.
enum MergeCopy {
    /// Tables keyed by member: only the two members' rows are copied.
    static let memberTables: [(table: String, column: String)] = [
        ("member", "id"), ("member_stats", "member_id"), ("member_orders", "member_id"), ("member_rfm", "member_id"),
        ("member_tier_baseline", "member_id"), ("member_identity", "member_id"), ("member_note", "member_id"),
        ("member_tag", "member_id"),
    ]
    /// Small tables the merge writes: copied whole.
    static let wholeTables = ["setting"]
    /// Tables the merge only adds to (or that the copy's refresh may touch): empty copies.
    static let emptyTables = ["member_merge", "audit"]

    static func run<T>(_ db: Database, members ids: [Int64], _ body: () throws -> T) throws -> T {
        let list = ids.map(String.init).joined(separator: ",")
        // Read before the copy exists: the members' orders (through their lists) and the search tables.
        var orders: [Int64] = []
        for id in ids { orders += try MemberOrderLists.ids(of: id, db) }
        let search = try String.fetchAll(db, sql: "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name LIKE 'search\\_%' ESCAPE '\\'")
        var result: T?
        try db.inSavepoint {
            var copies: [(String, String?)] = memberTables.map { ($0.table, "\($0.column) IN (\(list))") }
            copies += wholeTables.map { ($0, "1") }
            copies += (emptyTables + search).map { ($0, nil) }
            copies.append(("orders", nil))
            copies.append(("duplicate_candidate", "member_a IN (\(list)) OR member_b IN (\(list))"))
            for (table, condition) in copies {
                try shadow(db, table)
                if let condition { try db.execute(sql: "INSERT INTO temp.\(table) SELECT * FROM main.\(table) WHERE \(condition)") }
            }
            for chunk in stride(from: 0, to: orders.count, by: 500) {
                let keys = orders[chunk..<min(orders.count, chunk + 500)].map(String.init).joined(separator: ",")
                try db.execute(sql: "INSERT INTO temp.orders SELECT * FROM main.orders WHERE order_id IN (\(keys))")
            }
            // A row the merge adds gets the key it would get in the store (the identity a merge makes
            // from the absorbed member's implicit Taobao identity is on the merged card).
            try db.execute(sql: """
                INSERT OR IGNORE INTO temp.member_identity SELECT * FROM main.member_identity
                WHERE id = (SELECT max(id) FROM main.member_identity)
                """)
            result = try body()
            return .rollback
        }
        return result!
    }

    /// A TEMP table shaped as the store's (columns, keys, checks and indexes; no foreign keys, as
    /// the merge runs with them off).
    private static func shadow(_ db: Database, _ table: String) throws {
        guard let create = try String.fetchOne(db, sql: "SELECT sql FROM main.sqlite_master WHERE type = 'table' AND name = ?", arguments: [table]) else { return }
        var sql = create.replacingOccurrences(of: #"^CREATE TABLE"#, with: "CREATE TEMP TABLE", options: .regularExpression)
        sql = sql.replacingOccurrences(of: #"REFERENCES\s+"?\w+"?\s*\([^)]*\)(\s+ON\s+DELETE\s+(CASCADE|SET NULL|RESTRICT))?"#, with: "",
                                       options: [.regularExpression, .caseInsensitive])
        try db.execute(sql: sql)
        for index in try String.fetchAll(db, sql: "SELECT sql FROM main.sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", arguments: [table]) {
            try db.execute(sql: index.replacingOccurrences(of: #"^CREATE (UNIQUE )?INDEX (IF NOT EXISTS )?"?(\w+)"?"#, with: "CREATE $1INDEX $2temp.$3",
                                                           options: .regularExpression))
        }
    }
}
