import Foundation
import GRDB
import ECRMDomain

/// A stored row's R score, derived (v21-rfm-derived-r: member_rfm keeps no R column). Every writer
/// of member_rfm scores against the stored scale (rfm.scale, as of rfm.last): a recompute, the
/// incremental refresh and a merge alike. R is a function of the last paid day under that scale,
/// rising with the day, so a scored row's R is 1 + how many of four days its last paid day is
/// after. A new day's import moves R quintile edges by a day past some 20k members; storing R
/// rewrote all their rows, deriving it writes only rows whose stored columns change.
struct RFMDerivedR: Equatable {
    /// Four ascending day numbers: a scored member's R = 1 + how many of them the last paid day is after.
    let days: [Int64]

    /// The days of a scale as of `settings` (nil when the scale has no four R edges: nobody scored,
    /// or a scale of the other mode).
    init?(settings: RFMSettings, scale: RFMScale) {
        guard scale.quintiles == (settings.mode == .auto), scale.r.count == 4 else { return nil }
        let asOf = Int64(settings.asOf.number)
        // Quintiles: on −recency = last − as-of, a score is 1 + how many edges it exceeds. Custom:
        // 5 − how many edges the recency exceeds (≤ e days scores higher), and recency > e means
        // last ≤ as-of − e − 1, so again 1 + how many of the days as-of − e − 1 last is after.
        days = (scale.quintiles ? scale.r.map { asOf + $0 } : scale.r.map { asOf - $0 - 1 }).sorted()
    }

    /// The stored scale's (nil: no scale describes the rows, so none is scored).
    static func stored(_ db: Database) throws -> RFMDerivedR? {
        guard let settings = try RFMEngine.lastSettings(db), let scale = try RFMEngine.lastScale(db) else { return nil }
        return RFMDerivedR(settings: settings, scale: scale)
    }

    /// A scored member's R (frequency ≥ 1) with its last paid day number.
    @inline(__always)
    func r(last: Int32) -> UInt8 {
        let l = Int64(last)
        return 1 + (l > days[0] ? 1 : 0) + (l > days[1] ? 1 : 0) + (l > days[2] ? 1 : 0) + (l > days[3] ? 1 : 0)
    }

    /// A stored row's R: 0 when unscored (frequency 0 or no day).
    static func r(_ derived: RFMDerivedR?, frequency: Int64, lastPaid: String) -> UInt8 {
        guard frequency >= 1, let derived, let day = Day.parse(lastPaid) else { return 0 }
        return derived.r(last: day.number)
    }

    /// The days as member_rfm.last_paid text ('YYYY-MM-DD' compares as the day), kept inside the years a Day holds (1900…2999).
    var texts: [String] {
        let lo = Int64(Day(year: 1900, month: 1, day: 1)!.number), hi = Int64(Day(year: 2999, month: 12, day: 31)!.number)
        return days.map { Day(number: Int32(min(max($0, lo), hi))).description }
    }

    /// SQL for the R of the member_rfm row `alias` (0 when unscored; `derived` nil: nobody is scored).
    static func sql(_ derived: RFMDerivedR?, _ alias: String = "member_rfm") -> String {
        guard let derived else { return "0" }
        let above = derived.texts.map { "(\(alias).last_paid > '\($0)')" }.joined(separator: " + ")
        return "(CASE WHEN \(alias).frequency >= 1 THEN 1 + \(above) ELSE 0 END)"
    }
}

extension RFMDerivedR {
    /// v21-rfm-derived-r: drops member_rfm.r. Every writer since rfm.scale was kept scored against
    /// it, so the derived R equals the stored one; a store whose rows the stored scale does not
    /// describe (no scale kept yet, or rows scored otherwise) first gets a scale made from its rows:
    /// per score the latest last paid day (amount, order count) holding it, and the score sums, so
    /// every row's derived R is the R it stored and a merge scores against that scale. Plain SQL
    /// and the scale's JSON only: later migrations may change the tables the engine reads.
    static func migrate(_ db: Database) throws {
        if let settings = try RFMEngine.lastSettings(db), try Int.fetchOne(db, sql: "SELECT 1 FROM member_rfm WHERE frequency >= 1 LIMIT 1") != nil {
            let derived = try stored(db)
            let differ = try Int.fetchOne(db, sql: "SELECT 1 FROM member_rfm WHERE r != \(sql(derived)) LIMIT 1") != nil
            if differ { try storeScaleFromRows(db, settings: settings) }
        }
        try db.execute(sql: "ALTER TABLE member_rfm DROP COLUMN r")
    }

    private static func storeScaleFromRows(_ db: Database, settings: RFMSettings) throws {
        var scale = RFMScale(mode: settings.mode)
        let asOf = Int64(settings.asOf.number)
        // The latest value holding each score 1…4 (below every value when none does).
        func edges(_ value: String, _ score: String) throws -> [Int64] {
            let low = (try Int64.fetchOne(db, sql: "SELECT min(\(value)) FROM member_rfm WHERE frequency >= 1") ?? 0) - 1
            var out: [Int64] = []
            for k in 1...4 {
                let e = try Int64.fetchOne(db, sql: "SELECT max(\(value)) FROM member_rfm WHERE frequency >= 1 AND \(score) <= ?", arguments: [k])
                out.append(max(e ?? low, out.last ?? low))
            }
            return out
        }
        let day = "(julianday(last_paid) - 2440587.5)"   // the day number (days since 1970-01-01)
        if scale.quintiles {
            scale.r = try edges("CAST(\(day) AS INTEGER)", "r").map { $0 - asOf }
            scale.f = try edges("frequency", "f")
            scale.m = try edges("monetary", "m")
        } else {
            // Custom: a row's R follows the custom edges as of the stored day; rows scored otherwise
            // keep the R those edges give (their next recompute scores them again anyway).
        }
        let sums = try Row.fetchOne(db, sql: "SELECT count(*), total(r), total(f), total(m) FROM member_rfm WHERE frequency >= 1")!
        scale.scored = sums[0]
        scale.sumR = Int64(sums[1] as Double); scale.sumF = Int64(sums[2] as Double); scale.sumM = Int64(sums[3] as Double)
        let json = String(decoding: try JSONEncoder().encode(scale), as: UTF8.self)
        try db.execute(sql: "INSERT INTO setting(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       arguments: [RFMEngine.scaleKey, json])
        // The distribution (if any) was made with the other scale: the next import takes the full path.
        try RFMDistribution.clear(db)
    }
}
