#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The shared store's group, held only for the store (PRODUCT.md: Operators and privacy).
///
/// Installed by `ecrm setup shared`, the binary is setgid to the store's group: the effective gid
/// opens the store, the real ids are the operator. Every file a user names (import, export, config,
/// themes) is opened through `asUser`, with the effective gid set back to the real one, so the
/// binary can never read or write someone else's files with the group's rights. Not setgid, both
/// gids are the same and `asUser` just runs its body.
public enum UserRights {
    /// The group the process was started with beyond the user's own (the saved set-group-id), or
    /// nil when not running setgid. Captured by `start()` before anything changes the ids.
    nonisolated(unsafe) public private(set) static var storeGroup: gid_t?
    nonisolated(unsafe) private static var lock = pthread_mutex_t()

    /// Call first thing in `main`.
    public static func start() {
        pthread_mutex_init(&lock, nil)
        let real = getgid(), effective = getegid()
        storeGroup = real != effective ? effective : nil
    }

    /// True when running setgid (the installed shared-store binary).
    public static var isSetgid: Bool { storeGroup != nil }

    /// Runs `body` (which opens a user's file) with the user's own group rights. setegid is
    /// process-wide, so the switch is serialised; the descriptors opened keep working afterwards.
    public static func asUser<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        guard let group = storeGroup else { return try body() }
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        guard setegid(getgid()) == 0 else { fatalError("ecrm: cannot drop the store group (setegid)") }
        defer { if setegid(group) != 0 { fatalError("ecrm: cannot regain the store group (setegid)") } }
        return try body()
    }

    /// Gives up the store group for the rest of the process (a store other than the shared one, or
    /// a command that needs no store): real, effective and saved gid all become the user's.
    public static func dropForGood() {
        guard storeGroup != nil else { return }
        let real = getgid()
        // setregid with a real gid given also sets the saved one: the group cannot come back.
        guard setregid(real, real) == 0, getegid() == real else { fatalError("ecrm: cannot drop the store group (setregid)") }
        storeGroup = nil
    }
}
