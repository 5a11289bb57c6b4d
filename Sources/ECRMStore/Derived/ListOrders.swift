import GRDB
import GRDBSQLite
import ECRMDomain

/// The member list's two stored orders, "by recency" (last_paid_at, member_id) and "by spend"
/// (paid_sum, member_id), as WITHOUT ROWID tables of their own instead of indexes on member_stats
/// (until v25: member_stats_last and member_stats_spend).
///
/// Why tables: a bulk load changes member_stats in a few hundred thousand places, and an index
/// cannot be changed that way cheaply: it was dropped and built again over all 1.3M rows (issue 19's
/// channel import: 1.5-1.9 s CPU, most of its indexes phase). A table can: the load knows each
/// changed member's old and new values (MemberStatsUpdater.merge reads the existing rows) and
/// applies the deletes and inserts sorted in key order, which touches each page once.
///
/// Who keeps them: triggers on member_stats, for every row-by-row writer (stats recomputed after
/// orders changed, merge and unmerge, a member deleted). A load's merge of new paid orders, bulk or
/// daily, drops the triggers inside its write transaction (`suspend`), writes member_stats
/// collecting its changes, and `resume` applies them sorted and creates the triggers again: kept by
/// the triggers, the daily import's 5,000 upserts cost 0.13-0.16 s more CPU than the two indexes did
/// (a statement journal and two trigger programs a row); applied by the load, no more than them.
///
/// Measured against the two indexes (release builds, paired, 2-core machine, load 1-2): issue 19's
/// channel import 5.76 s wall / 7.84 s CPU (medians of 5) against 6.60 / 9.42 (this step 0.6-0.8 s
/// against the index builds' 1.1-1.3 s wall, 1.8-2.2 s CPU); the first 1M/5M import 8.70 s against
/// 8.85 (3 pairs), its peak RSS 12 MiB higher (the keys held here for sorting); the daily import
/// 0.86 s against 0.90 (5 pairs; stats and list orders 0.10 s CPU against the stats' 0.13).
///
/// A load that fails or is killed rolls back as a whole, triggers and tables included, so nothing
/// else can leave them behind; `suspend` and `heal` (every bulk load) still mend a store whose
/// tables or triggers are missing: rebuilt from member_stats.
enum ListOrders {
    static let lastTable = "member_list_last"
    static let spendTable = "member_list_spend"

    /// Only members with a last paid time are in the recency order (the others follow it, by id:
    /// MemberListOrder); everyone with a stats row is in the spend order.
    static let tables = """
        CREATE TABLE IF NOT EXISTS member_list_last (
            last_paid_at TEXT NOT NULL, member_id INTEGER NOT NULL, PRIMARY KEY (last_paid_at, member_id)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS member_list_spend (
            paid_sum INTEGER NOT NULL, member_id INTEGER NOT NULL, PRIMARY KEY (paid_sum, member_id)) WITHOUT ROWID;
        """

    static let triggerNames = ["member_list_insert", "member_list_delete", "member_list_last_update", "member_list_spend_update"]

    /// The update triggers fire only when the key moves: an upsert that rewrites a row with the same
    /// last paid time (or sum) leaves the order alone.
    static let triggers = """
        CREATE TRIGGER IF NOT EXISTS member_list_insert AFTER INSERT ON member_stats BEGIN
            INSERT INTO member_list_last SELECT new.last_paid_at, new.member_id WHERE new.last_paid_at IS NOT NULL;
            INSERT INTO member_list_spend VALUES (new.paid_sum, new.member_id);
        END;
        CREATE TRIGGER IF NOT EXISTS member_list_delete AFTER DELETE ON member_stats BEGIN
            DELETE FROM member_list_last WHERE last_paid_at = old.last_paid_at AND member_id = old.member_id;
            DELETE FROM member_list_spend WHERE paid_sum = old.paid_sum AND member_id = old.member_id;
        END;
        CREATE TRIGGER IF NOT EXISTS member_list_last_update AFTER UPDATE OF last_paid_at, member_id ON member_stats
        WHEN old.last_paid_at IS NOT new.last_paid_at OR old.member_id != new.member_id BEGIN
            DELETE FROM member_list_last WHERE last_paid_at = old.last_paid_at AND member_id = old.member_id;
            INSERT INTO member_list_last SELECT new.last_paid_at, new.member_id WHERE new.last_paid_at IS NOT NULL;
        END;
        CREATE TRIGGER IF NOT EXISTS member_list_spend_update AFTER UPDATE OF paid_sum, member_id ON member_stats
        WHEN old.paid_sum != new.paid_sum OR old.member_id != new.member_id BEGIN
            DELETE FROM member_list_spend WHERE paid_sum = old.paid_sum AND member_id = old.member_id;
            INSERT INTO member_list_spend VALUES (new.paid_sum, new.member_id);
        END;
        """

    /// The two orders as member_stats gives them, in key order.
    static let fillSQL = """
        INSERT INTO member_list_last SELECT last_paid_at, member_id FROM member_stats WHERE last_paid_at IS NOT NULL ORDER BY 1, 2;
        INSERT INTO member_list_spend SELECT paid_sum, member_id FROM member_stats ORDER BY 1, 2;
        """

    /// The buyers' ids by (last paid, id) ascending: from member_list_last (26 MB at 1M as an index
    /// was, against 93 MB for member_stats with its histories), or sorted from member_stats in a store
    /// a migration before v25 is working on (v2 builds the search index).
    static func recencyIdsSQL(_ db: Database) throws -> String {
        try db.tableExists(lastTable) ? "SELECT member_id FROM member_list_last ORDER BY last_paid_at, member_id"
            : "SELECT member_id FROM member_stats WHERE last_paid_at IS NOT NULL ORDER BY last_paid_at, member_id"
    }

    /// Members whose last paid time is at or after ?1 and last paid day after ?2 (RFM's members who
    /// bought since a day): a range of member_list_last. (RFM runs only on a migrated store: no
    /// migration measures it, so unlike `recencyIdsSQL` this needs no way for a store before v25.)
    static let paidSinceSQL = "SELECT l.member_id FROM member_list_last l CROSS JOIN member_stats s ON s.member_id = l.member_id WHERE l.last_paid_at >= ?1 AND s.last_paid > ?2"

    /// Migration v25: the tables from member_stats, their triggers, and the two indexes they replace gone.
    static func install(_ db: Database) throws {
        try db.execute(sql: tables)
        try rebuild(db)
        try db.execute(sql: triggers)
        try db.execute(sql: "DROP INDEX IF EXISTS member_stats_last; DROP INDEX IF EXISTS member_stats_spend")
    }

    /// Both tables emptied and filled again from member_stats.
    static func rebuild(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM member_list_last; DELETE FROM member_list_spend")
        try db.execute(sql: fillSQL)
    }

    /// Whether the tables and all their triggers are there (a store as v25 left it).
    static func intact(_ db: Database) throws -> Bool {
        let names = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE 'member\\_list\\_%' ESCAPE '\\'")
        return Set(names).isSuperset(of: triggerNames + [lastTable, spendTable])
    }

    /// At the end of every bulk load (with the bulk indexes' IF NOT EXISTS): a store that lost a
    /// table or a trigger (not something ecrm does) gets them back, rebuilt from member_stats.
    static func heal(_ db: Database) throws {
        guard try !intact(db) else { return }
        try db.execute(sql: triggerNames.map { "DROP TRIGGER IF EXISTS \($0)" }.joined(separator: ";"))
        try db.execute(sql: tables)
        try rebuild(db)
        try db.execute(sql: triggers)
    }

    /// Before a bulk refresh writes member_stats: the triggers are dropped (in the caller's write
    /// transaction) and the changes are collected in the returned `Pending` instead.
    static func suspend(_ db: Database) throws -> Pending {
        let pending = Pending(rebuild: try !intact(db))
        try db.execute(sql: triggerNames.map { "DROP TRIGGER IF EXISTS \($0)" }.joined(separator: ";"))
        return pending
    }

    /// A load's changes to the two orders: old keys to delete, new keys to insert, applied sorted.
    final class Pending {
        /// Rebuild both tables from member_stats rather than apply the changes (missing tables or
        /// triggers found by `suspend`, member_stats rewritten wholesale, a key out of range here).
        var rebuild: Bool
        private var lastDeletes: [(stamp: Int64, member: Int64, text: String)] = []
        /// stamp << 32 | member: 8 bytes an entry (a first 1M import holds 1M of them, and sorts them).
        private var lastInserts: [UInt64] = []
        private var spendDeletes: [(sum: Int64, member: Int64)] = []
        private var spendInserts: [(sum: Int64, member: Int64)] = []

        init(rebuild: Bool) { self.rebuild = rebuild }

        /// A member_stats row before it is rewritten: its last_paid_at (column `lastColumn` of `row`,
        /// NULL for none) and paid_sum (column `sumColumn`).
        func removed(member: Int64, row: OpaquePointer, lastColumn: Int32, sumColumn: Int32) {
            guard !rebuild else { return }
            if let p = sqlite3_column_text(row, lastColumn) {
                let bytes = UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(row, lastColumn)))
                // Deleted by the exact text stored, sorted by the time it reads as (the key order for
                // the canonical form every writer stores).
                lastDeletes.append((LocalTime.parse(bytes: bytes)?.stamp ?? .min, member, String(decoding: bytes, as: UTF8.self)))
            }
            spendDeletes.append((sqlite3_column_int64(row, sumColumn), member))
        }

        /// A member_stats row as written: last_paid_at is `LocalTime(stamp: lastStamp)` as stored.
        /// Right after `removed` for the same member when the row was rewritten.
        func added(member: Int64, lastStamp: Int64, sum: Int64) {
            guard !rebuild else { return }
            guard (0...Int64(UInt32.max)).contains(lastStamp), (0...Int64(UInt32.max)).contains(member) else {
                rebuild = true
                return
            }
            // A key that did not move (orders older than the last one; amounts of 0) stays as it is.
            if let old = lastDeletes.last, old.member == member, old.stamp == lastStamp,
               old.text == TimeText(LocalTime(stamp: lastStamp)).withBytes({ String(decoding: $0, as: UTF8.self) }) {
                lastDeletes.removeLast()
            } else {
                lastInserts.append(UInt64(lastStamp) << 32 | UInt64(member))
            }
            if let old = spendDeletes.last, old.member == member, old.sum == sum {
                spendDeletes.removeLast()
            } else {
                spendInserts.append((sum, member))
            }
        }

        /// After the load's writes to member_stats: the changes applied in key order (or the tables
        /// rebuilt) and the triggers back.
        func resume(_ db: Database) throws {
            try db.execute(sql: ListOrders.tables)
            if rebuild {
                try ListOrders.rebuild(db)
            } else {
                let clock = TimingLog.stats.isOn ? TimingLog.threadCPU() : 0
                let counts = (lastDeletes.count, lastInserts.count, spendDeletes.count, spendInserts.count)
                try apply(db)
                TimingLog.stats.write(String(format: "list orders: by last paid %d deletes, %d inserts; by spend %d, %d; %.2f s CPU",
                                             counts.0, counts.1, counts.2, counts.3, TimingLog.threadCPU() - clock))
            }
            try db.execute(sql: ListOrders.triggers)
        }

        /// One DELETE a key, in the order given: `bind` binds a key's two columns.
        private func delete<Key>(_ keys: [Key], from table: String, _ db: Database, bind: (RawStatement, Key) -> Void) throws {
            let statement = try RawStatement(db, "DELETE FROM \(table)")
            for key in keys {
                bind(statement, key)
                try statement.step()
            }
        }

        /// Deletes first (a key freed by one member may be taken by another), each kind sorted in
        /// key order so the pages are visited once, in order.
        private func apply(_ db: Database) throws {
            lastDeletes.sort { ($0.stamp, $0.member) < ($1.stamp, $1.member) }
            try delete(lastDeletes, from: "member_list_last WHERE last_paid_at = ? AND member_id = ?", db) { s, d in
                s.bind(1, d.text)
                s.bind(2, d.member)
            }
            lastDeletes = []
            spendDeletes.sort { $0 < $1 }
            try delete(spendDeletes, from: "member_list_spend WHERE paid_sum = ? AND member_id = ?", db) { s, d in
                s.bind(1, d.sum)
                s.bind(2, d.member)
            }
            spendDeletes = []
            // OR FAIL: no statement journal for these appends (BatchInsert); a refusal fails the load.
            lastInserts.sort()
            let insertLast = try BatchInsert(db, "INSERT OR FAIL INTO member_list_last(last_paid_at, member_id)", values: "(?, ?)", columns: 2)
            try insertLast.insert(lastInserts) { s, key, k in
                TimeText(LocalTime(stamp: Int64(key >> 32))).withBytes { s.bind(k + 1, bytes: $0) }
                s.bind(k + 2, Int64(key & 0xFFFF_FFFF))
            }
            lastInserts = []
            spendInserts.sort { $0 < $1 }
            let insertSpend = try BatchInsert(db, "INSERT OR FAIL INTO member_list_spend(paid_sum, member_id)", values: "(?, ?)", columns: 2)
            try insertSpend.insert(spendInserts) { s, row, k in
                s.bind(k + 1, row.sum)
                s.bind(k + 2, row.member)
            }
            spendInserts = []
        }
    }
}
