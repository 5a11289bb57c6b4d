import GRDB

/// Appends rows to a table `size` at a time through one multi-row INSERT, the rest one by one.
/// SQLite's per-statement work (cursor, transaction checks, reset) dominates a narrow row: for
/// 5M orders one run per 32 rows took the load from a median of 6.8 s to 5.1 s.
///
/// Derived tables a load appends to (member_stats, member_orders, the search ranks) use
/// `INSERT OR FAIL`: a multi-row statement that may abort (the default) first copies every page it
/// changes that the transaction had already changed to a statement journal, to undo itself alone,
/// and appended rows change the same right-edge pages statement after statement (issue 19's
/// channel import: 66.8k statement-journal page writes, ~260 MB). None of those callers goes on
/// after a refused statement: it fails the load, which rolls back. The member and order loads
/// do go on (`Stopped`), so they keep the default.
final class BatchInsert {
    static let size = 32
    private let columns: Int32
    private let single: RawStatement
    private let full: RawStatement

    /// `head` is "INSERT INTO table(col, …)"; `values` one row's "(?, ?, …)" (expressions allowed).
    init(_ db: Database, _ head: String, values: String, columns: Int) throws {
        self.columns = Int32(columns)
        single = try RawStatement(db, head + " VALUES " + values)
        full = try RawStatement(db, head + " VALUES " + Array(repeating: values, count: Self.size).joined(separator: ", "))
    }

    /// Inserts `rows` in order; `bind(statement, row, k)` binds one row at parameters k+1…k+columns.
    func insert<C: Collection>(_ rows: C, _ bind: (RawStatement, C.Element, Int32) -> Void) throws {
        var next = rows.makeIterator()
        try insert(count: rows.count) { s, k in bind(s, next.next()!, k) }
    }

    /// A statement hit a constraint: SQLite undid that statement alone (not an OR FAIL one, whose
    /// rows before the refused one stay), so the first `done` rows are in and the caller decides
    /// about the rest (one by one, to find the row it refuses).
    struct Stopped: Error {
        let done: Int
        let error: DatabaseError
    }

    /// Inserts `count` rows; `bindNext(statement, k)` binds the next row at parameters k+1…k+columns
    /// (for rows bound in place from where they are, without a copy of each).
    /// - Throws: `Stopped` on a constraint failure; any other error as it comes.
    func insert(count: Int, bindNext: (RawStatement, Int32) -> Void) throws {
        var left = count
        do {
            while left >= Self.size {
                for i in 0..<Self.size { bindNext(full, Int32(i) * columns) }
                try full.step()
                left -= Self.size
            }
            while left > 0 {
                bindNext(single, 0)
                try single.step()
                left -= 1
            }
        } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT {
            throw Stopped(done: count - left, error: e)
        }
    }
}
