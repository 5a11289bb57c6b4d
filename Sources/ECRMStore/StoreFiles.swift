import Foundation

/// The store file and SQLite's side files (-wal, -shm) on disk, for stores several OS users share.
enum StoreFiles {
    /// Whether the store exists, with a clear refusal for a folder the user may not enter and for a
    /// store the user may read but not write (SQLite would open it read-only, fail on the first
    /// write and leave side files behind). Effective ids: a setgid ecrm has the store's group.
    static func check(_ path: String, user: String) throws -> Bool {
        var st = stat()
        if stat(path, &st) != 0 {
            let err = errno
            let dir = (path as NSString).deletingLastPathComponent
            if err == EACCES { throw StoreError.permissionDenied(StoreMessages.cannotEnter(dir.isEmpty ? "." : dir, user: user)) }
            return false
        }
        if faccessat(AT_FDCWD, path, R_OK | W_OK, AT_EACCESS) != 0 && errno == EACCES {
            throw StoreError.permissionDenied(StoreMessages.readOnly(path, user: user))
        }
        // SQLite creates its -wal and -shm beside the store: the folder must take new files.
        let dir = (path as NSString).deletingLastPathComponent
        if faccessat(AT_FDCWD, dir.isEmpty ? "." : dir, W_OK | X_OK, AT_EACCESS) != 0 && errno == EACCES
            && !FileManager.default.fileExists(atPath: path + "-shm") {
            throw StoreError.permissionDenied(StoreMessages.folderReadOnly(dir.isEmpty ? "." : dir, user: user))
        }
        return true
    }

    /// Gives the side files this process created the store's group and mode. SQLite creates them with
    /// the store's mode but the creator's own group (unless the folder is setgid), so the first
    /// staff member to open a group-shared store would lock the owner out until they were deleted.
    static func matchSideFiles(_ path: String) {
        var db = stat()
        guard stat(path, &db) == 0 else { return }
        let me = geteuid()
        for suffix in ["-wal", "-shm"] {
            let side = path + suffix
            var st = stat()
            guard stat(side, &st) == 0, st.st_uid == me else { continue }
            if st.st_gid != db.st_gid { _ = chown(side, uid_t.max, db.st_gid) }
            let want = db.st_mode & 0o666
            if st.st_mode & 0o777 != want { _ = chmod(side, want) }
        }
    }

    /// Whether a file this process creates beside the store gets the store's group anyway: the
    /// store is in our effective group, or the folder is setgid to the store's group.
    static func newFilesGetStoreGroup(_ path: String) -> Bool {
        var db = stat(), dir = stat()
        guard stat(path, &db) == 0 else { return true }
        if db.st_gid == getegid() { return true }
        let folder = (path as NSString).deletingLastPathComponent
        guard stat(folder.isEmpty ? "." : folder, &dir) == 0 else { return false }
        return dir.st_mode & S_ISGID != 0 && dir.st_gid == db.st_gid
    }
}
