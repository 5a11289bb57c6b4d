import Foundation
import GRDB
import GRDBSQLite
import ECRMDomain

/// Every member's RFM measure and stored member_rfm scores as the store stood before a small write,
/// read on a connection of its own while the write parses its file and waits for the lock, so the
/// write's hold on the lock pays only for the members it touched (RFMEngine.refresh).
///
/// When the stored RFM is current (as of the same day with the same settings, and computed from
/// the paid histories as they are: `rfm.basis` equals the stats version, one row per member), the
/// measures are the stored rows themselves. Otherwise every member is measured from its paid
/// history and compared with its stored row.
///
/// Once the write holds the lock, `take` checks that nothing was committed since the read (SQLite's
/// data_version on this connection changes with every commit of any other connection); if
/// something was, it reads again: under the lock that is exactly the store the write began from.
final class RFMBase: @unchecked Sendable {
    /// Members ascending, as columns.
    struct Snapshot: Sendable {
        var settings: RFMSettings
        var ids: [Int64] = []
        /// The measure as of `settings`: F, M, day number of the last paid order on or before
        /// as-of (`noDay` when none), lifecycle code, returning (0/1).
        var frequency: [Int32] = [], monetary: [Int64] = [], last: [Int32] = [], lifecycle: [UInt8] = [], returning: [UInt8] = []
        /// RFMAccumulator.windowExit (member_rfm.window_exit); `noDay` when not known (NULL).
        var exit: [Int32] = []
        /// The stored row's F and M scores and segment code; `noRow` in `segment` when the member has
        /// no row. (No R: rows keep none, it follows from the last paid day: RFMDerivedR.)
        var f: [UInt8] = [], m: [UInt8] = [], segment: [UInt8] = []
        /// The stored row's measure columns differ from the measure (or there is no row): the whole row is written.
        var dirty: [Bool] = []
        /// For members whose measure `set` changed while their stored row still held it: the stored
        /// last-paid day and lifecycle (the writer leaves those indexed columns alone when equal).
        var previous: [Int: (last: Int32, lifecycle: UInt8)] = [:]
        /// Stored rows of members no longer in the member table.
        var orphans: [Int64] = []
        /// True when the measures came from the stored rows (no paid history was read).
        var fromStored = false
        /// With `fromStored`: the stored rows were as of an earlier day (same settings otherwise),
        /// and moved to this as-of by measuring only the members whose measure could change.
        var advancedFrom: Day?
        /// How many members the advance measured again from their paid history.
        var measuredAgain = 0
        /// Nothing was read: the stored distribution (RFMDistribution) described the store, so
        /// the write scores only the members whose score can change (RFMIncremental); `takeFull`
        /// reads everyone when it cannot.
        var incremental = false

        static let noDay = Int32.min
        static let noRow: UInt8 = 255

        init(settings: RFMSettings) { self.settings = settings }

        mutating func reserve(_ n: Int) {
            ids.reserveCapacity(n); frequency.reserveCapacity(n); monetary.reserveCapacity(n); last.reserveCapacity(n)
            lifecycle.reserveCapacity(n); returning.reserveCapacity(n); f.reserveCapacity(n)
            m.reserveCapacity(n); segment.reserveCapacity(n); dirty.reserveCapacity(n); exit.reserveCapacity(n)
        }

        mutating func append(id: Int64, _ x: RFMMeasure, exit e: Int32) {
            ids.append(id); frequency.append(Int32(clamping: x.frequency)); monetary.append(x.monetary); exit.append(e)
            last.append(x.lastPaid?.number ?? Self.noDay); lifecycle.append(x.lifecycle(asOf: settings.asOf, windows: settings.lifecycle).code)
            returning.append(x.isReturning ? 1 : 0)
            f.append(0); m.append(0); segment.append(Self.noRow); dirty.append(true)
        }

        /// Sets member k's measure; marks it dirty when it differs from what was there.
        mutating func set(_ k: Int, _ x: RFMMeasure, exit e: Int32) {
            let fr = Int32(clamping: x.frequency), l = x.lastPaid?.number ?? Self.noDay
            let lc = x.lifecycle(asOf: settings.asOf, windows: settings.lifecycle).code, rt: UInt8 = x.isReturning ? 1 : 0
            if fr != frequency[k] || x.monetary != monetary[k] || l != last[k] || lc != lifecycle[k] || rt != returning[k] || e != exit[k] {
                if !dirty[k] { previous[k] = (last[k], lifecycle[k]) }
                frequency[k] = fr; monetary[k] = x.monetary; last[k] = l; lifecycle[k] = lc; returning[k] = rt; exit[k] = e
                dirty[k] = true
            }
        }

        /// Sets member k's lifecycle alone (its measure is unchanged); marks it dirty when it differs.
        mutating func setLifecycle(_ k: Int, _ lc: UInt8) {
            guard lc != lifecycle[k] else { return }
            if !dirty[k] { previous[k] = (last[k], lifecycle[k]) }
            lifecycle[k] = lc
            dirty[k] = true
        }

        /// Keeps only the members `keep` says yes to.
        mutating func filter(_ keep: (Int) -> Bool) {
            let kept = ids.indices.filter(keep)
            previous = [:]
            func pick<T>(_ a: inout [T]) { a = kept.map { a[$0] } }
            pick(&ids); pick(&frequency); pick(&monetary); pick(&last); pick(&lifecycle); pick(&returning)
            pick(&f); pick(&m); pick(&segment); pick(&dirty); pick(&exit)
        }

        /// Puts members in ascending id order (after appends out of order).
        mutating func sortById() {
            guard zip(ids, ids.dropFirst()).contains(where: { $0 >= $1 }) else { return }
            let order = ids.indices.sorted { ids[$0] < ids[$1] }
            previous = [:]
            func pick<T>(_ a: inout [T]) { a = order.map { a[$0] } }
            pick(&ids); pick(&frequency); pick(&monetary); pick(&last); pick(&lifecycle); pick(&returning)
            pick(&f); pick(&m); pick(&segment); pick(&dirty); pick(&exit)
        }
    }

    private let queue: DatabaseQueue?
    private let asOf: Day
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<(Snapshot, Int64), Error> = .failure(CancellationError())

    private init(queue: DatabaseQueue?, asOf: Day) { self.queue = queue; self.asOf = asOf }

    /// Starts reading on its own thread and connection. Call before taking the write lock (or
    /// inside the write transaction: a reader sees the last commit either way).
    static func start(_ store: Store, asOf: Day) -> RFMBase {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        let base = RFMBase(queue: try? DatabaseQueue(path: store.path, configuration: config), asOf: asOf)
        Thread.detachNewThread {
            base.result = Result { try base.read() }
            base.done.signal()
        }
        return base
    }

    /// The snapshot, and this connection's data_version as of it. Unless `full`, only a look at
    /// whether the stored distribution describes the store (then the snapshot is `incremental`).
    private func read(full: Bool = false) throws -> (Snapshot, Int64) {
        guard let queue else { throw CancellationError() }
        return try queue.read { db in
            var snap: Snapshot
            if !full, try RFMIncremental.applies(db, asOf: asOf) {
                snap = Snapshot(settings: try RFMEngine.loadConfig(db).settings(asOf: asOf))
                snap.incremental = true
            } else {
                snap = try Self.read(db, asOf: asOf)
            }
            return (snap, try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0)
        }
    }

    /// Every member read as the store stood before the write (after `take` gave an `incremental`
    /// snapshot that could not be used). Call inside the write transaction.
    func takeFull() throws -> Snapshot {
        try read(full: true).0
    }

    /// Waits for the reading thread and hands its snapshot over (a second call gets an error), read
    /// again when something was committed since. Call inside the write transaction (lock held).
    func take() throws -> Snapshot {
        done.wait()
        defer { result = .failure(CancellationError()) }
        let (snap, version) = try result.get()
        guard let queue else { throw CancellationError() }
        // A fresh read transaction (the SELECT starts it) sees the latest commit.
        let now = try queue.read { db in
            _ = try Int.fetchOne(db, sql: "SELECT 1 FROM setting LIMIT 1")
            return try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0
        }
        if now == version { return snap }
        return try read().0
    }

    /// Whether the stored member_rfm rows are every member's exact measure as of `settings`.
    static func storedIsCurrent(_ db: Database, settings: RFMSettings) throws -> Bool {
        guard try RFMEngine.lastSettings(db) == settings else { return false }
        return try RFMEngine.basisIsCurrent(db)
    }

    /// Reads the snapshot in the caller's (read) transaction.
    static func read(_ db: Database, asOf: Day) throws -> Snapshot {
        let settings = try RFMEngine.loadConfig(db).settings(asOf: asOf)
        var snap = Snapshot(settings: settings)
        let count = try Int.fetchOne(db, sql: "SELECT max(id) FROM member") ?? 0
        snap.reserve(count)
        if try storedIsCurrent(db, settings: settings) {
            try readStored(db, into: &snap)
            // One row per member (rows only ever exist for members: a recompute writes exactly the
            // member table, a merge drops the absorbed member's row), so equal counts are equal sets.
            if try Int.fetchOne(db, sql: "SELECT count(*) FROM member") == snap.ids.count {
                snap.fromStored = true
                snap.dirty = [Bool](repeating: false, count: snap.ids.count)
                return snap
            }
            snap = Snapshot(settings: settings)
            snap.reserve(count)
        } else if let from = try storedEarlier(db, settings: settings) {
            try readStored(db, into: &snap)
            if try Int.fetchOne(db, sql: "SELECT count(*) FROM member") == snap.ids.count, try advance(db, &snap, from: from) {
                snap.fromStored = true
                snap.advancedFrom = from
                return snap
            }
            snap = Snapshot(settings: settings)
            snap.reserve(count)
        }
        // Everyone measured from the paid histories, then matched with the stored rows.
        let (ids, measures, exits) = try RFMEngine.measureAll(db, settings: settings)
        for k in ids.indices { snap.append(id: ids[k], measures[k], exit: exits[k]) }
        var stored = Snapshot(settings: settings)
        try readStored(db, into: &stored)
        var j = 0
        for k in snap.ids.indices {
            while j < stored.ids.count && stored.ids[j] < snap.ids[k] { snap.orphans.append(stored.ids[j]); j += 1 }
            guard j < stored.ids.count, stored.ids[j] == snap.ids[k] else { continue }
            snap.f[k] = stored.f[j]; snap.m[k] = stored.m[j]; snap.segment[k] = stored.segment[j]
            snap.dirty[k] = snap.frequency[k] != stored.frequency[j] || snap.monetary[k] != stored.monetary[j] || snap.last[k] != stored.last[j]
                || snap.lifecycle[k] != stored.lifecycle[j] || snap.returning[k] != stored.returning[j] || snap.exit[k] != stored.exit[j]
            j += 1
        }
        snap.orphans += stored.ids[j...]
        return snap
    }

    /// The stored RFM's as-of when it is earlier than `settings`' with the same window, scoring
    /// and lifecycle windows, and the rows follow the paid histories as they are (`rfm.basis`).
    static func storedEarlier(_ db: Database, settings: RFMSettings) throws -> Day? {
        guard let last = try RFMEngine.lastSettings(db), last.asOf < settings.asOf else { return nil }
        var moved = last
        moved.asOf = settings.asOf
        guard moved == settings, try RFMEngine.basisIsCurrent(db) else { return nil }
        return last.asOf
    }

    /// Moves the stored rows in `snap` (every member's measure as of `from`) to `snap`'s as-of D,
    /// measuring again only the members whose measure can change (PRODUCT.md: RFM):
    /// - F and M change only when a counted order leaves the window (its day + W ≤ D: the stored
    ///   window_exit has come; NULL = not known) or a paid order dated after `from` now counts;
    /// - the last paid day, first paid day and paid count change only through such newer orders
    ///   (member_stats.last_paid after `from`, found through the recency list order: ListOrders);
    /// - R is D − last paid for everyone (the writer derives it; scores follow from all columns);
    /// - lifecycle: a member stored `new` may stop being new (measured again, the first paid day is
    ///   not stored); any other stage that bought by `from` was not new then and is not now, so it
    ///   is the last paid day's stage as of D, set here without reading the history.
    /// False when too many would be measured (a full fold is cheaper then).
    static func advance(_ db: Database, _ snap: inout Snapshot, from: Day) throws -> Bool {
        let n = snap.ids.count, asOf = snap.settings.asOf.number, windows = snap.settings.lifecycle
        snap.dirty = [Bool](repeating: false, count: n)
        var bought = Set<Int64>()
        let since = try RawStatement(db, ListOrders.paidSinceSQL)
        since.bind(1, from.adding(days: 1).description)
        since.bind(2, Int64(from.number))
        while try since.next() { bought.insert(sqlite3_column_int64(since.handle, 0)) }
        sqlite3_reset(since.handle)
        let newCode = Lifecycle.new.code, anyBought = !bought.isEmpty, was = from.number
        var again: [Int] = []
        for k in 0..<n {
            let exit = snap.exit[k]
            if exit == Snapshot.noDay || exit <= asOf || snap.lifecycle[k] == newCode || (anyBought && bought.contains(snap.ids[k])) {
                again.append(k)
                guard again.count <= n / 8 + 64 else { return false }
            } else if snap.last[k] != Snapshot.noDay {
                // The stage moves only when the days since the last order cross a window's end.
                let before = Int(was - snap.last[k]), now = Int(asOf - snap.last[k])
                if (before <= windows.activeDays && now > windows.activeDays) || (before <= windows.sleepingDays && now > windows.sleepingDays) {
                    snap.setLifecycle(k, Lifecycle.of(daysSinceFirst: .max, daysSinceLast: now, windows: windows).code)
                }
            }
        }
        let fresh = try RFMEngine.measure(db, members: again.map { snap.ids[$0] }, settings: snap.settings)
        snap.measuredAgain = again.count
        var j = 0
        for k in again where j < fresh.ids.count && fresh.ids[j] == snap.ids[k] {
            snap.set(k, fresh.measures[j], exit: fresh.exits[j])
            j += 1
        }
        return j == again.count
    }

    /// Appends every stored member_rfm row (ids ascending) as columns.
    private static func readStored(_ db: Database, into snap: inout Snapshot) throws {
        let scan = try RawStatement(db, "SELECT member_id, frequency, monetary, f, m, segment, lifecycle, is_returning, last_paid, window_exit FROM member_rfm ORDER BY member_id")
        defer { sqlite3_reset(scan.handle) }
        let h = scan.handle
        while try scan.next() {
            snap.ids.append(sqlite3_column_int64(h, 0))
            snap.frequency.append(Int32(truncatingIfNeeded: sqlite3_column_int64(h, 1)))
            snap.monetary.append(sqlite3_column_int64(h, 2))
            snap.f.append(UInt8(truncatingIfNeeded: sqlite3_column_int64(h, 3)))
            snap.m.append(UInt8(truncatingIfNeeded: sqlite3_column_int64(h, 4)))
            snap.segment.append(UInt8(truncatingIfNeeded: sqlite3_column_int64(h, 5)))
            snap.lifecycle.append(UInt8(truncatingIfNeeded: sqlite3_column_int64(h, 6)))
            snap.returning.append(UInt8(truncatingIfNeeded: sqlite3_column_int64(h, 7)))
            snap.exit.append(sqlite3_column_type(h, 9) == SQLITE_NULL ? Snapshot.noDay : Int32(clamping: sqlite3_column_int64(h, 9)))
            var day = Snapshot.noDay
            if let p = sqlite3_column_text(h, 8), sqlite3_column_bytes(h, 8) == 10 {
                day = parseDay(p) ?? Snapshot.noDay
            }
            snap.last.append(day)
        }
    }

    /// "YYYY-MM-DD" at `p` (10 bytes) as a day number.
    @inline(__always)
    private static func parseDay(_ p: UnsafePointer<UInt8>) -> Int32? {
        func d(_ i: Int) -> Int { Int(p[i]) - 48 }
        let year = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3), month = d(5) * 10 + d(6), day = d(8) * 10 + d(9)
        return Day(year: year, month: month, day: day)?.number
    }
}
