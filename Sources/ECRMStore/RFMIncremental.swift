import Foundation
import GRDB
import GRDBSQLite
import ECRMDomain

/// What every whole-shop scoring's quintile edges come from, stored beside the result (setting
/// `rfm.dist`) so that a small import scores only the members whose score can change instead of
/// reading and scoring all of them (RFMIncremental):
/// - R: scored members per last-paid day (R's order is the last paid day's, whatever the as-of);
/// - F: scored members per order count;
/// - M: the four M edges, each with how many scored members are below and at it (amounts are
///   too many to count one by one; the member_rfm_money index walks from an edge to its neighbours).
/// The stamp says which store it describes: the stats version and the highest member id after
/// that scoring, and its settings. Any writer that changes paid histories (StatsVersion), adds a
/// member, or scores rows otherwise (a merge: MergeRFM clears it) makes it stale, and the next
/// import takes the full path, which stores it again.
struct RFMDistribution: Codable, Equatable {
    var statsVersion: Int64
    var maxMemberId: Int64
    var settings: RFMSettings
    var lastDays = RFMHistogram()
    var frequencies = RFMHistogram()
    var money: [RankedEdge] = []

    static let key = "rfm.dist"

    var scored: Int { lastDays.total }

    /// Built from a whole-shop scoring: `count` members, `member(k)` the k-th one's last paid day,
    /// F and M (F ≥ 1: scored), `scale` the scoring's (its M edges are the ones ranked).
    static func build(_ db: Database, settings: RFMSettings, scale: RFMScale, count: Int,
                      member: (Int) -> (last: Int32, frequency: Int32, monetary: Int64)) throws -> RFMDistribution {
        var d = RFMDistribution(statsVersion: try StatsVersion.current(db), maxMemberId: try maxMemberId(db), settings: settings)
        d.money = scale.m.map { RankedEdge(value: $0, below: 0, equal: 0) }
        for k in 0..<count {
            let x = member(k)
            guard x.frequency >= 1 else { continue }
            d.lastDays.add(Int64(x.last))
            d.frequencies.add(Int64(x.frequency))
            for j in d.money.indices {
                if x.monetary < d.money[j].value { d.money[j].below += 1 } else if x.monetary == d.money[j].value { d.money[j].equal += 1 }
            }
        }
        return d
    }

    static func maxMemberId(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT max(id) FROM member") ?? 0
    }

    static func load(_ db: Database) throws -> RFMDistribution? {
        guard let json = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [key]) else { return nil }
        return try? JSONDecoder().decode(RFMDistribution.self, from: Data(json.utf8))
    }

    /// Stores it (nil: removes the stored one, so the next import takes the full path).
    static func save(_ db: Database, _ d: RFMDistribution?) throws {
        guard let d else { return try clear(db) }
        let json = String(decoding: try JSONEncoder().encode(d), as: UTF8.self)
        try db.execute(sql: "INSERT INTO setting(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", arguments: [key, json])
    }

    /// For writers that change member_rfm rows without a whole-shop scoring (merge, unmerge).
    static func clear(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM setting WHERE key = ?", arguments: [key])
    }
}

/// A small import's RFM without reading every member: the members it touched (and, when the as-of
/// moved on, those whose window edge passed, who are stored `new`, who bought after the stored
/// as-of, or whose lifecycle window ends) are measured or moved on; the stored distribution
/// (RFMDistribution) gives the new quintile edges and score sums; the members whose value lies
/// between an old and a new edge are read through indexes; only they and the changed members are
/// scored again, and only rows that differ are written. The summary moves by the rows' old and
/// new contributions. Exactly what a full recompute stores; when a condition for that is not met
/// (an F edge or a high/low line moved, too many members, anything not matching) it returns false
/// having written nothing, and the caller takes the full path.
enum RFMIncremental {
    /// Whether the stored distribution describes the store as it is, for an import as of `asOf`
    /// with the shop's saved settings (read before the import changes anything).
    static func applies(_ db: Database, asOf: Day) throws -> Bool {
        guard let d = try RFMDistribution.load(db), let last = try RFMEngine.lastSettings(db), d.settings == last,
              last.asOf <= asOf else { return false }
        var moved = last
        moved.asOf = asOf
        guard try RFMEngine.loadConfig(db).settings(asOf: asOf) == moved else { return false }
        if case .custom(let e) = last.mode, e.problem() != nil { return false }
        guard d.scored > 0, d.money.count == 4, try d.statsVersion == StatsVersion.current(db),
              try d.maxMemberId == RFMDistribution.maxMemberId(db) else { return false }
        guard let scale = try RFMEngine.lastScale(db), scale.r.count == 4, scale.f.count == 4, scale.m.count == 4,
              scale.scored == Int64(d.scored), try RFMEngine.lastSummary(db)?.settings == last else { return false }
        // Rows without a known window exit (a store migrated to v18 before its next recompute): a
        // full recompute fills them, so the full path runs until none is left.
        return try Int.fetchOne(db, sql: "SELECT 1 FROM member_rfm WHERE \(exitIndexed) AND window_exit IS NULL LIMIT 1") == nil
    }

    /// A stored member_rfm row; `r` derived from its last paid day under the scale it was scored
    /// against (RFMDerivedR: not a column).
    struct Row {
        var frequency: Int32, monetary: Int64
        var r: UInt8, f: UInt8, m: UInt8, segment: UInt8, lifecycle: UInt8, returning: UInt8
        /// Day number of last_paid; RFMBase.Snapshot.noDay when none.
        var last: Int32
        var exit: Int64?
        var scored: Bool { frequency >= 1 }
    }

    static let columns = "member_id, frequency, monetary, f, m, segment, lifecycle, is_returning, last_paid, window_exit"
    /// The partial indexes' conditions, written out so that SQLite uses them (Schema v20).
    static let moneyIndexed = "frequency >= 1"
    static let exitIndexed = "(window_exit IS NULL OR window_exit < 2147483647)"

    /// The row at `h` (a query selecting `columns`), its R derived with `derived` (the stored scale's).
    private static func row(_ h: OpaquePointer, _ derived: RFMDerivedR?) -> Row {
        var last = RFMBase.Snapshot.noDay
        if let p = sqlite3_column_text(h, 8), sqlite3_column_bytes(h, 8) == 10 {
            func d(_ i: Int) -> Int { Int(p[i]) - 48 }
            last = Day(year: d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3), month: d(5) * 10 + d(6), day: d(8) * 10 + d(9))?.number ?? RFMBase.Snapshot.noDay
        }
        let frequency = Int32(truncatingIfNeeded: sqlite3_column_int64(h, 1))
        let r: UInt8 = frequency >= 1 && last != RFMBase.Snapshot.noDay ? derived?.r(last: last) ?? 0 : 0
        return Row(frequency: frequency, monetary: sqlite3_column_int64(h, 2),
                   r: r, f: UInt8(truncatingIfNeeded: sqlite3_column_int64(h, 3)),
                   m: UInt8(truncatingIfNeeded: sqlite3_column_int64(h, 4)), segment: UInt8(truncatingIfNeeded: sqlite3_column_int64(h, 5)),
                   lifecycle: UInt8(truncatingIfNeeded: sqlite3_column_int64(h, 6)), returning: UInt8(truncatingIfNeeded: sqlite3_column_int64(h, 7)),
                   last: last, exit: sqlite3_column_type(h, 9) == SQLITE_NULL ? nil : sqlite3_column_int64(h, 9))
    }

    /// Rows of a query selecting `columns`, into `rows` (kept when already there).
    private static func collect(_ db: Database, _ sql: String, _ args: [Int64?] = [], texts: [String] = [], derived: RFMDerivedR?,
                                into rows: inout [Int64: Row]) throws -> Int {
        let st = try RawStatement(db, sql)
        defer { sqlite3_reset(st.handle) }
        var k: Int32 = 1
        for a in args { st.bind(k, a); k += 1 }
        for t in texts { st.bind(k, t); k += 1 }
        var n = 0
        while try st.next() {
            let id = sqlite3_column_int64(st.handle, 0)
            if rows[id] == nil { rows[id] = row(st.handle, derived) }
            n += 1
        }
        return n
    }

    private static func ids(_ db: Database, _ sql: String, _ bind: (RawStatement) -> Void) throws -> [Int64] {
        let st = try RawStatement(db, sql)
        defer { sqlite3_reset(st.handle) }
        bind(st)
        var out: [Int64] = []
        while try st.next() { out.append(sqlite3_column_int64(st.handle, 0)) }
        return out
    }

    static func dayText(_ n: Int32) -> String { Day(number: n).description }

    /// The refresh, inside the import's write transaction after its stats are in. `members`: every
    /// member the import touched. True when done; false when nothing was written and the full
    /// path must run. Call only when `applies` said yes before the import changed anything.
    static func refresh(_ db: Database, members: Set<Int64>, settings: RFMSettings) throws -> Bool {
        guard var dist = try RFMDistribution.load(db), let oldScale = try RFMEngine.lastScale(db),
              var summary = try RFMEngine.lastSummary(db) else { return no(1) }
        let A = settings.asOf.number, A0 = dist.settings.asOf.number, windows = settings.lifecycle
        let n0 = dist.scored
        // The stored rows' R: their last paid days under the stored scale (the rows keep no R).
        let oldDerived = RFMDerivedR(settings: dist.settings, scale: oldScale)
        let limit = n0 / 8 + 64
        var clock = Clock(on: TimingLog.rfm.isOn)
        // 1. Who is measured again, and whose lifecycle alone moves.
        var again = members
        var rows: [Int64: Row] = [:]
        if A > A0 {
            // Rows without a known window exit (a store migrated to v18 before its next recompute).
            let unknown = try ids(db, "SELECT member_id FROM member_rfm WHERE \(exitIndexed) AND window_exit IS NULL LIMIT 1") { _ in }
            guard unknown.isEmpty else { return no(2) }
            again.formUnion(try ids(db, "SELECT member_id FROM member_rfm WHERE \(exitIndexed) AND window_exit <= ?") { $0.bind(1, Int64(A)) })
            again.formUnion(try ids(db, "SELECT member_id FROM member_rfm WHERE lifecycle = ?") { $0.bind(1, Int64(Lifecycle.new.code)) })
            again.formUnion(try ids(db, ListOrders.paidSinceSQL) {
                $0.bind(1, Day(number: A0).adding(days: 1).description); $0.bind(2, Int64(A0))
            })
            guard again.count <= limit else { return no(3) }
            // The stage moves when the days since the last order cross the active or sleeping window's end.
            let codes = Lifecycle.allCases.map { String($0.code) }.joined(separator: ",")
            for w in [windows.activeDays, windows.sleepingDays] {
                _ = try collect(db, "SELECT \(columns) FROM member_rfm WHERE lifecycle IN (\(codes)) AND last_paid >= ? AND last_paid < ?",
                                texts: [dayText(A0 &- Int32(clamping: w)), dayText(A &- Int32(clamping: w))], derived: oldDerived, into: &rows)
            }
        }
        guard again.count <= limit else { return no(4) }
        let sortedAgain = again.sorted()
        let fresh = try RFMEngine.measure(db, members: sortedAgain, settings: settings)
        guard fresh.ids.count == sortedAgain.count else { return no(5) }   // a member is gone: not an import's case
        let byId = try RawStatement(db, "SELECT \(columns) FROM member_rfm WHERE member_id = ?")
        var stored: [Int64: Row] = [:]   // rows of `again` (absent: a new member)
        for id in sortedAgain {
            byId.bind(1, id)
            if try byId.next() { stored[id] = row(byId.handle, oldDerived) }
            sqlite3_reset(byId.handle)
        }
        for id in sortedAgain { rows[id] = nil }

        clock.mark("measure \(again.count)")
        // 2. The distribution after the change.
        var removedM: [Int64] = [], addedM: [Int64] = []
        var newRows: [Int64: Row] = [:]
        for (j, id) in fresh.ids.enumerated() {
            let x = fresh.measures[j]
            if let old = stored[id], old.scored {
                guard dist.lastDays.remove(Int64(old.last)), dist.frequencies.remove(Int64(old.frequency)) else { return no(6) }
                removedM.append(old.monetary)
            }
            let row = Row(frequency: Int32(clamping: x.frequency), monetary: x.monetary, r: 0, f: 0, m: 0, segment: Segment.none.code,
                          lifecycle: x.lifecycle(asOf: settings.asOf, windows: windows).code, returning: x.isReturning ? 1 : 0,
                          last: x.lastPaid?.number ?? RFMBase.Snapshot.noDay, exit: Int64(fresh.exits[j]))
            if row.scored {
                dist.lastDays.add(Int64(row.last)); dist.frequencies.add(Int64(row.frequency))
                addedM.append(row.monetary)
            }
            newRows[id] = row
        }
        removedM.sort(); addedM.sort()
        let n = dist.scored
        guard n > 0 else { return no(7) }

        // 3. New edges, in value space: a value scores 1 + how many of the four it exceeds (R on
        // the last paid day: −recency = last − as-of; custom R edges ≤ e days mean last > as-of − e − 1).
        var scale = RFMScale(mode: settings.mode)
        var oldR: [Int64], newR: [Int64], oldF: [Int64], newF: [Int64]
        let oldM = dist.money.map(\.value)
        let moneyRanks: [RankedEdge]
        if scale.quintiles {
            oldR = oldScale.r.map { $0 + Int64(A0) }; oldF = oldScale.f
            newR = dist.lastDays.quintileEdges(); newF = dist.frequencies.quintileEdges()
            let walk = try RawStatement(db, "SELECT monetary FROM member_rfm WHERE \(moneyIndexed) AND monetary > ? ORDER BY monetary")
            let back = try RawStatement(db, "SELECT monetary FROM member_rfm WHERE \(moneyIndexed) AND monetary < ? ORDER BY monetary DESC")
            var ranks: [RankedEdge] = []
            for (k, e) in dist.money.enumerated() {
                let t = ((k + 1) * n + 4) / 5 - 1
                var failure: Error?
                let moved = e.moved(toRank: t, removed: removedM, added: addedM) { from, up in
                    let st = up ? walk : back
                    sqlite3_reset(st.handle)
                    st.bind(1, from)
                    return AnyIterator {
                        do { return try st.next() ? sqlite3_column_int64(st.handle, 0) : nil } catch { failure = error; return nil }
                    }
                }
                sqlite3_reset(walk.handle); sqlite3_reset(back.handle)
                if let failure { throw failure }
                guard let moved else { return no(8) }
                ranks.append(moved)
            }
            moneyRanks = ranks
            scale.r = newR.map { $0 - Int64(A) }; scale.f = newF; scale.m = ranks.map(\.value)
        } else {
            oldR = oldScale.r.map { Int64(A0) - $0 - 1 }; newR = scale.r.map { Int64(A) - $0 - 1 }
            oldF = scale.f; newF = scale.f
            guard oldM == scale.m else { return no(9) }
            moneyRanks = dist.money.map { $0.rebased(removed: removedM, added: addedM) }
        }
        let newM = moneyRanks.map(\.value)
        // Score sums: n + per edge how many exceed it.
        let sumR = Int64(n + newR.reduce(0) { $0 + dist.lastDays.countAbove($1) })
        let sumF = Int64(n + newF.reduce(0) { $0 + dist.frequencies.countAbove($1) })
        let sumM = Int64(n + moneyRanks.reduce(0) { $0 + (n - $1.below - $1.equal) })
        scale.scored = Int64(n); scale.sumR = sumR; scale.sumF = sumF; scale.sumM = sumM
        // A moved high/low line changes the segment of a fifth of the shop: the full path.
        guard RFM.lowestHigh(sum: sumR, scored: Int64(n)) == RFM.lowestHigh(sum: oldScale.sumR, scored: oldScale.scored),
              RFM.lowestHigh(sum: sumF, scored: Int64(n)) == RFM.lowestHigh(sum: oldScale.sumF, scored: oldScale.scored),
              RFM.lowestHigh(sum: sumM, scored: Int64(n)) == RFM.lowestHigh(sum: oldScale.sumM, scored: oldScale.scored) else { return no(10) }
        // Order counts have no index: an F edge that moved across members not measured again → full path.
        for (o, e) in zip(oldF, newF) where o != e {
            let lo = min(o, e), hi = max(o, e)
            var inRange = 0
            for (v, c) in dist.frequencies.counts where v > lo && v <= hi { inRange += c }
            for row in newRows.values where row.scored && Int64(row.frequency) > lo && Int64(row.frequency) <= hi { inRange -= 1 }
            guard inRange == 0 else { return no(11) }
        }

        clock.mark("edges")
        // 4. Members whose value lies between an old and a new edge (their score moves).
        let codes = Lifecycle.allCases.map { String($0.code) }.joined(separator: ",")
        var reach = 0
        for (o, e) in zip(oldR.sorted(), newR.sorted()) where o != e {
            reach += try collect(db, "SELECT \(columns) FROM member_rfm WHERE lifecycle IN (\(codes)) AND last_paid > ? AND last_paid <= ?",
                                 texts: [dayText(Int32(clamping: min(o, e))), dayText(Int32(clamping: max(o, e)))], derived: oldDerived, into: &rows)
            guard reach <= limit else { return no(12) }
        }
        for (o, e) in zip(oldM, newM) where o != e {
            reach += try collect(db, "SELECT \(columns) FROM member_rfm WHERE \(moneyIndexed) AND monetary > ? AND monetary <= ?",
                                 [min(o, e), max(o, e)], derived: oldDerived, into: &rows)
            guard reach <= limit else { return no(13) }
        }
        for id in sortedAgain { rows[id] = nil }
        // Rows not measured again keep their measure; their lifecycle follows the as-of.
        for (id, original) in rows {
            var row = original
            if row.last != RFMBase.Snapshot.noDay && row.lifecycle != Lifecycle.new.code {
                row.lifecycle = Lifecycle.of(daysSinceFirst: .max, daysSinceLast: Int(A - row.last), windows: windows).code
            }
            stored[id] = original
            newRows[id] = row
        }

        clock.mark("ranges \(rows.count)")
        // 5. Score them, move the summary, write what differs.
        summary.settings = settings
        let none = Segment.none.code
        func tally(_ row: Row, _ sign: Int) {
            summary.memberCount += sign
            if let seg = Segment(code: row.segment) {
                summary.segments[seg, default: .init()].count += sign
                summary.segments[seg, default: .init()].monetary += Fen(sign) * row.monetary
            }
            if let l = Lifecycle(code: row.lifecycle) { summary.lifecycle[l, default: 0] += sign }
            summary.returningCount += sign * Int(row.returning)
            if row.segment != none {
                summary.scoredCount += sign
                summary.grid[Int(row.r) - 1][Int(row.f) - 1] += sign
            }
        }
        var writes: [(Int64, Row, Row?)] = []
        for (id, var row) in newRows {
            if row.scored {
                let (r, f, m) = scale.scores(recencyDays: Int(A - row.last), frequency: Int(row.frequency), monetary: row.monetary)
                row.r = r; row.f = f; row.m = m; row.segment = scale.segment(r: r, f: f, m: m).code
            } else {
                row.r = 0; row.f = 0; row.m = 0; row.segment = none
            }
            let old = stored[id]
            if let old { tally(old, -1) }
            tally(row, 1)
            if old.map({ !same($0, row) }) ?? true { writes.append((id, row, old)) }
        }
        guard summary.scoredCount == n, summary.grid.allSatisfy({ $0.allSatisfy { $0 >= 0 } }) else { return no(14) }
        (summary.meanR, summary.meanF, summary.meanM) = scale.means
        dist.money = moneyRanks
        clock.mark("score")
        try write(db, writes.sorted { $0.0 < $1.0 })
        clock.mark("write \(writes.count)")
        dist.settings = settings
        try RFMEngine.storeAfterWrite(db, settings: settings, summary: summary, scale: scale, dist: dist)
        clock.mark("after")
        return true
    }

    /// Phase times on standard error with ECRM_RFM_TIMING (for the benchmark).
    struct Clock {
        let on: Bool
        var last = DispatchTime.now().uptimeNanoseconds
        mutating func mark(_ what: String) {
            guard on else { return }
            let now = DispatchTime.now().uptimeNanoseconds
            TimingLog.rfm.write("rfm incremental: \(what) \(String(format: "%.3f", Double(now - last) / 1e9)) s")
            last = now
        }
    }

    /// Why it fell back (a number per condition), printed when ECRM_RFM_TIMING is set.
    private static func no(_ why: Int) -> Bool {
        TimingLog.rfm.write("rfm incremental: full path (\(why))")
        return false
    }

    /// Whether two rows store the same columns (R is no column: a member whose R alone moves is not written).
    private static func same(_ a: Row, _ b: Row) -> Bool {
        a.frequency == b.frequency && a.monetary == b.monetary && a.f == b.f && a.m == b.m && a.segment == b.segment
            && a.lifecycle == b.lifecycle && a.returning == b.returning && a.last == b.last && a.exit == b.exit
    }

    /// New rows inserted; changed rows set only the columns that changed (the list indexes hold
    /// last_paid, lifecycle, f, segment: SQLite leaves an index alone when its columns keep their values).
    ///
    /// Measured at 1M (first import of a new day, daily.sh with DAILY_RFM_AS_OF; load 5–8), so that
    /// nobody tries these again:
    /// - The 17,904 rows written: 9,137 whose measure changed (4,982 buyers, 4,155 whose window edge
    ///   passed), 5,848 whose lifecycle alone moved (last paid 91 or 181 days ago), 2,919 whose
    ///   scores alone moved (2,478 the segment alone, with an R edge). The measured rows touch 5,633
    ///   of the table's 8,557 leaf pages; lifecycle-only rows add 1,060, segment-only 713 (their
    ///   index entries lie together by day). Deriving lifecycle at read time, as v21 did for R,
    ///   would spare ~1.1k of the import's 42.3k changed pages (2.5%): not worth a v24 and every reader.
    /// - Changed pages (changed_pages.py): member_rfm 7,656, _cell 4,541, _segment 4,202,
    ///   _lifecycle 3,255, _money 2,521 (of its 2,529), _exit 1,836; the buyers' member_stats,
    ///   member_orders and stats indexes 18.2k. Write order does not change which pages change.
    ///   Without member_rfm_exit (1,836 pages, 4%) the window-edge query scans the table: 0.07 s CPU.
    /// - The WAL: the 2 MB cache spills during the write (24.8k new frames, 35.6k written again in
    ///   place), so at COMMIT SQLite rewrites the checksum of every frame after the first rewritten
    ///   one (42.9k reads of 4,120 bytes, 43k 24-byte writes), and the checkpoint copies them again.
    ///   Yet a page cache holding the whole transaction (cache_size 256 MB: 303 MB peak) saved at
    ///   most 0.04 s of CPU in 4 paired runs (0.88–0.98 s against 0.92–0.97), 16 MB and 64 MB caches
    ///   for the whole import nothing measurable (CPU medians 0.95 / 0.96 against 0.97, 4 pairs),
    ///   cache_spill off the same at 234 MB, mmap_size 2 GB nothing clear at 503 MB. The cost is the
    ///   number of changed pages, not how they reach the WAL.
    private static func write(_ db: Database, _ writes: [(Int64, Row, Row?)]) throws {
        var updates = RFMRowUpdates()
        let insert = try RawStatement(db, "INSERT INTO member_rfm(\(columns)) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
        for (id, row, old) in writes {
            let st: RawStatement
            if let old {
                var changed = 0
                if old.frequency != row.frequency || old.monetary != row.monetary || old.returning != row.returning || old.exit != row.exit { changed |= RFMRowUpdates.measure }
                if old.last != row.last { changed |= RFMRowUpdates.lastPaid }
                if old.lifecycle != row.lifecycle { changed |= RFMRowUpdates.lifecycle }
                if old.f != row.f { changed |= RFMRowUpdates.f }
                if old.segment != row.segment { changed |= RFMRowUpdates.segment }
                if old.m != row.m { changed |= RFMRowUpdates.m }
                st = try updates.statement(db, changed: changed)
            } else {
                st = insert
            }
            st.bind(1, id)
            st.bind(2, Int64(row.frequency)); st.bind(3, row.monetary)
            st.bind(4, Int64(row.f)); st.bind(5, Int64(row.m))
            st.bind(6, Int64(row.segment)); st.bind(7, Int64(row.lifecycle)); st.bind(8, Int64(row.returning))
            st.bind(9, row.last == RFMBase.Snapshot.noDay ? "" : dayText(row.last))
            st.bind(10, row.exit)
            _ = try st.step()
        }
    }
}
