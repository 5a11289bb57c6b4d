import GRDB
import GRDBSQLite

/// The rows a merge already finds in a per-member table (member_stats, member_orders), asked for in
/// ascending member order: read through one cursor over the whole table (bulk loads, a merge join)
/// or probed one member at a time (small loads into a big store).
final class ExistingRows {
    private let statement: RawStatement
    private let ordered: Bool
    private var hasRow: Bool

    /// `columns` start with member_id; the row's other columns are read from the returned handle.
    init(_ db: Database, table: String, columns: String, ordered: Bool) throws {
        self.ordered = ordered
        statement = try RawStatement(db, ordered
            ? "SELECT \(columns) FROM \(table) ORDER BY member_id"
            : "SELECT \(columns) FROM \(table) WHERE member_id = ?")
        hasRow = try ordered && statement.next()
    }

    deinit { sqlite3_reset(statement.handle) }

    /// The statement positioned on the member's row, or nil when the member has none. Members must
    /// be asked for in ascending order; the row is valid until the next call.
    func row(of member: Int64) throws -> OpaquePointer? {
        let h = statement.handle
        if ordered {
            while hasRow && sqlite3_column_int64(h, 0) < member { hasRow = try stepRow(h) }
            return hasRow && sqlite3_column_int64(h, 0) == member ? h : nil
        }
        sqlite3_reset(h)
        statement.bind(1, member)
        return try stepRow(h) ? h : nil
    }
}
