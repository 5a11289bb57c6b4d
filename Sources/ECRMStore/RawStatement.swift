import GRDB
import GRDBSQLite

/// A thin wrapper over a prepared sqlite3 statement for bulk loads: binds straight from bytes and
/// integers without boxing each value into a DatabaseValue, which dominates GRDB's per-row cost
/// at millions of rows. Only used inside a write transaction on the connection that made it.
final class RawStatement {
    let statement: Statement
    var handle: OpaquePointer { statement.sqliteStatement }
    private let db: Database

    init(_ db: Database, _ sql: String) throws {
        self.db = db
        statement = try db.makeStatement(sql: sql)
    }

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ index: Int32, _ value: Int64?) {
        if let v = value { sqlite3_bind_int64(handle, index, v) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: String?) {
        guard var s = value else { sqlite3_bind_null(handle, index); return }
        s.withUTF8 { buf in
            _ = sqlite3_bind_text(handle, index, UnsafeRawPointer(buf.baseAddress!).assumingMemoryBound(to: CChar.self),
                                  Int32(buf.count), sqliteTransient)
        }
    }

    func bind(_ index: Int32, bytes: UnsafeRawBufferPointer) {
        if bytes.isEmpty {
            sqlite3_bind_text(handle, index, "", 0, sqliteTransient)
        } else {
            sqlite3_bind_text(handle, index, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(bytes.count), sqliteTransient)
        }
    }

    func bind(_ index: Int32, blob: [UInt8]) {
        blob.withUnsafeBytes { bind(index, blob: $0) }
    }

    func bind(_ index: Int32, blob: UnsafeRawBufferPointer) {
        _ = sqlite3_bind_blob(handle, index, blob.baseAddress, Int32(blob.count), sqliteTransient)
    }

    /// Binds text SQLite does not copy (not empty): it must stay put until the next `step()`.
    func bind(_ index: Int32, textUntilStep text: UnsafeRawBufferPointer) {
        _ = sqlite3_bind_text(handle, index, text.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(text.count), nil)
    }

    /// Binds bytes SQLite does not copy: they must stay put until the next `step()` (which resets).
    func bind(_ index: Int32, blobUntilStep blob: UnsafeRawBufferPointer) {
        _ = sqlite3_bind_blob(handle, index, blob.baseAddress, Int32(blob.count), nil)
    }

    /// Runs the statement once and resets it (a write); throws GRDB's error with SQLite's message on
    /// failure, which the importer turns into its "nothing was imported" sentence.
    @discardableResult
    func step() throws -> Int32 {
        let rc = sqlite3_step(handle)
        sqlite3_reset(handle)
        if rc != SQLITE_DONE && rc != SQLITE_ROW {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
        return rc
    }

    /// The next row of a read: true on a row, false at the end, throws on anything else.
    @inline(__always)
    func next() throws -> Bool { try stepRow(handle) }

    /// Rows changed by the last step (to tell inserted from ignored).
    var changes: Int32 { sqlite3_changes(db.sqliteConnection) }
}

/// SQLITE_TRANSIENT is a C macro Swift cannot import: it tells SQLite to copy the bytes.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One step of a read loop: true on a row, false at the end of the rows. Any other result (an I/O
/// error, a damaged page) throws: a loop that stopped on it would give a short, wrong answer.
/// Every raw read loop steps through here. Inlined: the hot loaders step millions of times, and the
/// two compares cost nothing next to the step itself.
@inline(__always)
func stepRow(_ h: OpaquePointer) throws -> Bool {
    let rc = sqlite3_step(h)
    if _fastPath(rc == SQLITE_ROW) { return true }
    if rc == SQLITE_DONE { return false }
    throw stepFailure(h, rc)
}

/// The error for a failed step. A file SQLite cannot read (I/O error, damaged page, not a database)
/// becomes a `StoreError` that says so in words; busy, read-only and the rest stay GRDB's errors,
/// which the store's boundaries already turn into their own messages.
@inline(never)
func stepFailure(_ h: OpaquePointer, _ rc: Int32) -> Error {
    let connection = sqlite3_db_handle(h)
    let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
    switch rc & 0xff {
    case SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_CANTOPEN:
        let path = connection.flatMap { sqlite3_db_filename($0, "main") }.map { String(cString: $0) } ?? ""
        return StoreError.unreadable(path: path, reason: message)
    default:
        return DatabaseError(resultCode: ResultCode(rawValue: rc), message: message)
    }
}
