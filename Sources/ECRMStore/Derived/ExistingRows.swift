import GRDB
import GRDBSQLite

/// The rows a merge already finds in a per-member table (member_stats, member_orders), asked for in
/// ascending member order: read through one cursor over the whole table (a merge join) or probed
/// one member at a time. A bulk load asks for the cursor (`ordered`), which it gets only when it
/// asks for a good part of the table's rows (`asking`): issue 19's JD load (a quarter of a 1M
/// store's members, most of them new) read both whole tables, 1M rows and ~100 MB of blobs, for
/// 90k rows. A member above the table's largest key has no row: it is not looked for.
final class ExistingRows {
    private let statement: RawStatement
    let ordered: Bool
    private var hasRow: Bool
    /// The table's largest member_id (0: empty).
    private let largest: Int64

    /// `columns` start with member_id; the row's other columns are read from the returned handle.
    /// `asking(largest)`: how many distinct members at or below `largest` the merge will ask for
    /// (by default every one: an ordered scan).
    init(_ db: Database, table: String, columns: String, ordered: Bool, asking: (Int64) -> Int = { Int(clamping: $0) }) throws {
        largest = try Int64.fetchOne(db, sql: "SELECT coalesce(max(member_id), 0) FROM \(table)") ?? 0
        self.ordered = ordered && largest > 0 && Self.scanPays(asking: asking(largest), largest: largest)
        statement = try RawStatement(db, self.ordered
            ? "SELECT \(columns) FROM \(table) ORDER BY member_id"
            : "SELECT \(columns) FROM \(table) WHERE member_id = ?")
        hasRow = try self.ordered && statement.next()
    }

    /// One scan beats a probe per member from about half the table's rows (member ids are dense:
    /// the largest stands for the count). A probe in ascending order measured ~0.2-0.3 µs at 1M
    /// rows, a row of the ordered scan ~0.3-0.4 µs with its blob.
    static func scanPays(asking: Int, largest: Int64) -> Bool { Int64(asking) * 2 >= largest }

    /// `asking` for a merge whose new rows are grouped by member as `offsets` (member m's are
    /// offsets[m]..<offsets[m + 1]): how many members up to `largest` have any.
    static func members(in offsets: [Int32], upTo largest: Int64) -> Int {
        offsets.withUnsafeBufferPointer { o in
            (0..<min(Int(clamping: largest) + 1, o.count - 1)).reduce(0) { $0 + (o[$1 + 1] > o[$1] ? 1 : 0) }
        }
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
        guard member <= largest else { return nil }
        sqlite3_reset(h)
        statement.bind(1, member)
        return try stepRow(h) ? h : nil
    }
}
