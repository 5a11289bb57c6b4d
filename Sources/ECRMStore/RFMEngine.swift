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
    }

    public static func loadConfig(_ db: Database) throws -> Config {
        guard let json = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'rfm.config'") else { return Config() }
        return (try? JSONDecoder().decode(Config.self, from: Data(json.utf8))) ?? Config()
    }

    public static func saveConfig(_ db: Database, _ config: Config) throws {
        let json = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
        try db.execute(sql: "INSERT INTO setting(key, value) VALUES ('rfm.config', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", arguments: [json])
    }

    /// Measures every member (ids ascending) from their paid history.
    static func measureAll(_ db: Database, settings: RFMSettings) throws -> (ids: [Int64], measures: [RFMMeasure]) {
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM member") ?? 0
        var ids: [Int64] = []
        var measures: [RFMMeasure] = []
        ids.reserveCapacity(count)
        measures.reserveCapacity(count)
        let scan = try RawStatement(db, "SELECT m.id, s.paid_days FROM member m LEFT JOIN member_stats s ON s.member_id = m.id ORDER BY m.id")
        var acc = RFMAccumulator(settings: settings)
        while sqlite3_step(scan.handle) == SQLITE_ROW {
            ids.append(sqlite3_column_int64(scan.handle, 0))
            acc.reset()
            if let p = sqlite3_column_blob(scan.handle, 1) {
                PaidHistory.fold(blob: UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(scan.handle, 1))), into: &acc)
            }
            measures.append(acc.measure())
        }
        sqlite3_reset(scan.handle)
        return (ids, measures)
    }

    /// Computes without storing (previews, `--as-of` replays).
    public static func compute(_ db: Database, settings: RFMSettings) throws -> (ids: [Int64], measures: [RFMMeasure], scoring: RFMScoring, summary: RFMSummary) {
        let (ids, measures) = try measureAll(db, settings: settings)
        let scoring = RFM.score(measures, mode: settings.mode)
        var summary = RFMSummary(settings: settings)
        for i in measures.indices {
            summary.add(measure: measures[i], score: scoring.scores[i], lifecycle: measures[i].lifecycle(asOf: settings.asOf, windows: settings.lifecycle))
        }
        summary.meanR = scoring.meanR; summary.meanF = scoring.meanF; summary.meanM = scoring.meanM
        return (ids, measures, scoring, summary)
    }

    /// Recomputes and stores the result for every member, in one write transaction.
    @discardableResult
    public static func recompute(_ store: Store, settings: RFMSettings) throws -> RFMSummary {
        try store.translate {
            try store.pool.write { db in
                let (ids, measures, scoring, summary) = try compute(db, settings: settings)
                try db.execute(sql: "DELETE FROM member_rfm")
                let ins = try RawStatement(db, "INSERT INTO member_rfm(member_id, recency, frequency, monetary, r, f, m, segment, lifecycle, is_returning) VALUES (?,?,?,?,?,?,?,?,?,?)")
                for i in ids.indices {
                    let x = measures[i], s = scoring.scores[i]
                    ins.bind(1, ids[i])
                    ins.bind(2, x.recencyDays.map(Int64.init))
                    ins.bind(3, Int64(x.frequency)); ins.bind(4, x.monetary)
                    ins.bind(5, Int64(s.r)); ins.bind(6, Int64(s.f)); ins.bind(7, Int64(s.m))
                    ins.bind(8, Int64(s.segment.code))
                    ins.bind(9, Int64(x.lifecycle(asOf: settings.asOf, windows: settings.lifecycle).code))
                    ins.bind(10, Int64(x.isReturning ? 1 : 0))
                    try ins.step()
                }
                let meta = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
                try db.execute(sql: "INSERT INTO setting(key, value) VALUES ('rfm.last', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", arguments: [meta])
                return summary
            }
        }
    }
}
