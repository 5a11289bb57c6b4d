import Foundation
import GRDB
import GRDBSQLite
import CStoreTuning

/// Index and search-structure upkeep around bulk loads.
enum Maintenance {
    enum Scope { case members, orders, all }

    /// The writer connection's page cache outside a big load (SQLite's default, 2 MB), restored
    /// after `bulkWrite` and after a big load that is not bulk (Importer.restoreCache).
    static let usualCacheSize = "-2000"

    /// Runs a large load in one transaction on the writer connection with bulk-friendly settings:
    /// foreign-key probes off (the loader resolves every member id itself, from its own key map),
    /// CHECK constraints off (every value comes from a parsed domain type the parser has already
    /// checked: amount ≥ 0, a known status; evaluating them took about 15% of the 5M-order load)
    /// and a bigger page cache; all are restored afterwards, also when the load throws.
    static func bulkWrite<T>(_ store: Store, bulk: Bool, _ activity: WriteActivity, _ access: Store.Access,
                             _ body: (Database) throws -> T) throws -> T {
        guard bulk else { return try store.write(activity, access, body) }
        // Our own idle reader connections (e.g. from the operator check) would block the journal
        // switch below: close them first.
        store.pool.releaseMemory()
        return try store.translate {
            try store.pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON; PRAGMA cache_size = -16384")
                // When no other session has the store open, load through a rollback journal: new pages are
                // then written once, instead of once to the WAL and again at checkpoint. SQLite refuses the
                // switch while any other connection is open, and the load then stays in WAL so concurrent
                // consoles keep reading. Not waiting for that (withoutWaiting, rather than switching
                // busy_timeout off and on, which would also drop the store's busy handler). A killed load
                // rolls back from the journal on the next open.
                // Only where the files SQLite creates get the store's group by themselves: in a store
                // shared through a group, a journal (or the WAL made again after it) in the importer's
                // own group would lock the others out (StoreFiles).
                // The switch must delete the WAL, kept otherwise (KeptWAL): SQLite opens a store that
                // has a -wal in WAL mode again at its next transaction, and a session opening the store
                // after this one died between its commit and the switch back would read the WAL's
                // frames back over the load's pages.
                let mode: String
                if StoreFiles.newFilesGetStoreGroup(store.path) {
                    KeptWAL.keep(db, false)
                    mode = store.withoutWaiting { (try? String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")) ?? "wal" }
                    if mode != "delete" { KeptWAL.keep(db, true) }
                } else {
                    mode = "wal"
                }
                defer {
                    // Back to WAL; a session that opened meanwhile and waits for us switches it itself.
                    if mode == "delete" {
                        store.withoutWaiting { _ = try? db.execute(sql: "PRAGMA journal_mode = WAL") }
                        KeptWAL.keep(db, true)
                    }
                    try? db.execute(sql: "PRAGMA foreign_keys = ON; PRAGMA ignore_check_constraints = OFF; PRAGMA cache_size = \(usualCacheSize)")
                }
                return try store.inWriteTransaction(db, activity, access) { db, _ in try body(db) }
            }
        }
    }

    /// Drops the bulk indexes a load of `scope` would otherwise maintain row by row. (What follows
    /// was measured with member_stats' two list indexes, which since v25 are tables a load changes in
    /// key order instead: ListOrders.) Measured for
    /// issue 19's channel import (1.23M member_stats rows after it; 236k new and 99.5k changed,
    /// 27%), sqlite3 on a copy: dropping both member_stats indexes, writing the rows and building
    /// them again took 2.2 s CPU (the two builds 1.4-1.6 s, member_stats_last the larger); keeping
    /// them took 3.3 s with the load's 16 MB page cache, 2.2 s with 64 MB, and 4.1-4.6 s with the
    /// rows written in one index's key order (the table and the other index then take them at
    /// random); keeping only member_stats_spend cost as much as building it. So at a quarter of
    /// the table (where bulk mode starts: Importer.bulkPays) the drop pays with the load's cache,
    /// and a bigger one (more memory) would only make the two even.
    ///
    /// Each rebuild is mostly SQLite's sort, and nothing tried made it cheaper (the SQLite ecrm
    /// links, a copy of the store after that import: 1,227,662 rows; loaded machine, CPU s). Reading
    /// the column 0.12-0.16, with ORDER BY 0.71-0.82, CREATE INDEX single-threaded 0.61-0.78. An
    /// INTEGER key for member_stats_last (epoch seconds, same table) 0.79-0.92 against 0.87 for the
    /// TEXT one; partial indexes (last_paid_at IS NOT NULL, paid_sum > 0) would leave out no row
    /// (only members with paid orders have one); both builds with 256 KB-1 MB sort runs
    /// (SQLITE_CONFIG_PMASZ) as with 2 MB, with 16-64 MB runs 1.8-2.7 against 1.35-1.9, with
    /// temp_store = MEMORY 2.7-2.9. What would pay is not rebuilding: the import's changes applied
    /// in key order to a WITHOUT ROWID table keyed like the index (50,856 deletes and 287,942 inserts
    /// by last_paid_at, 98,607 and 335,693 by paid_sum) took 0.34-0.42 each against 0.75-0.9 for
    /// the build; that needs such tables kept by every writer and read instead of these indexes,
    /// and kept by triggers they cost row-by-row writers more than an index does (102k member_stats
    /// rows' paid_sum updated in one statement: 0.80-0.85 s CPU against 0.64-0.69, 0.29 without).
    /// Debian's SQLite zeroes every page a drop frees (SQLITE_SECURE_DELETE): dropping the two and
    /// member_identity_member alone took 0.34-0.40 s wall against 0.09-0.13 with secure_delete off,
    /// but dropped and rebuilt in one transaction, as a load does, the same either way (2.9-4.0 s
    /// wall, 1.9-2.0 s CPU, three pairs, loaded machine): the rebuild reuses those pages, which are
    /// journaled once either way. So the drop keeps the connection's setting.
    static func dropBulkIndexes(_ db: Database, for scope: Scope) throws {
        for index in Schema.bulkIndexes {
            let hit: Bool
            switch scope {
            case .members: hit = index.table == "member"
            case .orders: hit = index.table == "orders" || index.table == "member_stats"
            case .all: hit = true
            }
            if hit { try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)") }
        }
    }

    /// Creates whatever bulk index is missing (also heals a store whose load was killed mid-way).
    /// `othersBusy`: another thread of the load keeps a core busy meanwhile (a bulk load into an
    /// empty store sorts its search pairs during this phase: EarlyPairs). SQLite's sorter then gets
    /// only the cores left over (`sortThreads`): on two cores a second sorter thread just competed
    /// with that one. The first 1M/5M import (member_stats_last and _spend over 1M rows), three
    /// paired runs on a loaded 2-core machine: the phase 1.1-1.5 s CPU against 1.5-1.8 s, the
    /// import 0.3-1.5 s less CPU; sqlite3 alone building both, loaded: 1.49-1.58 s CPU single-
    /// threaded against 1.69-2.06 s with two threads.
    ///
    /// member_identity_member sorts on this thread alone whatever the others get: at issue 19's 400k
    /// identities its sort is a few runs, and SQLite's helper threads only added work. The build
    /// alone (the SQLite ecrm links, a copy of the store after that import), three alternating pairs
    /// on a loaded machine (load 6): 0.125 s CPU / 0.25-0.29 s wall against 0.164-0.171 / 0.30-0.36
    /// with two threads (five more pairs: 0.123-0.128 / 0.19-0.30 against 0.162-0.199 / 0.29-0.45).
    /// Too small to see in the whole 1M import there (the phase 2.09-2.32 s CPU before, 2.08-2.52
    /// after, four pairs).
    static func createBulkIndexes(_ db: Database, othersBusy: Bool = false) throws {
        func ifMissing(_ indexes: [(name: String, table: String, create: String)]) -> [String] {
            indexes.map { $0.create.replacingOccurrences(of: "CREATE INDEX ", with: "CREATE INDEX IF NOT EXISTS ") }
        }
        try buildIndexes(db, ifMissing(Schema.bulkIndexes), sortThreads: sortThreads(othersBusy: othersBusy))
        try buildIndexes(db, ifMissing(identityBulkIndexes), sortThreads: 0)
        try ListOrders.heal(db)
    }

    /// SQLite's auxiliary sorter threads for an index build: two, or while another thread of the
    /// load is busy, those of the machine's cores beyond that thread and this one (up to two).
    static func sortThreads(othersBusy: Bool, cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> Int {
        othersBusy ? max(0, min(2, cores - 2)) : 2
    }

    /// member_identity's index by member (IdentityTables), which a bulk load of another channel's
    /// members drops and `createBulkIndexes` rebuilds: nothing of the load reads identities by member
    /// (its key map is preloaded). Not in Schema.bulkIndexes, which migration v1 creates.
    static let identityBulkIndexes: [(name: String, table: String, create: String)] = [
        ("member_identity_member", "member_identity", "CREATE INDEX member_identity_member ON member_identity(member_id)"),
    ]

    static func dropIdentityBulkIndexes(_ db: Database) throws {
        for index in identityBulkIndexes { try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)") }
    }

    /// Runs CREATE INDEX statements with their sorts on two threads and a small page cache: SQLite
    /// sizes its in-memory sort runs by cache_size, and small runs merged on two threads measured
    /// faster (an orders(member_id) index at 5M: 2.5 s with 2 MB against 3.9 s with 16 MB; member_rfm_segment at
    /// 1M: 0.7 s against 1.6 s) and hold ~10 MB instead of ~70 MB. `sortThreads`: SQLite's
    /// auxiliary sorter threads (PRAGMA threads), restored afterwards with the cache size.
    static func buildIndexes(_ db: Database, _ creates: [String], sortThreads: Int = 2) throws {
        let cache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
        let threads = try Int.fetchOne(db, sql: "PRAGMA threads") ?? 0
        try db.execute(sql: "PRAGMA cache_size = -2000; PRAGMA threads = \(sortThreads)")
        defer { try? db.execute(sql: "PRAGMA cache_size = \(cache); PRAGMA threads = \(threads)") }
        for sql in creates { try db.execute(sql: sql) }
    }

    /// Starts the kernel writing what the load has written so far to disk while the load goes on.
    /// Nothing makes it start by itself before the commit: a 1M-member import dirties about 650 MB
    /// in seconds, under the kernel's background thresholds (10% of memory, 30 s), so the commit's
    /// fsync wrote it all while the import waited. A hint: failing changes nothing.
    static func startWriteback(_ db: Database) {
        if let path = storeFile(db) { _ = ecrm_start_writeback(path) }
    }

    /// Runs `body` (a checkpoint) while a helper thread starts the writeback of the store file at
    /// `path` every 10 ms: the pages the checkpoint copies in go to disk while it copies the rest,
    /// and its closing sync waits only for the last of them, not for all of a daily import's ~150 MB
    /// (at 1M: that sync took 0.11–0.22 s of the commit, now mostly under 20 ms; no CPU measurable).
    /// Doing the same for the -wal during a load that is not bulk (its 2 MB page cache spills there
    /// long before the commit) took the checkpoint's first sync (~0.06 s) away too, but cost ~0.07 s
    /// of CPU: spilled pages written again are written to disk twice. A hint, like startWriteback.
    static func whileWritingBack<T>(_ path: String?, _ body: () throws -> T) rethrows -> T {
        guard let path else { return try body() }
        let stop = DispatchSemaphore(value: 0), stopped = DispatchSemaphore(value: 0)
        Thread {
            while stop.wait(timeout: .now() + .milliseconds(10)) == .timedOut {
                if ecrm_start_writeback(path) == 0 { writebacks.add() }
            }
            stopped.signal()
        }.start()
        defer { stop.signal(); stopped.wait() }
        return try body()
    }

    /// Writebacks the helper thread of `whileWritingBack` started, in this process (tests see that
    /// it ran during a checkpoint; one counter bump per 10 ms tick, nothing else).
    static let writebacks = Tally()

    /// The path of the store's file; nil for a store without one (in memory).
    static func storeFile(_ db: Database) -> String? {
        guard let name = sqlite3_db_filename(db.sqliteConnection, "main"), name.pointee != 0 else { return nil }
        return String(cString: name)
    }

    /// After a big load: refresh planner statistics, sampling (a full ANALYZE would rescan every row).
    static func afterLoad(_ db: Database, bulk: Bool) throws {
        if bulk { try db.execute(sql: "PRAGMA analysis_limit = 400; ANALYZE") }
    }
}
