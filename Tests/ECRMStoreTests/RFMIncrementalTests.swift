import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// A small import with RFM measures only the members it touched (RFMBase, read on a second
/// connection while the rows go in) and still scores everyone: what it stores must be, row for
/// row and in the summary, what a full recompute stores.
@Suite struct RFMIncrementalTests {
    static let asOf = Day(year: 2026, month: 11, day: 30)!

    /// member_rfm as rows of numbers and text, and the stored summary.
    static func stored(_ db: Database) throws -> ([String], RFMSummary?) {
        // Every stored column and the R each row shows (derived: RFMDerivedR).
        let rows = try Row.fetchAll(db, sql: "SELECT *, \(try StoredR.expr(db, "member_rfm")) AS r FROM member_rfm ORDER BY member_id").map { $0.description }
        return (rows, try RFMEngine.lastSummary(db))
    }

    /// The same after a full recompute on a copy of the store (the store itself is left alone).
    static func recomputed(_ t: TempStore, asOf: Day) throws -> ([String], RFMSummary?) {
        let copy = t.dir + "/copy-\(UUID().uuidString).sqlite"
        try t.store.pool.writeWithoutTransaction { try $0.execute(sql: "VACUUM INTO ?", arguments: [copy]) }
        let s = try Store(path: copy, operatorName: "owner1")
        return try s.pool.write { db in
            try RFMEngine.recompute(db, settings: try RFMEngine.loadConfig(db).settings(asOf: asOf))
            return try stored(db)
        }
    }

    /// The first few rows that differ (stored vs recomputed), and a count mismatch.
    static func differences(_ a: [String], _ b: [String]) -> [String] {
        let rows = zip(a, b).filter { $0 != $1 }.prefix(3).map { "\($0) vs \($1)" }
        return rows + (a.count == b.count ? [] : ["\(a.count) rows vs \(b.count)"])
    }

    /// 400 members, 2,000 seeded orders; RFM stored as of `asOf`.
    func shop(mode: ScoringMode = .auto) throws -> TempStore {
        var rnd = SplitMix64(seed: 18)
        var members = "buyer_id,nick\n"
        for i in 0..<400 { members += "b\(i),会员\(i)\n" }
        var orders = "order_id,buyer_id,paid_at,amount,status\n"
        for j in 0..<2_000 {
            let day = 1 + Int(rnd.next() % 28), month = 1 + Int(rnd.next() % 11)
            let status = rnd.next() % 10 == 0 ? "refunded" : "paid"
            orders += "\(1_000 + j),b\(rnd.next() % 400),2026-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day) 10:00:00,\(1 + rnd.next() % 900).00,\(status)\n"
        }
        return try TempStore.rfmShop(members: members, orders: orders, asOf: Self.asOf) { $0.mode = mode }
    }

    /// A day's file: new orders for existing buyers and for new ones, and a refund of a stored order.
    func daily(_ t: TempStore, seed: UInt64) throws -> String {
        var rnd = SplitMix64(seed: seed)
        var text = "order_id,buyer_id,paid_at,amount,status\n"
        for j in 0..<60 {
            let buyer = j % 10 == 0 ? "new\(seed)-\(j)" : "b\(rnd.next() % 400)"
            text += "\(100_000 * Int(seed) + j),\(buyer),2026-11-\(10 + Int(rnd.next() % 20)) 09:00:00,\(1 + rnd.next() % 2_000).00,paid\n"
        }
        text += "1005,b5,2026-03-03 10:00:00,10.00,refunded\n"
        return try t.file("d\(seed).csv", text)
    }

    @Test(arguments: [ScoringMode.auto, .custom(CustomEdges(monetary: [10_000, 30_000, 60_000, 100_000]))])
    func aSmallImportStoresWhatAFullRecomputeStores(mode: ScoringMode) throws {
        let t = try shop(mode: mode); defer { t.cleanup() }
        for seed in UInt64(1)...3 {
            var importer = t.importer(bulk: false)
            importer.recomputeRFMAsOf = Self.asOf
            let report = try importer.run(.orders, path: try daily(t, seed: seed))
            #expect(report.rfm == "members", "seed \(seed)")
            #expect(report.membersCreated == 6)
            let after = try t.store.pool.read { try Self.stored($0) }
            let full = try Self.recomputed(t, asOf: Self.asOf)
            #expect(after.0.count == 400 + 6 * Int(seed))
            #expect(Self.differences(after.0, full.0) == [], "seed \(seed): member_rfm differs from a full recompute")
            #expect(after.1 == full.1, "seed \(seed): summary differs")
        }
    }

    /// Another as-of day than the stored one (the next day's import): the second connection
    /// measures everyone as of the new day while the rows go in; the result is still a full recompute's.
    @Test func theNextDaysImportStoresWhatAFullRecomputeStores() throws {
        let t = try shop(); defer { t.cleanup() }
        var importer = t.importer(bulk: false)
        let next = Self.asOf.adding(days: 1)
        importer.recomputeRFMAsOf = next
        let report = try importer.run(.orders, path: try daily(t, seed: 7))
        #expect(report.rfm == "members")
        let after = try t.store.pool.read { try Self.stored($0) }
        let full = try Self.recomputed(t, asOf: next)
        #expect(Self.differences(after.0, full.0) == [])
        #expect(after.1 == full.1)
        #expect(after.1?.settings.asOf == next)
    }
}
