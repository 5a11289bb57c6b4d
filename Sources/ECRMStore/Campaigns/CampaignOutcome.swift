import Foundation
import GRDB
import GRDBSQLite
import ECRMDomain

/// Reads a campaign's outcome from `member_stats.paid_days` (every paid order as day and amount),
/// one row per target member: the orders table is never scanned.
enum CampaignOutcome {
    struct Tally {
        var revenues: [[Fen]] = [[], []]
        var firstDays: [[Int]] = [[], []]
        var responders: [[Int64]] = [[], []]
    }

    /// Index 0 = control, 1 = treatment (the stored flag).
    static func tally(_ db: Database, campaign id: Int64, start: Day, windowDays: Int) throws -> Tally {
        let from = start.number, to = start.number + Int32(windowDays)
        var t = Tally()
        let scan = try RawStatement(db, """
            SELECT cm.member_id, cm.treatment, s.paid_days FROM campaign_member cm
            LEFT JOIN member_stats s ON s.member_id = cm.member_id WHERE cm.campaign_id = ?
            """)
        scan.bind(1, id)
        while try scan.next() {
            let g = Int(sqlite3_column_int64(scan.handle, 1)) == 1 ? 1 : 0
            var sum: Fen = 0
            var first: Int32?
            if let p = sqlite3_column_blob(scan.handle, 2) {
                let blob = UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(scan.handle, 2)))
                for i in 0..<(blob.count / 12) {
                    let day = Int32(littleEndian: blob.loadUnaligned(fromByteOffset: i * 12, as: Int32.self))
                    if day < from { continue }
                    if day >= to { break }  // sorted by day
                    sum += Int64(littleEndian: blob.loadUnaligned(fromByteOffset: i * 12 + 4, as: Int64.self))
                    if first == nil { first = day }
                }
            }
            t.revenues[g].append(sum)
            if let first {
                t.firstDays[g].append(Int(first - from))
                t.responders[g].append(sqlite3_column_int64(scan.handle, 0))
            }
        }
        sqlite3_reset(scan.handle)
        return t
    }

    /// Uplift and p-value alone (the campaigns list's headline): they need only each group's
    /// members and responders. A member's first and last paid day settle almost every case; the
    /// paid history is read only for one who bought both before the window and after it.
    static func headline(_ db: Database, campaign id: Int64, start: Day, windowDays: Int) throws -> CampaignEffect {
        let from = Int64(start.number), to = Int64(start.number) + Int64(windowDays)
        var members = [0, 0], responders = [0, 0]
        let scan = try RawStatement(db, """
            SELECT cm.treatment, s.first_paid, s.last_paid, s.paid_days FROM campaign_member cm
            LEFT JOIN member_stats s ON s.member_id = cm.member_id WHERE cm.campaign_id = ?
            """)
        scan.bind(1, id)
        while try scan.next() {
            let g = sqlite3_column_int64(scan.handle, 0) == 1 ? 1 : 0
            members[g] += 1
            guard sqlite3_column_type(scan.handle, 1) != SQLITE_NULL else { continue }
            let first = sqlite3_column_int64(scan.handle, 1), last = sqlite3_column_int64(scan.handle, 2)
            if last < from || first >= to { continue }
            if first >= from || last < to { responders[g] += 1; continue }
            // Bought before and after the window: was there an order inside it?
            guard let p = sqlite3_column_blob(scan.handle, 3) else { continue }
            let blob = UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(scan.handle, 3)))
            for i in 0..<(blob.count / 12) {
                let day = Int64(Int32(littleEndian: blob.loadUnaligned(fromByteOffset: i * 12, as: Int32.self)))
                if day >= to { break }
                if day >= from { responders[g] += 1; break }
            }
        }
        sqlite3_reset(scan.handle)
        func group(_ g: Int) -> GroupOutcome { GroupOutcome(members: members[g], responders: responders[g], revenue: 0, revenueVariance: 0) }
        return CampaignEffect(treatment: group(1), control: group(0))
    }

    /// The same p₀ from an RFM computation as of the day before the start (a target on segments,
    /// lifecycles or grid cells has just made one): its first and last paid days are those of
    /// orders up to that day, so a member first paid before start − window repeated exactly when
    /// the last paid day is on or after start − window. No second pass over the stats.
    static func baseRate(_ c: RFMEngine.Computation, start: Day, windowDays: Int) -> Double? {
        assert(c.summary.settings.asOf == start.adding(days: -1), "the computation must be as of the day before the start")
        let a = start.adding(days: -windowDays)
        var eligible = 0, repeaters = 0
        for m in c.measures {
            guard let first = m.firstPaid, first < a, let last = m.lastPaid else { continue }
            eligible += 1
            if last >= a { repeaters += 1 }
        }
        return CampaignPower.repurchaseRate(repeaters: repeaters, eligible: eligible)
    }

    /// p₀ of PRODUCT.md: among members whose first paid order is before start − window, the share
    /// with a paid order in [start − window, start). One pass over the stats: most members are
    /// settled by first/last paid day alone; only those whose last order is on or after the start
    /// need their history read.
    static func baseRate(_ db: Database, start: Day, windowDays: Int) throws -> Double? {
        let a = Int64(start.number) - Int64(windowDays), s = Int64(start.number)
        var eligible = 0, repeaters = 0
        let scan = try RawStatement(db, "SELECT last_paid, paid_days FROM member_stats WHERE first_paid < ?")
        scan.bind(1, a)
        while try scan.next() {
            eligible += 1
            let last = sqlite3_column_int64(scan.handle, 0)
            if last < a { continue }
            if last < s { repeaters += 1; continue }
            guard let p = sqlite3_column_blob(scan.handle, 1) else { continue }
            let blob = UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(scan.handle, 1)))
            for i in 0..<(blob.count / 12) {
                let day = Int64(Int32(littleEndian: blob.loadUnaligned(fromByteOffset: i * 12, as: Int32.self)))
                if day >= s { break }
                if day >= a { repeaters += 1; break }
            }
        }
        sqlite3_reset(scan.handle)
        return CampaignPower.repurchaseRate(repeaters: repeaters, eligible: eligible)
    }
}
