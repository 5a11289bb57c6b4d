import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// Members sitting exactly on the rules' edges (PRODUCT.md: RFM, lifecycle, tiers, tag rules), with
/// every expected figure worked out by hand in the comments, not pasted from a run.
@Suite struct BoundaryTests {
    static let asOf = Day.parse("2026-06-30")!

    /// One CSV line per (buyer, days before as-of, yuan, status).
    static func ordersCSV(_ rows: [(String, Int, String, String)]) -> String {
        var csv = "order_id,buyer_id,paid_at,amount,status\n"
        for (k, r) in rows.enumerated() { csv += "\(k + 1),\(r.0),\(asOf.adding(days: -r.1)) 10:00:00,\(r.2),\(r.3)\n" }
        return csv
    }

    static func rfmRow(_ store: Store, _ buyer: String) throws -> Row {
        let row = try store.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT r.*, \(try StoredR.expr(db)) AS r FROM member_rfm r JOIN member m ON m.id = r.member_id WHERE m.buyer_id = ?", arguments: [buyer])
        }
        return try #require(row, "no member_rfm row for \(buyer)")
    }

    /// Five buyers m1…m5 with F = 1…5 orders. By hand, as of 2026-06-30 (n = 5 scored):
    /// - F 1,2,3,4,5: the value at position i scores 1 + ⌊5i/5⌋ = 1 + i → 1,2,3,4,5; Σ = 15, mean 3.
    /// - M (yuan) 100, 100 (2 × 50), 300, 400, 500: a tie at positions 0 and 1 shares the first
    ///   holder's score 1; then 3, 4, 5 → 1,1,3,4,5; Σ = 14, mean 2.8.
    /// - R (days) 200, 100, 50, 10, 0 (m5 bought on the as-of day: same day = 0), ranked by −R
    ///   ascending → 1,2,3,4,5; Σ = 15, mean 3.
    /// - m3 scores (3,3,3): R 3 ≥ 3, F 3 ≥ 3, M 3 ≥ 2.8, all high → important_value (sitting on the
    ///   mean is high). m1 (1,1,1) and m2 (2,2,1) are low in all three → general_winback; m4 and m5
    ///   high in all three → important_value.
    static let scoringOrders = ordersCSV([
        ("m1", 200, "100", "paid"),
        ("m2", 150, "50", "paid"), ("m2", 100, "50", "paid"),
        ("m3", 70, "100", "paid"), ("m3", 60, "100", "paid"), ("m3", 50, "100", "paid"),
        ("m4", 40, "100", "paid"), ("m4", 30, "100", "paid"), ("m4", 20, "100", "paid"), ("m4", 10, "100", "paid"),
        ("m5", 100, "100", "paid"), ("m5", 80, "100", "paid"), ("m5", 60, "100", "paid"), ("m5", 30, "100", "paid"), ("m5", 0, "100", "paid"),
        // Not counted: a refund (only paid orders count) and an order the day after as-of.
        ("m1", 1, "9999", "refunded"), ("m2", -1, "9999", "paid"),
    ])

    @Test func aScoreOnTheMeanIsHighAndTiesShareTheFirstHoldersScore() throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try Importer(store: t.store).run(.orders, path: try t.file("o.csv", Self.scoringOrders))
        let summary = try RFMEngine.recompute(t.store, settings: RFMSettings(asOf: Self.asOf))
        #expect(summary.scoredCount == 5)
        let want: [String: ([Int], Int, Int64, Int, Segment)] = [
            // buyer: ([r, f, m], frequency, monetary fen, recency days, segment)
            "m1": ([1, 1, 1], 1, 10_000, 200, .generalWinback),
            "m2": ([2, 2, 1], 2, 10_000, 100, .generalWinback),
            "m3": ([3, 3, 3], 3, 30_000, 50, .importantValue),
            "m4": ([4, 4, 4], 4, 40_000, 10, .importantValue),
            "m5": ([5, 5, 5], 5, 50_000, 0, .importantValue),
        ]
        for (buyer, w) in want.sorted(by: { $0.key < $1.key }) {
            let row = try Self.rfmRow(t.store, buyer)
            #expect([row["r"], row["f"], row["m"]] as [Int] == w.0, "\(buyer) scores")
            #expect(row["frequency"] as Int == w.1, "\(buyer) frequency")
            #expect(row["monetary"] as Int64 == w.2, "\(buyer) monetary")
            #expect(row["last_paid"] as String == Self.asOf.adding(days: -w.3).description, "\(buyer) last paid")
            #expect(row["segment"] as UInt8 == w.4.code, "\(buyer) segment")
        }
        let c = try t.store.pool.read { try RFMEngine.compute($0, settings: RFMSettings(asOf: Self.asOf)) }
        #expect(c.measures.compactMap(\.recencyDays).sorted() == [0, 10, 50, 100, 200])
        // Σ/n by hand: R 15/5, F 15/5, M 14/5.
        #expect(c.scoring.meanR == 3 && c.scoring.meanF == 3 && c.scoring.meanM == 2.8)
        #expect(summary.segments[.importantValue]?.count == 3 && summary.segments[.generalWinback]?.count == 2)
    }

    /// As of 2026-06-30, one buyer per lifecycle edge (new ≤ 30 days since the first order, active
    /// ≤ 90 days since the last, sleeping 91–180, lost > 180):
    /// n30 first and only order 30 days ago → new; n31 31 days → active; a90 (first 400 days ago,
    /// last 90) → active; s91 → sleeping; s180 → sleeping; l181 → lost; x only after as-of → none;
    /// y refunded 5 days ago and paid 200 days ago → lost (a refund is not a purchase).
    @Test func lifecycleEdgesAt30_90And180Days() throws {
        let t = try TempStore(); defer { t.cleanup() }
        let csv = Self.ordersCSV([
            ("n30", 30, "10", "paid"), ("n31", 31, "10", "paid"),
            ("a90", 400, "10", "paid"), ("a90", 90, "10", "paid"),
            ("s91", 400, "10", "paid"), ("s91", 91, "10", "paid"),
            ("s180", 400, "10", "paid"), ("s180", 180, "10", "paid"),
            ("l181", 400, "10", "paid"), ("l181", 181, "10", "paid"),
            ("x", -1, "10", "paid"),
            ("y", 200, "10", "paid"), ("y", 5, "10", "refunded"),
        ])
        _ = try Importer(store: t.store).run(.orders, path: try t.file("o.csv", csv))
        let summary = try RFMEngine.recompute(t.store, settings: RFMSettings(asOf: Self.asOf))
        let want: [(String, Lifecycle)] = [("n30", .new), ("n31", .active), ("a90", .active), ("s91", .sleeping),
                                           ("s180", .sleeping), ("l181", .lost), ("x", .none), ("y", .lost)]
        for (buyer, stage) in want {
            #expect(try Self.rfmRow(t.store, buyer)["lifecycle"] as UInt8 == stage.code, "\(buyer) should be \(stage)")
        }
        // By hand: new 1, active 2, sleeping 2, lost 2, none 1.
        #expect(summary.lifecycle[.new] == 1 && summary.lifecycle[.active] == 2 && summary.lifecycle[.sleeping] == 2)
        #expect(summary.lifecycle[.lost] == 2 && summary.lifecycle[.none] == 1)
        // The returning flag: a90, s91, s180, l181 have two paid orders each; y one paid (the refund does not count).
        #expect(try Self.rfmRow(t.store, "a90")["is_returning"] as Int == 1)
        #expect(try Self.rfmRow(t.store, "y")["is_returning"] as Int == 0)
    }

    /// Shop health's own copy of the lifecycle rule, at the reactivation start S (as-of − 90):
    /// last order S−90 → active (not counted); S−91 → sleeping; S−180 → sleeping and back at S+10
    /// (reactivated); S−181 → lost; S−30 first and only → new (not counted).
    /// By hand: sleeping 2, lost 1, reactivated 1 of 3.
    @Test func healthTallyCountsSleepingAndLostFromTheSameEdges() throws {
        let asOf = Self.asOf, start = asOf.adding(days: -90)
        var tally = HealthTally(asOf: asOf, reactivationStart: start, reactivationEnd: asOf)
        for lastDaysBeforeStart in [90, 91, 180, 181] {
            tally.add(day: start.adding(days: -400).number)
            tally.add(day: start.adding(days: -lastDaysBeforeStart).number)
            if lastDaysBeforeStart == 180 { tally.add(day: start.adding(days: 10).number) }
            tally.endMember()
        }
        tally.add(day: start.adding(days: -30).number); tally.endMember()
        #expect(tally.sleepingAtStart == 2, "S−91 and S−180 are sleeping; S−90 is still active")
        #expect(tally.lostAtStart == 1, "only S−181 is lost")
        #expect(tally.reactivated == 1)
        #expect(tally.reactivation == Rate(1, of: 3))
        #expect(tally.buyers == 5 && tally.repeaters == 4)
    }

    /// The same through the store: ShopHealth over imported orders, as of 2026-06-30 (S = 2026-04-01).
    @Test func shopHealthOnTheEdges() throws {
        let t = try TempStore(); defer { t.cleanup() }
        // Days before as-of = 90 + days before S.
        let csv = Self.ordersCSV([
            ("e90", 180, "10", "paid"), ("e91", 181, "10", "paid"), ("e180", 270, "10", "paid"), ("e180", 80, "10", "paid"),
            ("e181", 271, "10", "paid"),
        ])
        _ = try Importer(store: t.store).run(.orders, path: try t.file("o.csv", csv))
        let h = try ShopHealth.compute(t.store, asOf: Self.asOf)
        #expect(h.reactivation.start == Day.parse("2026-04-01")!)
        #expect(h.reactivation.sleepingAtStart == 2 && h.reactivation.lostAtStart == 1 && h.reactivation.reactivated == 1)
        #expect(h.repurchase == Rate(1, of: 4))   // only e180 bought twice
    }

    /// Level 1 from 100 yuan, level 2 from 500: a spend equal to a threshold reaches that tier.
    /// By hand: t100 (100.00) → 1, t99 (99.99) → 0, t500 (500.00) → 2, t499 (499.99) → 1.
    @Test func aSpendEqualToAThresholdReachesTheTier() throws {
        let shop = try TierShop([])
        defer { shop.cleanup() }
        let csv = "order_id,buyer_id,paid_at,amount,status\n1,t100,2026-01-10 10:00:00,100,paid\n2,t99,2026-01-10 10:00:00,99.99,paid\n3,t500,2026-01-10 10:00:00,500.00,paid\n4,t499,2026-01-10 10:00:00,499.99,paid\n"
        _ = try Importer(store: shop.store).run(.orders, path: try shop.t.file("o.csv", csv))
        try shop.publish(makeLadder([(100, 980), (500, 950)]))
        #expect(try shop.tiers() == ["t100": 1, "t99": 0, "t500": 2, "t499": 1])
    }

    /// Tag-rule bounds are inclusive. TagShop's all-time paid sums: a 2499, b 50, c 600, d 10 yuan;
    /// paid orders: a 4, b 1, c 2, d 1 (e has only a refund).
    @Test func tagRuleBoundsEqualToAValueInclude() throws {
        let shop = try TagShop(); defer { shop.cleanup() }
        let tags = TagService(store: shop.store)
        try tags.create("50到600", rule: MemberRule(spendMin: 5_000, spendMax: 60_000))
        #expect(try shop.holders("50到600") == ["b", "c"])          // both bounds are someone's exact spend
        try tags.create("恰两单", rule: MemberRule(ordersMin: 2, ordersMax: 2))
        #expect(try shop.holders("恰两单") == ["c"])
        try tags.create("至多一单", rule: MemberRule(ordersMin: 1, ordersMax: 1))
        #expect(try shop.holders("至多一单") == ["b", "d"])
    }

    /// Changing a tag's rule is audited with the rule before and after.
    @Test func aRuleChangeIsAudited() throws {
        let shop = try TagShop(); defer { shop.cleanup() }
        let tags = TagService(store: shop.store)
        try tags.create("复购", rule: MemberRule(ordersMin: 2))
        _ = try tags.setRule("复购", rule: MemberRule(ordersMin: 3))
        let entries = try shop.audit("tag.rule")
        let e = try #require(entries.first, "no tag.rule audit entry")
        #expect(entries.count == 1 && e.target == "复购" && e.operatorName == "owner1")
        #expect(e.before?.contains("\"ordersMin\":2") == true && e.after?.contains("\"ordersMin\":3") == true, "\(e)")
    }

    /// Operators: add and remove are audited; the last owner cannot be removed; a second owner can.
    @Test func operatorChangesAreAuditedAndTheLastOwnerStays() throws {
        let t = try TempStore(); defer { t.cleanup() }
        try t.store.pool.write { try Operators.add($0, user: "clerk", role: "staff", by: "owner1") }
        try t.store.pool.write { try Operators.remove($0, user: "clerk", by: "owner1") }
        let log = try t.store.pool.read { try Audit.recent($0) }
        #expect(log.map(\.action).prefix(2) == ["operators.remove", "operators.add"])
        try #require(log.count >= 2, "audit: \(log.map(\.action))")
        #expect(log[0].target == "clerk" && log[0].before == "staff" && log[0].after == nil)
        #expect(log[1].target == "clerk" && log[1].before == nil && log[1].after == "staff" && log[1].operatorName == "owner1")
        #expect(throws: StoreError.self) { try t.store.pool.write { try Operators.remove($0, user: "owner1", by: "owner1") } }
        #expect(try t.store.pool.read { try Operators.role($0, user: "owner1") } == "owner")
        try t.store.pool.write { try Operators.add($0, user: "owner2", role: "owner", by: "owner1") }
        try t.store.pool.write { try Operators.remove($0, user: "owner1", by: "owner2") }
        #expect(try t.store.pool.read { try Operators.list($0) }.map(\.user) == ["owner2"])
    }

    /// Taobao-style Chinese member headers: 昵称 and 旺旺名 both fill the nick.
    @Test func chineseNickHeaders() throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try Importer(store: t.store).run(.members, path: try t.file("m1.csv", "buyer_id,昵称,手机\nz1,小张,13800000001\n"))
        _ = try Importer(store: t.store).run(.members, path: try t.file("m2.csv", "会员名,旺旺名\nz2,旺旺小李\n"))
        let nicks = try t.store.pool.read { try String.fetchAll($0, sql: "SELECT nick FROM member ORDER BY buyer_id") }
        #expect(nicks == ["小张", "旺旺小李"])
    }

    /// Export filters by lifecycle and by tier (the lifecycle shop of above, tiers set by hand).
    @Test func exportFiltersByLifecycleAndTier() throws {
        let shop = try TagShop(); defer { shop.cleanup() }
        // TagShop at 2026-06-30: a active, b new, c sleeping, d lost, e none.
        try shop.store.pool.write { try $0.execute(sql: "UPDATE member SET tier = 2 WHERE buyer_id IN ('b', 'd')") }
        let out = shop.t.dir + "/f.csv"
        let settings = RFMSettings(asOf: TagShop.asOf)
        func buyers(_ rule: MemberRule) throws -> [String] {
            _ = try Exporter(store: shop.store).export(to: out, settings: settings, set: .rule(rule), reveal: false)
            return try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").dropFirst().map { String($0.prefix { $0 != "," }) }
        }
        #expect(try buyers(.init(lifecycles: [.sleeping])) == ["c"])
        #expect(try buyers(.init(lifecycles: [.lost])) == ["d"])
        #expect(try buyers(.init(tiers: [2])) == ["b", "d"])
        #expect(try buyers(.init(tiers: [2], lifecycles: [.lost])) == ["d"])
        #expect(try buyers(.init(tiers: [0])) == ["a", "c", "e"])
    }
}
