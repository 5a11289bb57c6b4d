/// Errors a person can act on: each message says what went wrong and what to do.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(path: String, reason: String)
    case locked(path: String)
    case notFound(String)
    case invalid(String)
    case permissionDenied(String)
    case conflict(String)

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
        }
    }
}
