import GRDB
import GRDBSQLite
import ECRMDomain

/// Stores a computation in `member_rfm`, rewriting only the rows that changed: after the first run
/// a daily recompute touches the few members whose orders or window edge moved, not all of them.
enum RFMResultWriter {
    /// One stored row's results, as compared with a fresh computation.
    struct StoredRow: Sendable, Equatable {
        var monetary: Int64
        var frequency: Int32
        var f, m, segment, lifecycle, isReturning: UInt8
        var lastPaid: String
        /// window_exit (RFMAccumulator.windowExit); nil when not known (NULL).
        var windowExit: Int64?

        /// Reads columns 1…9 of `statementSQL`'s row.
        init(_ h: OpaquePointer) {
            frequency = Int32(truncatingIfNeeded: sqlite3_column_int64(h, 1)); monetary = sqlite3_column_int64(h, 2)
            f = UInt8(truncatingIfNeeded: sqlite3_column_int64(h, 3))
            m = UInt8(truncatingIfNeeded: sqlite3_column_int64(h, 4)); segment = UInt8(truncatingIfNeeded: sqlite3_column_int64(h, 5))
            lifecycle = UInt8(truncatingIfNeeded: sqlite3_column_int64(h, 6)); isReturning = UInt8(truncatingIfNeeded: sqlite3_column_int64(h, 7))
            lastPaid = sqlite3_column_text(h, 8).map { String(cString: $0) } ?? ""
            windowExit = sqlite3_column_type(h, 9) == SQLITE_NULL ? nil : sqlite3_column_int64(h, 9)
        }

        init(_ c: RFMEngine.Computation, _ k: Int) {
            let x = c.measures[k], s = c.scoring.scores[k]
            monetary = x.monetary; frequency = Int32(truncatingIfNeeded: x.frequency)
            f = s.f; m = s.m; segment = s.segment.code; lifecycle = c.lifecycles[k].code
            isReturning = x.isReturning ? 1 : 0
            lastPaid = lastPaidText(x)
            windowExit = Int64(c.exits[k])
        }

        /// No R: a row's R follows from its last paid day under the scale stored with it (RFMDerivedR),
        /// so a row whose R alone moved with the quintile edges is not written.
        static let statementSQL = "SELECT member_id, frequency, monetary, f, m, segment, lifecycle, is_returning, last_paid, window_exit FROM member_rfm ORDER BY member_id"
    }

    static func write(_ c: RFMEngine.Computation, db: Database) throws {
        let isEmpty = try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM member_rfm LIMIT 1)") == 0
        if isEmpty { return try rewrite(c, db: db) }
        // Compared as the scan goes (a million stored rows are not held); written after: changing
        // the table under an open scan is undefined.
        let scan = try RawStatement(db, StoredRow.statementSQL)
        defer { sqlite3_reset(scan.handle) }
        try apply(c, db: db) {
            guard try scan.next() else { return nil }
            return (sqlite3_column_int64(scan.handle, 0), StoredRow(scan.handle))
        }
    }

    /// Scores every member of `s` (a small write's RFMBase snapshot, brought up to date with the
    /// members it touched), writes what differs from the stored rows, then the summary, scale and
    /// rule tags: exactly what a full recompute over the same measures stores.
    static func write(_ s: inout RFMBase.Snapshot, db: Database) throws {
        let settings = s.settings, n = s.ids.count, asOf = settings.asOf.number
        var recency = [Int32](repeating: 0, count: n)
        for i in 0..<n where s.frequency[i] >= 1 { recency[i] = asOf &- s.last[i] }
        var r: [UInt8] = [], f: [UInt8] = [], m: [UInt8] = [], seg: [UInt8] = []
        let scale = RFM.scoreColumns(recency: recency, frequency: s.frequency, monetary: s.monetary, mode: settings.mode,
                                     r: &r, f: &f, m: &m, segment: &seg)
        recency = []
        // What to write, and the summary's tallies (computation's, in flat arrays).
        var inserts: [Int] = [], rows: [Int] = [], scores: [Int] = []
        var segCount = [Int](repeating: 0, count: Segment.allCases.count)
        var segMoney = [Fen](repeating: 0, count: Segment.allCases.count)
        var lifeCount = [Int](repeating: 0, count: Lifecycle.allCases.count)
        var grid = Array(repeating: Array(repeating: 0, count: 5), count: 5)
        var returning = 0, scored = 0
        let none = Segment.none.code
        for i in 0..<n {
            let c = Int(seg[i])
            segCount[c] += 1
            segMoney[c] += s.monetary[i]
            lifeCount[Int(s.lifecycle[i])] += 1
            returning += Int(s.returning[i])
            if seg[i] != none {
                scored += 1
                grid[Int(r[i]) - 1][Int(f[i]) - 1] += 1
            }
            if s.segment[i] == RFMBase.Snapshot.noRow { inserts.append(i) }
            else if s.dirty[i] { rows.append(i) }
            // R is no column (RFMDerivedR): a moved R alone writes nothing.
            else if f[i] != s.f[i] || m[i] != s.m[i] || seg[i] != s.segment[i] { scores.append(i) }
        }
        var summary = RFMSummary(settings: settings)
        summary.memberCount = n
        summary.scoredCount = scored
        summary.returningCount = returning
        summary.grid = grid
        for sg in Segment.allCases { summary.segments[sg] = .init(count: segCount[Int(sg.code)], monetary: segMoney[Int(sg.code)]) }
        for l in Lifecycle.allCases { summary.lifecycle[l] = lifeCount[Int(l.code)] }
        (summary.meanR, summary.meanF, summary.meanM) = scale.means

        func bind(_ st: RawStatement, _ i: Int, _ k: Int32) {
            st.bind(k + 1, s.ids[i])
            st.bind(k + 2, Int64(s.frequency[i])); st.bind(k + 3, s.monetary[i])
            st.bind(k + 4, Int64(f[i])); st.bind(k + 5, Int64(m[i]))
            st.bind(k + 6, Int64(seg[i])); st.bind(k + 7, Int64(s.lifecycle[i])); st.bind(k + 8, Int64(s.returning[i]))
            st.bind(k + 9, s.last[i] == RFMBase.Snapshot.noDay ? "" : Day(number: s.last[i]).description)
            st.bind(k + 10, s.exit[i] == RFMBase.Snapshot.noDay ? nil : Int64(s.exit[i]))
        }
        if inserts.count + rows.count + scores.count + s.orphans.count > n / 4 {
            // Most rows changed: the whole table anew (see `apply`).
            let indexes = Schema.bulkIndexes.filter { $0.table == "member_rfm" } + Schema.rfmIncrementalIndexes
            for index in indexes { try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)") }
            try db.execute(sql: "DELETE FROM member_rfm")
            try appender(db).insert(0..<n) { st, i, k in bind(st, i, k) }
            try Maintenance.buildIndexes(db, indexes.map(\.create))
        } else {
            let del = try RawStatement(db, "DELETE FROM member_rfm WHERE member_id = ?")
            for id in s.orphans { del.bind(1, id); try del.step() }
            try appender(db).insert(inserts) { st, i, k in bind(st, i, k) }
            // Each changed row sets only the columns that changed among those the list indexes hold
            // (last_paid, lifecycle, f, segment): SQLite then leaves the other indexes alone,
            // which is most of an update's cost.
            var updates = RFMRowUpdates()
            func update(_ i: Int, measure: Bool) throws {
                let was = measure ? s.previous[i] : (s.last[i], s.lifecycle[i])
                var changed = RFMRowUpdates.m | (measure ? RFMRowUpdates.measure : 0)
                if was?.0 != s.last[i] { changed |= RFMRowUpdates.lastPaid }
                if was?.1 != s.lifecycle[i] { changed |= RFMRowUpdates.lifecycle }
                if f[i] != s.f[i] { changed |= RFMRowUpdates.f }
                if seg[i] != s.segment[i] { changed |= RFMRowUpdates.segment }
                let st = try updates.statement(db, changed: changed)
                bind(st, i, 0)
                try st.step()
            }
            for i in rows { try update(i, measure: true) }
            // Only the scores moved (quintile edges or means shifted): the measure columns stay.
            for i in scores { try update(i, measure: false) }
        }
        let dist = try RFMDistribution.build(db, settings: settings, scale: scale, count: n) { i in (s.last[i], s.frequency[i], s.monetary[i]) }
        try RFMEngine.storeAfterWrite(db, settings: settings, summary: summary, scale: scale, dist: dist)
    }

    /// Compares the computation with the stored rows (`next`, ascending ids), then writes the
    /// difference, or the whole table when most of it changed.
    private static func apply(_ c: RFMEngine.Computation, db: Database, next: () throws -> (Int64, StoredRow)?) throws {
        var inserts: [Int] = [], updates: [Int] = [], deletes: [Int64] = []
        var k = 0
        var old = try next()
        while old != nil || k < c.ids.count {
            let oldId = old?.0 ?? Int64.max
            let new = k < c.ids.count ? c.ids[k] : Int64.max
            if new < oldId {
                inserts.append(k); k += 1
            } else if oldId < new {
                deletes.append(oldId)
                old = try next()
            } else {
                if old!.1 != StoredRow(c, k) { updates.append(k) }
                k += 1
                old = try next()
            }
        }
        // Most rows changed (the first recompute after a big orders import): rewriting the table and
        // building its three indexes once is far cheaper than a million in-place updates, each moving
        // entries in all three (measured ~15 s against ~1 s at 1M members).
        if inserts.count + updates.count + deletes.count > c.ids.count / 4 { return try rewrite(c, db: db) }
        try appender(db).insert(inserts) { s, i, k in bindRow(s, c, i, from: k) }
        let upd = try RawStatement(db, "UPDATE member_rfm SET frequency = ?2, monetary = ?3, f = ?4, m = ?5, segment = ?6, lifecycle = ?7, is_returning = ?8, last_paid = ?9, window_exit = ?10 WHERE member_id = ?1")
        for i in updates { bindRow(upd, c, i); try upd.step() }
        let del = try RawStatement(db, "DELETE FROM member_rfm WHERE member_id = ?")
        for id in deletes { del.bind(1, id); try del.step() }
    }

    /// Every row anew: empty the table, append, then build the list indexes once.
    private static func rewrite(_ c: RFMEngine.Computation, db: Database) throws {
        let indexes = Schema.bulkIndexes.filter { $0.table == "member_rfm" } + Schema.rfmIncrementalIndexes
        for index in indexes { try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)") }
        try db.execute(sql: "DELETE FROM member_rfm")
        try appender(db).insert(c.ids.indices) { s, i, k in bindRow(s, c, i, from: k) }
        try Maintenance.buildIndexes(db, indexes.map(\.create))
    }

    /// New rows, `bindRow` order.
    private static func appender(_ db: Database) throws -> BatchInsert {
        try BatchInsert(db, "INSERT INTO member_rfm(member_id, frequency, monetary, f, m, segment, lifecycle, is_returning, last_paid, window_exit)",
                        values: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", columns: 10)
    }

    /// Row i's ten columns at parameters k+1…k+10 (member_id first, as in every statement here).
    private static func bindRow(_ s: RawStatement, _ c: RFMEngine.Computation, _ i: Int, from k: Int32 = 0) {
        let x = c.measures[i], sc = c.scoring.scores[i]
        s.bind(k + 1, c.ids[i])
        s.bind(k + 2, Int64(x.frequency)); s.bind(k + 3, x.monetary)
        s.bind(k + 4, Int64(sc.f)); s.bind(k + 5, Int64(sc.m))
        s.bind(k + 6, Int64(sc.segment.code)); s.bind(k + 7, Int64(c.lifecycles[i].code)); s.bind(k + 8, Int64(x.isReturning ? 1 : 0))
        s.bind(k + 9, lastPaidText(x))
        s.bind(k + 10, Int64(c.exits[i]))
    }

    /// "YYYY-MM-DD" of the last paid order on or before as-of, '' when none (a small String: no allocation).
    private static func lastPaidText(_ x: RFMMeasure) -> String { x.lastPaid?.description ?? "" }
}
