import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// A merge gives the survivor's member_rfm row its merged F and M, scored against the last
/// recompute's stored scale (edges and means); an unmerge gives both rows back theirs. The rows stay
/// the exact measures, so the next small import scores from them (no full measure) and stores what
/// a full recompute stores.
@Suite struct MergeRFMScaleTests {
    static let asOf = Day(year: 2026, month: 11, day: 30)!

    static func row(_ db: Database, _ buyer: String) throws -> Row? {
        try Row.fetchOne(db, sql: "SELECT r.*, \(try StoredR.expr(db)) AS r FROM member_rfm r JOIN member m ON m.id = r.member_id WHERE m.buyer_id = ?", arguments: [buyer])
    }

    /// The row a member gets from the stored scale, given its F, M and last paid day.
    static func expect(_ db: Database, _ buyer: String, frequency: Int, monetary: Fen, last: String) throws {
        let row = try #require(try Self.row(db, buyer), "no row for \(buyer)")
        #expect(row["frequency"] as Int == frequency && row["monetary"] as Int64 == monetary && row["last_paid"] as String == last, "\(buyer): \(row)")
        let scale = try #require(try RFMEngine.lastScale(db))
        let x = RFMMeasure(recencyDays: Self.asOf - Day.parse(last)!, frequency: frequency, monetary: monetary, paidCount: frequency, firstPaid: nil, lastPaid: nil)
        let s = scale.score(x)
        #expect([row["r"], row["f"], row["m"], row["segment"]] as [Int] == [Int(s.r), Int(s.f), Int(s.m), Int(s.segment.code)], "\(buyer): \(row)")
    }

    @Test func mergeAndUnmergeScoreAgainstTheStoredScale() throws {
        let shop = try MergeShop()
        defer { shop.cleanup() }
        try shop.service.merge(keep: "alice", other: "alice2")
        try shop.store.pool.read { db in
            try Self.expect(db, "alice", frequency: 2, monetary: 110_000, last: "2026-11-02")
            #expect(try Self.row(db, "alice2") == nil)
            #expect(try MergeRFM.rowsAreCurrent(db))
        }
        try shop.service.unmerge("alice2")
        try shop.store.pool.read { db in
            try Self.expect(db, "alice", frequency: 1, monetary: 30_000, last: "2026-11-01")
            try Self.expect(db, "alice2", frequency: 1, monetary: 80_000, last: "2026-11-02")
            #expect(try MergeRFM.rowsAreCurrent(db))
        }
        // Merged again, then a small import: scored from the stored rows, exactly as a full recompute.
        try shop.service.merge(keep: "bob", other: "bob2")
        #expect(try shop.store.pool.read { try RFMBase.read($0, asOf: Self.asOf).fromStored })
        var importer = shop.t.importer(bulk: false)
        importer.recomputeRFMAsOf = Self.asOf
        _ = try importer.run(.orders, path: try shop.t.file("d.csv", "order_id,buyer_id,paid_at,amount,status\n90,carol,2026-11-20 10:00:00,1.00,paid\n"))
        let after = try shop.store.pool.read { try RFMIncrementalTests.stored($0) }
        let full = try RFMIncrementalTests.recomputed(shop.t, asOf: Self.asOf)
        #expect(RFMIncrementalTests.differences(after.0, full.0) == [])
        #expect(after.1 == full.1)
    }
}
