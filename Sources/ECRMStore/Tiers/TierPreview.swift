import GRDB
import GRDBSQLite
import ECRMDomain

/// Everything the publish dialog shows, computed from one read snapshot: the diff, the rule review
/// and the impact. Pass it back to `TierService.publish(_:reviewed:confirmFloor:)`, which refuses if
/// the live ladder or the draft changed since.
public struct TierPreview: Sendable {
    public var live: TierLive?
    public var draft: TierDraft
    public var changes: [TierChange]
    public var review: TierPublishReview
    public var impact: TierImpact
    /// Members at each level 0...4 now.
    public var membersPerLevel: [Int]
    /// The impact's cost covers paid orders on days (asOf − 30, asOf].
    public var asOf: Day

    public var liveVersion: Int64? { live?.version }
    public var hasChanges: Bool { draft.ladder != live?.ladder }
}

/// The impact scan: one pass over member ⨝ member_stats (1M members well under the 500 ms budget).
enum TierImpactScan {
    static let recentDays = 30

    struct Result {
        var impact: TierImpact
        var membersPerLevel: [Int]
    }

    /// The last 30 days come from the `paid_days` blob (sorted by day, newest last), read only for
    /// members whose last paid day is inside the window, so the orders table is never touched.
    static func run(_ db: Database, live: TierLadder?, draft: TierLadder, asOf: Day) throws -> Result {
        var acc = TierImpactAccumulator(live: live, draft: draft)
        var counts = [0, 0, 0, 0, 0]
        let withBaseline = try TierBaseline.isInUse(db)
        // A member lowered by hand qualifies by what they paid since (as auto-upgrade will judge them).
        let baseCols = withBaseline ? "coalesce(b.paid_sum, 0), coalesce(b.paid_count, 0)" : "0, 0"
        let baseJoin = withBaseline ? "LEFT JOIN member_tier_baseline b ON b.member_id = m.id" : ""
        let scan = try RawStatement(db, """
            SELECT m.tier, m.status = '\(MemberStatus.blacklist.rawValue)', coalesce(s.paid_sum, 0), coalesce(s.paid_count, 0), \(baseCols),
                   coalesce(s.last_paid, -2147483648), s.paid_days
            FROM member m LEFT JOIN member_stats s ON s.member_id = m.id \(baseJoin)
            """)
        defer { sqlite3_reset(scan.handle) }
        let h = scan.handle
        let firstRecent = asOf.number - Int32(recentDays - 1)   // days (asOf − 30, asOf]
        let last = asOf.number
        while try stepRow(h) {
            let level = Int(sqlite3_column_int64(h, 0))
            if (0...4).contains(level) { counts[level] += 1 }
            let lastPaid = sqlite3_column_int64(h, 6)
            var recent: Int64 = 0
            if lastPaid >= Int64(firstRecent), let p = sqlite3_column_blob(h, 7) {
                recent = recentSum(UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(h, 7))), from: firstRecent, to: last)
            }
            acc.add(level: level, paidAmount: sqlite3_column_int64(h, 2) - sqlite3_column_int64(h, 4),
                    paidCount: Int(sqlite3_column_int64(h, 3) - sqlite3_column_int64(h, 5)),
                    blacklisted: sqlite3_column_int64(h, 1) != 0, recentPaid: recent)
        }
        return Result(impact: acc.impact, membersPerLevel: counts)
    }

    /// Σ amounts of the blob's (day, amount) entries with day in from...to, walking back from the end.
    static func recentSum(_ blob: UnsafeRawBufferPointer, from: Int32, to: Int32) -> Int64 {
        var i = blob.count / 12 - 1
        var sum: Int64 = 0
        while i >= 0 {
            let day = Int32(littleEndian: blob.loadUnaligned(fromByteOffset: i * 12, as: Int32.self))
            if day < from { break }
            if day <= to { sum += Int64(littleEndian: blob.loadUnaligned(fromByteOffset: i * 12 + 4, as: Int64.self)) }
            i -= 1
        }
        return sum
    }
}
