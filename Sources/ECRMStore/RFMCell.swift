import GRDB
import ECRMDomain

/// An R×F grid cell as SQL over `member_rfm r`. Every stored row's R score is its last paid day
/// scored against the stored scale (rfm.scale, as of rfm.last: every write of member_rfm scores
/// that way, a merge included), and R rises with the day. So a cell is F = f and the last paid day
/// in the R score's day range, which the member_rfm_cell (f, last_paid) index answers in recency
/// order without reading the rows; R scores moving with an import then touch no index.
enum RFMCell {
    static func condition(_ db: Database, r: Int, f: Int) throws -> String {
        guard let (lo, hi) = try dayRange(db, r: r) else { return "r.r = \(r) AND r.f = \(f)" }
        var c = "r.f = \(f)"
        if let lo { c += " AND r.last_paid > '\(Day(number: lo).description)'" }
        if let hi { c += " AND r.last_paid <= '\(Day(number: hi).description)'" }
        return c
    }

    /// The last paid days (exclusive lower, inclusive upper; nil = open) of a scored member with R
    /// score `r` under the stored scale; nil when no scale describes the rows (then the cell
    /// reads the R column).
    static func dayRange(_ db: Database, r: Int) throws -> (Int32?, Int32?)? {
        guard (1...5).contains(r), let settings = try RFMEngine.lastSettings(db), let scale = try RFMEngine.lastScale(db),
              scale.quintiles == (settings.mode == .auto), scale.r.count == 4 else { return nil }
        // A score is 1 + how many of these days the last paid day is after (RFMScale.scores).
        let asOf = Int64(settings.asOf.number)
        let days = (scale.quintiles ? scale.r.map { asOf + $0 } : scale.r.map { asOf - $0 - 1 }).sorted()
        guard let first = days.first, let last = days.last, first >= Int64(Int32.min), last <= Int64(Int32.max) else { return nil }
        return (r == 1 ? nil : Int32(days[r - 2]), r == 5 ? nil : Int32(days[r - 1]))
    }
}
