import Foundation
import Testing
import GRDB
import PropertyBased
@testable import ECRMStore
import ECRMDomain

/// The usual daily case: the stored RFM is as of an earlier day (yesterday, or a few days back)
/// with the same settings. The base moves it to the new as-of by measuring again only the members
/// whose window edge passed, who bought since, or who are stored `new` (RFMBase.advance); what is
/// stored must be, row for row and in the summary, what a full recompute stores. Random shops
/// whose orders sit on the window's and the lifecycle windows' edges, orders dated after the
/// stored as-of, windows of 30, 100, 365 days and `all`, auto and custom scoring, rows whose
/// window_exit is not known (as a store migrated to v18 has them until its next recompute).
@Suite struct RFMDayAdvanceTests {
    static let from = Day(year: 2026, month: 11, day: 20)!

    static func text(_ d: Day) -> String { d.description + " 10:00:00" }

    /// A paid day near an edge that a move of 1…6 days crosses, or anywhere in the last 500 days,
    /// or a few days after `from` (orders the stored RFM does not count yet).
    static func day(_ rnd: inout SplitMix64, window: Int?) -> Day {
        let edges = [0, 30, 90, 180] + (window.map { [$0] } ?? [])
        switch rnd.next() % 4 {
        case 0: return from.adding(days: -Int(rnd.next() % 500))
        case 1: return from.adding(days: 1 + Int(rnd.next() % 8))
        default: return from.adding(days: -edges[Int(rnd.next() % UInt64(edges.count))] + Int(rnd.next() % 8) - 2)
        }
    }

    static func amount(_ rnd: inout SplitMix64) -> String { ["10.00", "20.00", "20.00", "35.50", "99.00", "0.00"][Int(rnd.next() % 6)] }

    /// A random shop with RFM stored as of `from`; its window and mode.
    static func shop(seed: UInt64) throws -> (TempStore, members: Int, window: Int?) {
        var rnd = SplitMix64(seed: seed)
        let members = 20 + Int(rnd.next() % 80)
        let window: Int? = [365, 30, 100, nil][Int(rnd.next() % 4)]
        let custom = rnd.next() % 3 == 0
        var m = "buyer_id,nick\n"
        for i in 0..<members { m += "b\(i),会员\(i)\n" }
        var o = "order_id,buyer_id,paid_at,amount,status\n"
        for j in 0..<Int(rnd.next() % UInt64(members * 4)) {
            let status = rnd.next() % 8 == 0 ? "refunded" : "paid"
            let b = Int(rnd.next() % UInt64(members)) * Int(rnd.next() % UInt64(members)) / members
            o += "\(1_000 + j),b\(b),\(text(day(&rnd, window: window))),\(amount(&rnd)),\(status)\n"
        }
        let t = try TempStore.rfmShop(members: m, orders: o, asOf: Self.from) { config in
            config.windowDays = window
            if custom { config.mode = .custom(CustomEdges(monetary: [1_000, 2_000, 5_000, 20_000])) }
        }
        try t.store.pool.write { db in
            // Some rows as a store migrated to v18 has them: window_exit not known.
            if rnd.next() % 3 == 0 { try db.execute(sql: "UPDATE member_rfm SET window_exit = NULL WHERE member_id % 3 = 0") }
        }
        return (t, members, window)
    }

    static func expectFullRecompute(_ t: TempStore, asOf: Day, _ note: String) throws {
        let after = try t.store.pool.read { try RFMIncrementalTests.stored($0) }
        let full = try RFMIncrementalTests.recomputed(t, asOf: asOf)
        #expect(RFMIncrementalTests.differences(after.0, full.0) == [], "\(note): member_rfm differs from a full recompute")
        #expect(after.1 == full.1, "\(note): summary differs")
    }

    static func check(seed: UInt64) throws {
        let (t, members, window) = try shop(seed: seed)
        defer { t.cleanup() }
        var rnd = SplitMix64(seed: seed &+ 7)
        var asOf = from
        for round in 0..<3 {
            let before = asOf
            asOf = asOf.adding(days: 1 + Int(rnd.next() % 3))
            let note = "seed \(seed) window \(window.map(String.init) ?? "all") round \(round) \(before)→\(asOf)"
            let snap = try t.store.pool.read { try RFMBase.read($0, asOf: asOf) }
            #expect(snap.fromStored && snap.advancedFrom == before, "\(note): not advanced from the stored rows")
            if round == 0 {
                // The move alone (a refresh with no member touched).
                let base = RFMBase.start(t.store, asOf: asOf)
                let how = try t.store.pool.write { db in try RFMEngine.refresh(db, members: [], asOf: asOf, base: base) }
                #expect(how == "members")
            } else {
                // The move with a day's file: new buyers, orders of the day and of earlier days.
                var text = "order_id,buyer_id,paid_at,amount,status\n"
                for j in 0..<(1 + Int(rnd.next() % 8)) {
                    let buyer = rnd.next() % 4 == 0 ? "new\(round)-\(j)" : "b\(rnd.next() % UInt64(members))"
                    text += "\(100_000 * (round + 1) + j),\(buyer),\(Self.text(asOf.adding(days: -Int(rnd.next() % 3)))),\(amount(&rnd)),paid\n"
                }
                var importer = t.importer(bulk: false)
                importer.recomputeRFMAsOf = asOf
                let report = try importer.run(.orders, path: try t.file("d\(round).csv", text))
                #expect(report.rfm == "members", "\(note)")
            }
            try expectFullRecompute(t, asOf: asOf, note)
        }
    }

    @Test func movingTheAsOfOnStoresWhatAFullRecomputeStores() async throws {
        await propertyCheck(count: 24, input: Gen.int(in: 0...1_000_000)) { seed in
            try Self.check(seed: UInt64(seed))
        }
    }

    /// 300 members: an order each 60 days back (nothing leaves a 365-day window, no lifecycle
    /// moves), five whose only order leaves the window the next day, three that turn sleeping
    /// (91 days) and two that stop being new: the next day measures again only the five and the
    /// two stored `new` (sleeping comes from the stored last paid day), and stores a full
    /// recompute's result.
    @Test func theNextDayMeasuresAgainOnlyWhoseWindowOrNewnessEnds() throws {
        let t = try TempStore()
        defer { t.cleanup() }
        var m = "buyer_id,nick\n", o = "order_id,buyer_id,paid_at,amount,status\n"
        for i in 0..<300 {
            m += "b\(i),会员\(i)\n"
            let back = i < 5 ? 364 : i < 8 ? 90 : i < 10 ? 30 : 60
            // Two orders each so that first paid (and newness) is older than the last one but for b8, b9.
            if i >= 10 || i < 5 { o += "\(10_000 + i),b\(i),\(Self.text(Self.from.adding(days: -400))),5.00,paid\n" }
            o += "\(1_000 + i),b\(i),\(Self.text(Self.from.adding(days: -back))),\(10 + i % 7).00,paid\n"
        }
        var importer = t.importer(bulk: false)
        importer.recomputeRFMAsOf = nil
        _ = try importer.run([(.members, try t.file("m.csv", m)), (.orders, try t.file("o.csv", o))])
        _ = try t.store.pool.write { db in try RFMEngine.recompute(db, settings: try RFMEngine.loadConfig(db).settings(asOf: Self.from)) }
        let next = Self.from.adding(days: 1)
        let snap = try t.store.pool.read { try RFMBase.read($0, asOf: next) }
        #expect(snap.fromStored && snap.advancedFrom == Self.from)
        #expect(snap.measuredAgain == 7)
        let base = RFMBase.start(t.store, asOf: next)
        _ = try t.store.pool.write { db in try RFMEngine.refresh(db, members: [], asOf: next, base: base) }
        try Self.expectFullRecompute(t, asOf: next, "next day")
        let sleeping = try t.store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM member_rfm WHERE lifecycle = ?", arguments: [Int(Lifecycle.sleeping.code)])
        }
        #expect(sleeping == 3)
    }

    /// Changed settings (the window) or an as-of before the stored one: no advance, everyone measured.
    @Test func otherSettingsOrAnEarlierDayMeasureEveryone() throws {
        let (t, _, _) = try Self.shop(seed: 3)
        defer { t.cleanup() }
        #expect(try t.store.pool.read { try RFMBase.read($0, asOf: Self.from.adding(days: -1)).fromStored } == false)
        try t.store.pool.write { db in
            var config = try RFMEngine.loadConfig(db)
            config.windowDays = config.windowDays == 200 ? 201 : 200
            try RFMEngine.saveConfig(db, config)
        }
        #expect(try t.store.pool.read { try RFMBase.read($0, asOf: Self.from.adding(days: 1)).fromStored } == false)
    }
}
