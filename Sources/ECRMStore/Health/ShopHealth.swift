import Foundation
import GRDB
import GRDBSQLite
import ECRMDomain

/// Shop health (效果评估): repurchase, reactivation, refunds and cohort retention as of a day.
/// Member figures come from one pass over `member_stats.paid_days`; refunds need the orders table
/// (one aggregate query), because refunded orders are not in the paid history.
public struct ShopHealth: Sendable, Equatable, Codable {
    public struct Reactivation: Sendable, Equatable, Codable {
        public var start: Day
        public var end: Day
        public var sleepingAtStart: Int
        public var lostAtStart: Int
        public var reactivated: Int
        public var rate: Rate
    }

    public struct Refunds: Sendable, Equatable, Codable {
        public var paidOrders: Int64
        public var refundedOrders: Int64
        public var paidAmount: Fen
        public var refundedAmount: Fen
        /// refunded / (paid + refunded), by order count.
        public var byCount: Rate { Rate(refundedOrders, of: paidOrders + refundedOrders) }
        /// The same by amount (fen).
        public var byAmount: Rate { Rate(refundedAmount, of: paidAmount + refundedAmount) }
    }

    public var asOf: Day
    public var buyers: Int
    public var repurchase: Rate
    public var reactivation: Reactivation
    public var refunds: Refunds
    /// The last 12 joining cohorts, oldest first.
    public var cohorts: [CohortRetention]

    /// Computes as of `asOf` (orders after it are ignored). Reactivation looks from `start`
    /// (default: 90 days before as-of) to as-of, with the shop's lifecycle windows.
    static func compute(_ db: Database, asOf: Day = Clock.today(), reactivationStart: Day? = nil) throws -> ShopHealth {
        var h = try memberFigures(db, asOf: asOf, reactivationStart: reactivationStart)
        h.refunds = try refunds(db, asOf: asOf)
        return h
    }

    /// Everything but refunds, from one pass over the paid-day blobs.
    static func memberFigures(_ db: Database, asOf: Day, reactivationStart: Day?) throws -> ShopHealth {
        let windows = try RFMEngine.loadConfig(db).lifecycle
        let start = reactivationStart ?? asOf.adding(days: -90)
        var tally = HealthTally(asOf: asOf, reactivationStart: start, reactivationEnd: asOf, windows: windows)
        let scan = try RawStatement(db, "SELECT paid_days FROM member_stats WHERE paid_count > 0")
        while try scan.next() {
            if let p = sqlite3_column_blob(scan.handle, 0) {
                let blob = UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(scan.handle, 0)))
                for i in 0..<blob.count / 12 {
                    tally.add(day: Int32(littleEndian: blob.loadUnaligned(fromByteOffset: i * 12, as: Int32.self)))
                }
            }
            tally.endMember()
        }
        sqlite3_reset(scan.handle)
        let reactivation = Reactivation(start: start, end: asOf, sleepingAtStart: tally.sleepingAtStart, lostAtStart: tally.lostAtStart,
                                        reactivated: tally.reactivated, rate: tally.reactivation)
        return ShopHealth(asOf: asOf, buyers: tally.buyers, repurchase: tally.repurchase, reactivation: reactivation,
                          refunds: Refunds(paidOrders: 0, refundedOrders: 0, paidAmount: 0, refundedAmount: 0), cohorts: tally.cohorts)
    }

    /// Paid and refunded orders up to as-of, counts and amounts, in one aggregate.
    static func refunds(_ db: Database, asOf: Day) throws -> Refunds {
        var r = Refunds(paidOrders: 0, refundedOrders: 0, paidAmount: 0, refundedAmount: 0)
        for row in try Row.fetchAll(db, sql: """
            SELECT status, count(*), coalesce(sum(amount), 0) FROM orders
            WHERE status IN ('paid', 'refunded') AND paid_at <= ? GROUP BY status
            """, arguments: ["\(asOf) 23:59:59"]) {
            if row[0] as String == "paid" { r.paidOrders = row[1]; r.paidAmount = row[2] } else { r.refundedOrders = row[1]; r.refundedAmount = row[2] }
        }
        return r
    }

    /// The store version runs the orders aggregate on a second reader connection while this one
    /// folds the blobs: on two cores the figures cost about the slower of the two, not their sum.
    public static func compute(_ store: Store, asOf: Day = Clock.today(), reactivationStart: Day? = nil) throws -> ShopHealth {
        let box = RefundBox()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            box.result = Result { try store.read(.require(.lookUp)) { try refunds($0, asOf: asOf) } }
        }
        var h = try store.read(.require(.lookUp)) { try memberFigures($0, asOf: asOf, reactivationStart: reactivationStart) }
        group.wait()
        h.refunds = try box.result!.get()
        return h
    }
}

/// Hands the refund figures back from the helper thread; written once before `group.wait()` returns.
private final class RefundBox: @unchecked Sendable {
    var result: Result<ShopHealth.Refunds, Error>?
}
