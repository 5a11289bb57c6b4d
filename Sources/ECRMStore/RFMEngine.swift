import Foundation
import GRDB
import GRDBSQLite
import ECRMDomain

/// Recomputes R, F, M, scores, segments and lifecycle for every member from `member_stats`
/// (one row per member: the orders table is never rescanned) and stores the result in `member_rfm`.
public enum RFMEngine {
    /// The shop's saved RFM configuration (window, scoring mode, lifecycle windows); as-of is always
    /// given by the caller (default today).
    public struct Config: Codable, Sendable, Equatable {
        public var windowDays: Int?
        public var mode: ScoringMode
        public var lifecycle: LifecycleWindows
        public init(windowDays: Int? = 365, mode: ScoringMode = .auto, lifecycle: LifecycleWindows = .init()) {
            self.windowDays = windowDays; self.mode = mode; self.lifecycle = lifecycle
        }

        /// The shop's saved window, scoring and lifecycle, as of a day.
        public func settings(asOf: Day) -> RFMSettings {
            RFMSettings(asOf: asOf, windowDays: windowDays, mode: mode, lifecycle: lifecycle)
        }
    }

    /// The summary stored by the last recompute (what the Segments pane opens with), or nil.
    static func lastSummary(_ db: Database) throws -> RFMSummary? {
        guard let json = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'rfm.summary'") else { return nil }
        return try? JSONDecoder().decode(RFMSummary.self, from: Data(json.utf8))
    }

    static func loadConfig(_ db: Database) throws -> Config {
        guard let json = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'rfm.config'") else { return Config() }
        return (try? JSONDecoder().decode(Config.self, from: Data(json.utf8))) ?? Config()
    }

    static func saveConfig(_ db: Database, _ config: Config) throws {
        let json = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
        try db.execute(sql: "INSERT INTO setting(key, value) VALUES ('rfm.config', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", arguments: [json])
    }

    /// Saves the shop's RFM settings (window, scoring mode, custom edges): the owner's
    /// (`customRFMEdges`), in one transaction with its audit row (before → after) when they change.
    public static func saveSettings(_ store: Store, _ config: Config) throws {
        try store.write(.rfm, .require(.customRFMEdges)) { db in try saveAudited(db, store, config) }
    }

    /// The save and its audit row, inside the caller's write transaction (which checked `customRFMEdges`).
    static func saveAudited(_ db: Database, _ store: Store, _ config: Config) throws {
        let before = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'rfm.config'")
        try saveConfig(db, config)
        let after = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'rfm.config'")
        if before != after {
            try Audit.record(db, operator: store.operatorName, action: "rfm.settings", target: "rfm", before: before, after: after, reason: nil)
        }
    }

    /// Measures every member (ids ascending) from their paid history.
    /// `exits`: each one's RFMAccumulator.windowExit (stored as member_rfm.window_exit).
    static func measureAll(_ db: Database, settings: RFMSettings) throws -> (ids: [Int64], measures: [RFMMeasure], exits: [Int32]) {
        // max(id) is a rowid lookup; count(*) would scan 1M rows just to size the arrays.
        let count = try Int.fetchOne(db, sql: "SELECT max(id) FROM member") ?? 0
        var ids: [Int64] = []
        var measures: [RFMMeasure] = [], exits: [Int32] = []
        ids.reserveCapacity(count)
        measures.reserveCapacity(count)
        exits.reserveCapacity(count)
        let scan = try RawStatement(db, "SELECT m.id, s.paid_days FROM member m LEFT JOIN member_stats s ON s.member_id = m.id ORDER BY m.id")
        var acc = RFMAccumulator(settings: settings)
        while try scan.next() {
            ids.append(sqlite3_column_int64(scan.handle, 0))
            acc.reset()
            if let p = sqlite3_column_blob(scan.handle, 1) {
                PaidHistory.fold(blob: UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(scan.handle, 1))), into: &acc)
            }
            measures.append(acc.measure())
            exits.append(acc.windowExit)
        }
        sqlite3_reset(scan.handle)
        return (ids, measures, exits)
    }

    /// One computation: per member (ids ascending) its measure, score and lifecycle, plus the summary.
    public struct Computation: Sendable {
        public var ids: [Int64]
        public var measures: [RFMMeasure]
        /// Each member's RFMAccumulator.windowExit.
        public var exits: [Int32]
        public var scoring: RFMScoring
        public var lifecycles: [Lifecycle]
        public var summary: RFMSummary
    }

    /// Measures the given members (ids ascending) from their paid history; a member not in the
    /// member table is left out.
    static func measure(_ db: Database, members: [Int64], settings: RFMSettings) throws -> (ids: [Int64], measures: [RFMMeasure], exits: [Int32]) {
        var ids: [Int64] = [], measures: [RFMMeasure] = [], exits: [Int32] = []
        let read = try RawStatement(db, "SELECT s.paid_days FROM member m LEFT JOIN member_stats s ON s.member_id = m.id WHERE m.id = ?")
        var acc = RFMAccumulator(settings: settings)
        for id in members {
            read.bind(1, id)
            defer { sqlite3_reset(read.handle) }
            guard try read.next() else { continue }
            acc.reset()
            if let p = sqlite3_column_blob(read.handle, 0) {
                PaidHistory.fold(blob: UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(read.handle, 0))), into: &acc)
            }
            ids.append(id)
            measures.append(acc.measure())
            exits.append(acc.windowExit)
        }
        return (ids, measures, exits)
    }

    /// Computes without storing (previews, exports, `--as-of` replays).
    static func compute(_ db: Database, settings: RFMSettings) throws -> Computation {
        let (ids, measures, exits) = try measureAll(db, settings: settings)
        return computation(ids: ids, measures: measures, exits: exits, settings: settings)
    }

    /// Scores, lifecycles and the summary of measured members (ids ascending).
    static func computation(ids: [Int64], measures: [RFMMeasure], exits: [Int32], settings: RFMSettings) -> Computation {
        let scoring = RFM.score(measures, mode: settings.mode)
        // Tally in flat arrays indexed by code: a dictionary update per member costs more than
        // the whole scoring at 1M members.
        var segCount = [Int](repeating: 0, count: Segment.allCases.count)
        var segMoney = [Fen](repeating: 0, count: Segment.allCases.count)
        var lifeCount = [Int](repeating: 0, count: Lifecycle.allCases.count)
        var grid = Array(repeating: Array(repeating: 0, count: 5), count: 5)
        var returning = 0, scored = 0
        var lifecycles: [Lifecycle] = []
        lifecycles.reserveCapacity(measures.count)
        for i in measures.indices {
            let x = measures[i], s = scoring.scores[i]
            let stage = x.lifecycle(asOf: settings.asOf, windows: settings.lifecycle)
            lifecycles.append(stage)
            let c = Int(s.segment.code)
            segCount[c] += 1
            segMoney[c] += x.monetary
            lifeCount[Int(stage.code)] += 1
            if x.isReturning { returning += 1 }
            if s.segment != .none {
                scored += 1
                grid[Int(s.r) - 1][Int(s.f) - 1] += 1
            }
        }
        var summary = RFMSummary(settings: settings)
        summary.memberCount = measures.count
        summary.scoredCount = scored
        summary.returningCount = returning
        summary.grid = grid
        for seg in Segment.allCases { summary.segments[seg] = .init(count: segCount[Int(seg.code)], monetary: segMoney[Int(seg.code)]) }
        for l in Lifecycle.allCases { summary.lifecycle[l] = lifeCount[Int(l.code)] }
        summary.meanR = scoring.meanR; summary.meanF = scoring.meanF; summary.meanM = scoring.meanM
        return Computation(ids: ids, measures: measures, exits: exits, scoring: scoring, lifecycles: lifecycles, summary: summary)
    }

    /// Recomputes and stores the result for every member, in one write transaction; `saving` also
    /// makes that configuration the shop's saved one, in the same transaction (one user action).
    @discardableResult
    public static func recompute(_ store: Store, settings: RFMSettings, saving config: Config? = nil) throws -> RFMSummary {
        // Saving the configuration is the owner's (custom edges); recomputing with the saved one anyone's.
        try store.write(.rfm, .require(config != nil ? .customRFMEdges : .recomputeRFM)) { db in
            if let config { try saveAudited(db, store, config) }
            return try recompute(db, settings: settings)
        }
    }

    /// The setting holding the stats version (StatsVersion) the stored member_rfm rows were
    /// measured from: equal to the current one, the rows are every member's exact measure as of
    /// `rfm.last` (RFMBase then reads them instead of every paid history).
    static let basisKey = "rfm.basis"
    /// The setting holding the last whole-shop scoring's RFMScale (edges and score sums).
    static let scaleKey = "rfm.scale"

    /// The stored RFM after members changed (MemberRefresh), as of `asOf` with the shop's saved
    /// settings, inside the caller's transaction. `members` nil: everyone may have changed.
    /// With a `base` (every member's measure and stored scores as the store stood before the write:
    /// RFMBase) only the changed members are measured again; everyone is scored again (quintiles
    /// and means are the whole shop's, exactly as a full recompute), from columns, and only rows
    /// whose result differs are written: whole rows for members whose measure changed, the scores
    /// alone for the others. Returns "members" then, "all" when everyone was measured.
    static func refresh(_ db: Database, members: Set<Int64>?, asOf: Day, base: RFMBase? = nil) throws -> String {
        let settings = try loadConfig(db).settings(asOf: asOf)
        // Any failure of the second connection (a busy or damaged store) falls back to the full
        // recompute here, which reports it if it is real.
        guard let members, let base, var snap = try? base.take(), snap.settings == settings else {
            try recompute(db, settings: settings)
            return "all"
        }
        if snap.incremental {
            // The stored distribution described the store before this write: only the members
            // whose score can change are read and scored (RFMIncremental). When it cannot do it
            // exactly it writes nothing, and everyone is read as the store stood before the write.
            if try RFMIncremental.refresh(db, members: members, settings: settings) { return "members" }
            guard let full = try? base.takeFull(), full.settings == settings else {
                try recompute(db, settings: settings)
                return "all"
            }
            snap = full
        }
        let fresh = try measure(db, members: members.sorted(), settings: settings)
        var gone = Set(members)
        var appended = false
        for (j, id) in fresh.ids.enumerated() {
            gone.remove(id)
            let x = fresh.measures[j], exit = fresh.exits[j]
            if let k = index(of: id, in: snap.ids) { snap.set(k, x, exit: exit) } else { snap.append(id: id, x, exit: exit); appended = true }
        }
        if appended { snap.sortById() }
        gone = gone.filter { index(of: $0, in: snap.ids) != nil }
        if !gone.isEmpty {
            snap.orphans += gone
            let ids = snap.ids
            snap.filter { !gone.contains(ids[$0]) }
        }
        try RFMResultWriter.write(&snap, db: db)
        return "members"
    }

    static func index(of id: Int64, in ids: [Int64]) -> Int? {
        var lo = 0, hi = ids.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ids[mid] < id { lo = mid + 1 } else { hi = mid }
        }
        return lo < ids.count && ids[lo] == id ? lo : nil
    }

    /// The same inside a transaction the caller holds (an import recomputes in its own).
    @discardableResult
    static func recompute(_ db: Database, settings: RFMSettings) throws -> RFMSummary {
        let c = try compute(db, settings: settings)
        try RFMResultWriter.write(c, db: db)
        let dist = try RFMDistribution.build(db, settings: settings, scale: c.scoring.scale, count: c.measures.count) { k in
            let x = c.measures[k]
            return (x.lastPaid?.number ?? RFMBase.Snapshot.noDay, Int32(clamping: x.frequency), x.monetary)
        }
        try storeAfterWrite(db, settings: settings, summary: c.summary, scale: c.scoring.scale, dist: dist)
        return c.summary
    }

    /// After member_rfm is written: rule tags, the as-of and settings, the summary, the scale, the
    /// stats version the rows were measured from, and the distribution the next small import starts
    /// from (stamped with the store as it is now; nil: none, the next import takes the full path).
    static func storeAfterWrite(_ db: Database, settings: RFMSettings, summary: RFMSummary, scale: RFMScale, dist: RFMDistribution?) throws {
        // Rule tags on segment/lifecycle follow the fresh results in the same transaction.
        _ = try RuleTags.evaluateAll(db)
        let meta = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
        try db.execute(sql: "INSERT INTO setting(key, value) VALUES ('rfm.last', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", arguments: [meta])
        let summaryJSON = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
        try db.execute(sql: "INSERT INTO setting(key, value) VALUES ('rfm.summary', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", arguments: [summaryJSON])
        let scaleJSON = String(decoding: try JSONEncoder().encode(scale), as: UTF8.self)
        try db.execute(sql: "INSERT INTO setting(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", arguments: [scaleKey, scaleJSON])
        try markBasis(db)
        var stamped = dist
        if stamped != nil, scale.r.count == 4, scale.f.count == 4, scale.m.count == 4, stamped!.scored > 0 {
            stamped!.statsVersion = try StatsVersion.current(db)
            stamped!.maxMemberId = try RFMDistribution.maxMemberId(db)
            stamped!.settings = settings
        } else {
            stamped = nil
        }
        try RFMDistribution.save(db, stamped)
    }

    /// Records that member_rfm's measures follow member_stats as it is now (after a recompute, or
    /// after a merge re-measured the rows it changed).
    static func markBasis(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO setting(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       arguments: [basisKey, String(try StatsVersion.current(db))])
    }

    /// The settings (as-of, window, scoring, lifecycle) of the last recompute, or nil (never computed).
    static func lastSettings(_ db: Database) throws -> RFMSettings? {
        guard let json = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'rfm.last'") else { return nil }
        return try? JSONDecoder().decode(RFMSettings.self, from: Data(json.utf8))
    }

    /// Whether member_rfm's measures follow member_stats as it is now (`markBasis` since the last change).
    static func basisIsCurrent(_ db: Database) throws -> Bool {
        try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM setting WHERE key = ?", arguments: [basisKey]) == StatsVersion.current(db)
    }

    /// The last whole-shop scoring's scale, or nil (none stored yet).
    static func lastScale(_ db: Database) throws -> RFMScale? {
        guard let json = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [scaleKey]) else { return nil }
        return try? JSONDecoder().decode(RFMScale.self, from: Data(json.utf8))
    }
}
