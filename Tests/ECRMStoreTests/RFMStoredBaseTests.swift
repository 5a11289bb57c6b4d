import Foundation
import Testing
import GRDB
import PropertyBased
@testable import ECRMStore
import ECRMDomain

/// A small import into a store whose RFM is current takes everyone's measure from the stored rows
/// (RFMBase, read before the write lock) and scores everyone again from columns: what it stores
/// must be, row for row and in the summary, what a full recompute stores. Random shops with many
/// ties, members entering and leaving the scored set, new members and shifting means.
@Suite struct RFMStoredBaseTests {
    static let asOf = Day(year: 2026, month: 11, day: 30)!

    /// Days spread so that some orders fall before the 365-day window (bought, not scored).
    static func day(_ rnd: inout SplitMix64) -> String {
        let d = asOf.adding(days: -Int(rnd.next() % 500))
        return d.description + " 10:00:00"
    }

    /// Amounts from a small set: many equal M values, so quintile edges sit on ties.
    static func amount(_ rnd: inout SplitMix64) -> String { ["10.00", "20.00", "20.00", "35.50", "99.00", "120.00", "0.00"][Int(rnd.next() % 7)] }

    /// A random shop with RFM stored as of `asOf` (auto or custom), its orders' ids in `orders`.
    static func shop(seed: UInt64, custom: Bool) throws -> (TempStore, members: Int) {
        var rnd = SplitMix64(seed: seed)
        let members = 15 + Int(rnd.next() % 80)
        var m = "buyer_id,nick\n"
        for i in 0..<members { m += "b\(i),会员\(i)\n" }
        var o = "order_id,buyer_id,paid_at,amount,status\n"
        let count = Int(rnd.next() % UInt64(members * 4))
        for j in 0..<count {
            let status = rnd.next() % 8 == 0 ? "refunded" : "paid"
            // A skewed buyer choice: a few buyers with many orders, many with one or none.
            let b = Int(rnd.next() % UInt64(members)) * Int(rnd.next() % UInt64(members)) / members
            o += "\(1_000 + j),b\(b),\(day(&rnd)),\(amount(&rnd)),\(status)\n"
        }
        let t = try TempStore.rfmShop(members: m, orders: o, asOf: Self.asOf) { config in
            if custom { config.mode = .custom(CustomEdges(monetary: [1_000, 2_000, 5_000, 20_000])) }
        }
        return (t, members)
    }

    /// A day's file: new orders for existing and new buyers (some before the window), refunds of
    /// stored orders (a buyer whose only order goes leaves the scored set), the same order again.
    static func daily(_ t: TempStore, seed: UInt64, round: Int, members: Int) throws -> String {
        var rnd = SplitMix64(seed: seed &* 31 &+ UInt64(round))
        var text = "order_id,buyer_id,paid_at,amount,status\n"
        for j in 0..<(1 + Int(rnd.next() % 12)) {
            let buyer = rnd.next() % 5 == 0 ? "new\(round)-\(j)" : "b\(rnd.next() % UInt64(members))"
            text += "\(100_000 * (round + 1) + j),\(buyer),\(day(&rnd)),\(amount(&rnd)),paid\n"
        }
        for _ in 0..<Int(rnd.next() % 4) {
            let order = 1_000 + Int(rnd.next() % UInt64(members * 4))
            let owner = try t.store.pool.read { db in
                try String.fetchOne(db, sql: "SELECT m.buyer_id FROM orders o JOIN member m ON m.id = o.member_id WHERE o.order_id = ?", arguments: ["\(order)"])
            }
            if let owner { text += "\(order),\(owner),\(day(&rnd)),\(amount(&rnd)),refunded\n" }
        }
        return try t.file("d\(round).csv", text)
    }

    static func check(seed: UInt64, custom: Bool) throws {
        let (t, members) = try shop(seed: seed, custom: custom)
        defer { t.cleanup() }
        for round in 0..<3 {
            // The stored rows are current: the base comes from them, not from the paid histories.
            let fromStored = try t.store.pool.read { try RFMBase.read($0, asOf: Self.asOf).fromStored }
            #expect(fromStored, "seed \(seed) round \(round)")
            var importer = t.importer(bulk: false)
            importer.recomputeRFMAsOf = Self.asOf
            let report = try importer.run(.orders, path: try daily(t, seed: seed, round: round, members: members))
            #expect(report.rfm == "members")
            let after = try t.store.pool.read { try RFMIncrementalTests.stored($0) }
            let full = try RFMIncrementalTests.recomputed(t, asOf: Self.asOf)
            #expect(RFMIncrementalTests.differences(after.0, full.0) == [], "seed \(seed) round \(round): member_rfm differs from a full recompute")
            #expect(after.1 == full.1, "seed \(seed) round \(round): summary differs")
        }
    }

    @Test func smallImportsFromStoredRowsStoreWhatAFullRecomputeStores() async throws {
        await propertyCheck(count: 12, input: Gen.int(in: 0...1_000_000)) { seed in
            try Self.check(seed: UInt64(seed), custom: false)
        }
    }

    @Test func theSameWithCustomEdges() async throws {
        await propertyCheck(count: 4, input: Gen.int(in: 0...1_000_000)) { seed in
            try Self.check(seed: UInt64(seed), custom: true)
        }
    }

    /// A write committed between the base's read and the lock (here an import that leaves RFM
    /// alone): the base is read again, so the refresh still stores a full recompute's result.
    @Test func aCommitBetweenTheReadAndTheLockIsSeen() throws {
        let (t, members) = try Self.shop(seed: 5, custom: false)
        defer { t.cleanup() }
        let base = RFMBase.start(t.store, asOf: Self.asOf)
        // Let the base finish reading first (what would make it stale).
        Thread.sleep(forTimeInterval: 0.3)
        var other = t.importer(bulk: false)
        other.recomputeRFMAsOf = nil
        var text = "order_id,buyer_id,paid_at,amount,status\n"
        for i in 0..<members { text += "\(900_000 + i),b\(i),2026-11-29 09:00:00,777.00,paid\n" }
        _ = try other.run(.orders, path: try t.file("between.csv", text))
        let how = try t.store.pool.write { db in try RFMEngine.refresh(db, members: [], asOf: Self.asOf, base: base) }
        #expect(how == "members")
        let after = try t.store.pool.read { try RFMIncrementalTests.stored($0) }
        let full = try RFMIncrementalTests.recomputed(t, asOf: Self.asOf)
        #expect(RFMIncrementalTests.differences(after.0, full.0) == [])
        #expect(after.1 == full.1)
    }

    /// After a write that changed paid histories without RFM, the stored rows are not current:
    /// the base measures everyone again.
    @Test func storedRowsAreNotUsedAfterAnImportWithoutRFM() throws {
        let (t, _) = try Self.shop(seed: 9, custom: false)
        defer { t.cleanup() }
        var other = t.importer(bulk: false)
        other.recomputeRFMAsOf = nil
        _ = try other.run(.orders, path: try t.file("x.csv", "order_id,buyer_id,paid_at,amount,status\n777,b1,2026-11-29 09:00:00,5.00,paid\n"))
        #expect(try t.store.pool.read { try RFMBase.read($0, asOf: Self.asOf).fromStored } == false)
        #expect(try t.store.pool.read { try RFMBase.read($0, asOf: Self.asOf.adding(days: 1)).fromStored } == false)
    }
}
