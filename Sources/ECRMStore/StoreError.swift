import GRDB

/// Errors a person can act on: each message says what went wrong and what to do.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(path: String, reason: String)
    case locked(path: String)
    case notFound(String)
    case invalid(String)
    case permissionDenied(String)
    case conflict(String)
    /// SQLite could not read the file (an I/O error, a damaged page) in the middle of an answer.
    case unreadable(path: String, reason: String)

    /// The store could not be opened for writing by this user (as opposed to a missing or busy store).
    public var isAccess: Bool {
        switch self {
        case .cannotOpen, .permissionDenied: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): return "cannot open store \(path): \(reason)"
        case .locked(let path): return "store \(path) is busy (another ecrm is writing); try again in a moment"
        case .notFound(let what): return what
        case .invalid(let what): return what
        case .permissionDenied(let what): return what
        case .conflict(let what): return what
        case .unreadable(let path, let reason):
            return "cannot read store\(path.isEmpty ? "" : " " + path): \(reason); the file may be damaged: restore it from a backup with its -wal and -shm (or delete those two)"
        }
    }
}

extension StoreError {
    /// SQLite failing to read the file, as GRDB reports it from an ordinary query, in the store's
    /// words (the raw loops throw `.unreadable` themselves); nil for any other error.
    public static func unreadable(from error: Error) -> StoreError? {
        if let e = error as? StoreError, case .unreadable = e { return e }
        guard let e = error as? DatabaseError else { return nil }
        switch e.resultCode {
        case .SQLITE_IOERR, .SQLITE_CORRUPT, .SQLITE_NOTADB, .SQLITE_CANTOPEN:
            return .unreadable(path: "", reason: e.message ?? "\(e.resultCode)")
        default:
            return nil
        }
    }
}
