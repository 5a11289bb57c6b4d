import Foundation
import GRDB
import GRDBSQLite

/// The store's -wal file is kept between sessions (SQLITE_FCNTL_PERSIST_WAL) instead of being
/// deleted by the last connection to close and made again, from nothing, by the next write.
///
/// Why: a daily import writes some 150 MB of WAL frames. Into a new file every 4 KB block is
/// allocated, and the kernel zeroes each page-cache page a frame only partly covers (frames are
/// 24 bytes longer than a page); deleting the file again at close frees and discards those blocks
/// (about 40 ms on this disk). Kept, the next import overwrites the same blocks: measured at 1M
/// members, about 0.1 s of CPU less per daily import (system time), and the close no longer
/// waits for the delete. It also spares every command the empty transaction GRDB writes at open
/// when it finds no WAL (a table created and dropped, with its syncs).
///
/// What keeps it safe:
/// - A kept WAL whose frames are all copied into the store would still hold valid frames on disk:
///   the next session would read them all back and copy them again. So after a checkpoint that
///   copied the whole WAL, `restart` writes one page (the header's user_version, unchanged):
///   SQLite then starts the WAL over with a new salt, and the old frames no longer count. The
///   close's checkpoint copies that one page; what is left on disk is one valid frame that is
///   already in the store.
/// - SQLite opens any store that has a -wal file in WAL mode (even right after a switch away from
///   it, at the next transaction). A bulk load that switches the store to a rollback journal
///   (Maintenance.bulkWrite) turns keeping off first, so the switch deletes the WAL as before and
///   no frame from before can meet pages written without it.
/// - A store file put back from a backup must not find a kept -wal from the store it replaces
///   (its one frame would be read as the backup's page 1): README says to replace or remove the
///   -wal and -shm along with it.
/// - Durability is unchanged: a commit is in the WAL (safe from a killed process at once), and the
///   checkpoint syncs the WAL before it copies and the store before the WAL can start over.
/// - In a store shared through a group the files stay with the group and mode they were given when
///   made (StoreFiles.matchSideFiles), so they no longer need making again by whoever comes next.
enum KeptWAL {
    /// Whether `db`'s WAL stays on disk when its last connection closes.
    static func keep(_ db: Database, _ on: Bool) {
        var flag: Int32 = on ? 1 : 0
        _ = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_PERSIST_WAL, &flag)
    }

    static func isKept(_ db: Database) -> Bool {
        var flag: Int32 = -1
        _ = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_PERSIST_WAL, &flag)
        return flag == 1
    }

    /// The largest log kept. SQLite cannot keep a file and cap its size too (journal_size_limit with
    /// a kept WAL empties it at close), so a log grown past this by an unusual write (a big load
    /// that is not bulk, ~7 KB a row) is cut back to nothing instead; a daily import's ~150 MB stays.
    static let largest: Int64 = 512 << 20

    /// After a checkpoint that copied every frame: one write of page 1 (user_version set to what it
    /// is), so that the WAL starts over and its header on disk stops vouching for the old frames;
    /// a log larger than `largest` is truncated instead. Never waits: if another writer or a reader
    /// is at work the next commit starts the WAL over anyway. Best effort, like the checkpoint.
    static func restart(_ db: Database, largest: Int64 = KeptWAL.largest) {
        guard isKept(db), !db.isInsideTransaction else { return }
        let state = ThreadState.current
        let waited = state.noWait
        state.noWait = true
        defer { state.noWait = waited }
        if let path = Maintenance.storeFile(db) {
            var st = stat()
            if stat(path + "-wal", &st) == 0 && Int64(st.st_size) > largest {
                _ = sqlite3_wal_checkpoint_v2(db.sqliteConnection, nil, SQLITE_CHECKPOINT_TRUNCATE, nil, nil)
                return
            }
        }
        guard let version = try? Int64.fetchOne(db, sql: "PRAGMA main.user_version") else { return }
        _ = try? db.execute(sql: "PRAGMA main.user_version = \(version)")
    }
}
