import Foundation
import GRDB

/// The fold of the search delta (issue 15), built off the write lock: a rebuild's whole work (the
/// members' texts and ranks read, every gram paired, sorted and encoded, the rank and posting
/// tables written) goes into a scratch SQLite file beside the store, on a connection of its own that
/// reads the store through ATTACH on one read snapshot. Then, holding the write lock, the fold
/// checks that nothing was committed since that snapshot (SQLite's data_version of the attached
/// store changes with every commit of another connection) and only then replaces the store's search
/// tables with the scratch file's rows, copied in key order, and clears the delta. When something
/// was committed meanwhile, it drops its work: the delta stays valid, and the next import folds.
///
/// Nothing touches the store before the final transaction, so a fold killed at any point leaves the
/// store as it was (or, killed inside that transaction, as SQLite's rollback leaves it); a scratch
/// file a killed fold left behind is removed by the next fold.
enum SearchFold {
    /// What a fold did.
    enum Outcome: Equatable { case folded, superseded }

    /// The scratch files' names: `<store file>.fold-<pid>`.
    static func scratchPath(_ store: Store, pid: Int32 = ProcessInfo.processInfo.processIdentifier) -> String {
        "\(store.path).fold-\(pid)"
    }

    /// Builds on a snapshot, then installs under the lock unless something was committed since.
    /// `beforeInstall` runs between the two (tests commit there), `afterClear` inside the final
    /// transaction once the store's search tables are emptied (tests fail there). Throws `StoreError.locked` when
    /// another writer holds the store (the fold never waits for the lock).
    static func run(_ store: Store, partitionMax: Int = SearchIndexBuilder.defaultPartitionMax,
                    beforeInstall: (() throws -> Void)? = nil, afterClear: ((Database) throws -> Void)? = nil) throws -> Outcome {
        removeStaleScratch(store)
        let path = scratchPath(store)
        removeFile(path)
        defer { removeFile(path) }
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.label = "search fold"
        let scratch = try DatabaseQueue(path: path, configuration: config)
        let version = try store.translate { try build(scratch, store: store, partitionMax: partitionMax) }
        try beforeInstall?()
        let outcome = try store.withoutWaiting {
            try store.translate {
                try store.pool.writeWithoutTransaction { db -> Outcome in
                    try db.execute(sql: "ATTACH DATABASE ? AS fold", arguments: [path])
                    defer { try? db.execute(sql: "DETACH DATABASE fold") }
                    return try store.inWriteTransaction(db, .index, .require(.importData)) { db, _ in
                        guard try currentVersion(scratch) == version else { return .superseded }
                        try install(db, afterClear: afterClear)
                        return .folded
                    }
                }
            }
        }
        try scratch.close()
        return outcome
    }

    /// The build, in the scratch file, from one read snapshot of the store; returns the store's
    /// data_version as of that snapshot (on the scratch connection).
    private static func build(_ scratch: DatabaseQueue, store: Store, partitionMax: Int) throws -> Int64 {
        try scratch.writeWithoutTransaction { db in
            // A scratch file: nothing to keep if the machine stops.
            try db.execute(sql: "PRAGMA main.journal_mode = OFF; PRAGMA main.synchronous = OFF")
            try db.execute(sql: "ATTACH DATABASE ? AS src", arguments: [store.path])
            // The search tables as the store has them (unqualified CREATE: they go to main, the
            // scratch file, and the builder's unqualified names then find them before src's).
            for sql in try String.fetchAll(db, sql: """
                SELECT sql FROM src.sqlite_master WHERE type = 'table' AND name LIKE 'search\\_%' ESCAPE '\\' AND sql IS NOT NULL
                """) {
                try db.execute(sql: sql)
            }
            var version: Int64 = 0
            try db.inTransaction(.deferred) {
                // The read of src starts here: member, member_stats and the version all as of it.
                _ = try Int.fetchOne(db, sql: "SELECT 1 FROM src.member LIMIT 1")
                version = try Int64.fetchOne(db, sql: "PRAGMA src.data_version") ?? 0
                _ = try Store.Access.require(.importData).check(db, store)   // operator: src's (main has only search tables)
                var builder = SearchIndexBuilder(db: db, partitionMax: partitionMax)
                try builder.run()
                return .commit
            }
            return version
        }
    }

    /// The store's data_version now, as the scratch connection sees it (a fresh read).
    private static func currentVersion(_ scratch: DatabaseQueue) throws -> Int64 {
        try scratch.read { db in
            _ = try Int.fetchOne(db, sql: "SELECT 1 FROM src.sqlite_master LIMIT 1")
            return try Int64.fetchOne(db, sql: "PRAGMA src.data_version") ?? 0
        }
    }

    /// Under the lock: the store's search tables become the scratch file's (attached as `fold`);
    /// the delta and its count go. Each `INSERT INTO t SELECT * FROM fold.t` into the emptied table
    /// of the same definition (the scratch tables are made from the store's own CREATE text) lets
    /// SQLite copy the records as they are, in key order. Measured at 1M members (sqlite3 shell,
    /// loaded machine): the deletes 0.2 s, the copies 0.5 s (search_rank's 1M rows 0.27 s of it),
    /// the commit of the ~90 MB of pages 0.57 s (the shell's synchronous=FULL).
    private static func install(_ db: Database, afterClear: ((Database) throws -> Void)?) throws {
        try db.execute(sql: """
            DELETE FROM main.search_rank; DELETE FROM main.search_small; DELETE FROM main.search_large;
            DELETE FROM main.search_delta; DELETE FROM main.search_member_rank; DELETE FROM main.search_moved;
            DELETE FROM main.search_extra_small; DELETE FROM main.search_extra_large; DELETE FROM main.search_extra_rank_chunk;
            DELETE FROM main.search_extra_member_chunk; DELETE FROM main.search_extra_stale;
            DELETE FROM main.search_meta WHERE key IN ('delta_rows', 'unindexed_text', 'extra_shift', 'extra_rk_bits', 'extra_bucket_bits', '\(SearchExtra.staleKey)')
                OR key IN (SELECT key FROM fold.search_meta);
            """)
        try afterClear?(db)
        try db.execute(sql: """
            INSERT INTO main.search_rank SELECT * FROM fold.search_rank;
            INSERT INTO main.search_small SELECT * FROM fold.search_small;
            INSERT INTO main.search_large SELECT * FROM fold.search_large;
            INSERT INTO main.search_member_rank SELECT * FROM fold.search_member_rank;
            INSERT INTO main.search_meta(key, value) SELECT key, value FROM fold.search_meta;
            """)
    }

    /// Scratch files of folds whose process is gone (killed).
    private static func removeStaleScratch(_ store: Store) {
        let url = URL(fileURLWithPath: store.path)
        let prefix = url.lastPathComponent + ".fold-"
        let dir = url.deletingLastPathComponent().path
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            guard let pid = Int32(rest.prefix { $0.isNumber }), kill(pid, 0) != 0, errno == ESRCH else { continue }
            removeFile(dir + "/" + prefix + String(pid))
        }
    }

    private static func removeFile(_ path: String) {
        for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
