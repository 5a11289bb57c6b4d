import GRDB
import ECRMDomain

/// An R×F grid cell as SQL over `member_rfm r`. A stored row's R score is its last paid day
/// scored against the stored scale (RFMDerivedR: rows keep no R), and R rises with the day. So a
/// cell is F = f and the last paid day in the R score's day range, which the member_rfm_cell
/// (f, last_paid) index answers in recency order without reading the rows.
enum RFMCell {
    static func condition(_ db: Database, r: Int, f: Int) throws -> String {
        // No scale: nobody is scored, so no row is in any cell.
        guard let (lo, hi) = try dayRange(db, r: r) else { return "r.f = \(f) AND 0" }
        var c = "r.f = \(f)"
        if let lo { c += " AND r.last_paid > '\(lo)'" }
        if let hi { c += " AND r.last_paid <= '\(hi)'" }
        return c
    }

    /// The last paid days (exclusive lower, inclusive upper; nil = open) of a scored member with R
    /// score `r` under the stored scale, as last_paid text; nil when no scale describes the rows.
    static func dayRange(_ db: Database, r: Int) throws -> (String?, String?)? {
        guard (1...5).contains(r), let derived = try RFMDerivedR.stored(db) else { return nil }
        let texts = derived.texts
        return (r == 1 ? nil : texts[r - 2], r == 5 ? nil : texts[r - 1])
    }
}
