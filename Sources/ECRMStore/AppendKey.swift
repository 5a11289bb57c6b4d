import GRDB
import GRDBSQLite

/// Binds the integer primary key of rows appended in ascending key order as NULL whenever the
/// key is the table's next one (its largest + 1): SQLite then numbers the row itself (NewRowid,
/// a walk down the tree's right edge), which is that same key, instead of searching every level
/// of the tree for an explicit key before the insert. For per-member tables (member_stats,
/// member_orders) whose rows come in member order with few gaps. `check` compares the last key
/// SQLite gave with the one meant.
struct AppendKey {
    private let db: Database
    private let table: String
    private let column: String
    /// The table's largest key as the rows go in.
    private var largest: Int64
    /// The last key bound since the last check.
    private var last: Int64?

    /// `column` is the table's INTEGER PRIMARY KEY (so max() reads the tree's right edge).
    init(_ db: Database, table: String, column: String) throws {
        self.db = db
        self.table = table
        self.column = column
        largest = try Self.largest(db, table: table, column: column)
    }

    /// The table's largest key now (0 when it is empty).
    private static func largest(_ db: Database, table: String, column: String) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT coalesce(max(\(column)), 0) FROM \(table)") ?? 0
    }

    /// After a statement that failed (SQLite undid it): the keys bound for it are not in the table,
    /// so the largest is read again.
    mutating func reload() throws {
        largest = try Self.largest(db, table: table, column: column)
        last = nil
    }

    /// Binds `key` at `index` for a row about to be inserted (rows in ascending key order, or
    /// keys below those already there, which are bound as they are).
    mutating func bind(_ s: RawStatement, _ index: Int32, _ key: Int64) {
        if key == largest + 1 {
            sqlite3_bind_null(s.handle, index)
        } else {
            s.bind(index, key)
        }
        largest = max(largest, key)
        last = key
    }

    /// Right after an insert: its last row has the key it was meant to have (anything else would
    /// give rows to the wrong members, so the load stops and rolls back).
    mutating func check() throws {
        guard let last else { return }
        self.last = nil
        try Self.checkLastInsert(db, table: table, expected: last)
    }

    /// The row just inserted got `expected` as its key (for rows SQLite numbered itself).
    static func checkLastInsert(_ db: Database, table: String, expected: Int64) throws {
        let stored = sqlite3_last_insert_rowid(db.sqliteConnection)
        guard stored == expected else {
            throw StoreError.invalid("internal error: a \(table) row was stored as \(stored), expected \(expected); nothing was imported")
        }
    }
}
