import Testing
@testable import ECRMDomain

/// The upgrade-only publish rules (PRODUCT.md: "Published tiers only get better for members").
@Suite("Tier rules: checkPublish and the distributor floor")
struct TierPublishTests {
    let live = standardLadder()
    let members = [1: 100, 2: 20, 3: 5]

    func check(_ draft: TierLadder, live: TierLadder? = standardLadder(), members: [Int: Int] = [1: 100, 2: 20, 3: 5]) -> [TierViolation] {
        TierRules.checkPublish(draft: draft, live: live, membersPerLevel: members)
    }

    @Test("republishing the live ladder, or only renaming, is allowed")
    func unchanged() {
        #expect(check(live) == [])
        #expect(check(edited(live, level: 3) { $0.name = "黄金VIP" }) == [])
    }

    @Test("deepening a discount and lowering a threshold are allowed")
    func improvements() {
        #expect(check(edited(live, level: 3) { $0.discount = 850 }) == [])
        #expect(check(edited(live, level: 2) { $0.threshold = 20_000 }) == [])
    }

    @Test("a published tier may only deepen its discount: shallower is refused, with the live value as the limit")
    func shallowerDiscount() {
        let v = check(edited(live, level: 3) { $0.discount = 900 })
        #expect(v == [TierViolation(rule: .publishedDiscountShallower, tier: TierRef(level: 3, name: "VIP会员"), field: .discount,
                                    value: .discount(900), allowed: .atMost(.discount(880)), reference: .discount(880))])
        #expect(v.first?.english == "VIP会员 (level 3) discount 900 (90% of price) is shallower than live 880 (88% of price): a published tier may only deepen its discount; allowed: ≤ 880 (88% of price)")
        #expect(v.first?.chinese == "VIP会员（3级）的折扣900（9折）比已发布的880（8.8折）浅：已发布的等级只能加深折扣；允许：≤ 880（8.8折）")
    }

    @Test("a published tier may only lower its threshold: raising is refused")
    func raisedThreshold() {
        let v = check(edited(live, level: 2) { $0.threshold = 60_000 })
        #expect(v.map(\.rule) == [.publishedThresholdRaised])
        #expect(v.first?.allowed == .atMost(.threshold(50_000, .amount)))
        #expect(v.first?.english == "高级会员 (level 2) threshold ¥600.00 is higher than live ¥500.00: a published tier may only lower its threshold; allowed: ≤ ¥500.00")
        #expect(v.first?.chinese == "高级会员（2级）的门槛¥600.00比已发布的¥500.00高：已发布的等级只能降低门槛；允许：≤ ¥500.00")
    }

    @Test("a published tier with members cannot be disabled; an empty one can")
    func disabling() {
        let off3 = edited(live, level: 3) { $0.enabled = false }
        let v = check(off3)
        #expect(v == [TierViolation(rule: .publishedTierDisabledWithMembers, tier: TierRef(level: 3, name: "VIP会员"), field: .enabled,
                                    value: .enabled(false), allowed: .exactly(.enabled(true)), reference: .enabled(true), memberCount: 5)])
        #expect(v.first?.english == "VIP会员 (level 3) is published and has 5 members: a tier with members cannot be disabled; allowed: enabled")
        #expect(v.first?.chinese == "VIP会员（3级）已发布且有5名会员：有会员的等级不能停用；允许：启用")
        #expect(check(off3, members: [1: 100, 2: 20]) == [])
        #expect(check(off3, members: [1: 100, 2: 20, 3: 0]) == [])
        #expect(check(off3, members: [3: 1]).first?.english.contains("has 1 member:") == true)
    }

    @Test("disabling a middle tier breaks contiguity and the members rule at once, reported in level order")
    func disablingMiddle() {
        let v = check(edited(live, level: 2) { $0.enabled = false })
        #expect(v.map(\.rule) == [.publishedTierDisabledWithMembers, .enabledNotContiguous])
        #expect(v.map { $0.tier?.level } == [2, 3])
    }

    @Test("a tier that is not live yet may be enabled with any valid values")
    func newTier() {
        #expect(check(edited(live, level: 4) { $0.enabled = true; $0.discount = 700; $0.threshold = 1_000_000 }) == [])
        // … but the invariants still hold for it
        #expect(check(edited(live, level: 4) { $0.enabled = true; $0.discount = 900 }).map(\.rule) == [.discountNotDecreasing])
    }

    @Test("changing the metric of a live ladder is refused, and thresholds in another unit are not compared")
    func metricChange() {
        var counts = live
        counts.metric = .count
        counts[1].threshold = 1; counts[2].threshold = 500_000; counts[3].threshold = 900_000
        let v = check(counts)
        #expect(v == [TierViolation(rule: .publishedMetricChanged, tier: nil, field: .metric, value: .metric(.count),
                                    allowed: .exactly(.metric(.amount)), reference: .metric(.amount))])
        #expect(v.first?.english == "The upgrade metric cumulative paid orders differs from the live cumulative paid amount: changing it would re-rank every member in another unit, so published thresholds could no longer only go down; allowed: cumulative paid amount")
        #expect(v.first?.chinese.hasPrefix("升级指标累计消费笔数与已发布的累计消费金额不同") == true)
        // nothing enabled live: the metric is free
        var first = TierLadder.initial
        first.metric = .count
        first[1].enabled = true; first[1].threshold = 1
        #expect(check(first, live: TierLadder.initial, members: [:]) == [])
    }

    @Test("first publish (nothing live): only the invariants apply")
    func firstPublish() {
        #expect(check(live, live: nil, members: [:]) == [])
        #expect(check(edited(live, level: 2) { $0.discount = 990 }, live: nil).map(\.rule) == [.discountNotDecreasing])
    }

    @Test("the invariants are part of checkPublish, ladder-wide problems first")
    func includesValidate() {
        var d = edited(live, level: 3) { $0.discount = 960; $0.threshold = 300_000 }
        d.metric = .count
        let v = check(d)
        #expect(v.map(\.rule) == [.publishedMetricChanged, .discountNotDecreasing, .publishedDiscountShallower])
        #expect(v.allSatisfy { $0.severity == .blocking })
    }

    @Test("a tier disabled while empty leaves the live set; re-enabling it later is a new tier")
    func emptyTierLeavesAndReturns() {
        let withoutThree = edited(live, level: 3) { $0.enabled = false }
        #expect(check(withoutThree, members: [1: 1, 2: 1]) == [])
        let back = edited(withoutThree, level: 3) { $0.enabled = true; $0.discount = 900 }
        #expect(check(back, live: withoutThree, members: [1: 1, 2: 1]) == [])
    }

    // MARK: distributor floor

    @Test("discounts below the distributor floor are flagged for a second confirmation, not blocked")
    func floor() {
        let draft = standardLadder(floor: 900)
        let w = TierRules.floorWarnings(draft: draft)
        #expect(w == [TierViolation(rule: .belowDistributorFloor, tier: TierRef(level: 3, name: "VIP会员"), field: .discount,
                                    value: .discount(880), allowed: .atLeast(.discount(900)), reference: .discount(900))])
        #expect(w.first?.severity == .needsSecondConfirmation)
        #expect(w.first?.english == "VIP会员 (level 3) discount 880 (88% of price) is below the distributor floor 900 (90% of price): member prices would undercut distributors, publishing needs a second confirmation; allowed without it: ≥ 900 (90% of price)")
        #expect(w.first?.chinese == "VIP会员（3级）的折扣880（8.8折）低于分销价保护900（9折）：会员价将低于分销价，发布需再次确认；无需确认：≥ 900（9折）")
        #expect(TierRules.floorWarnings(draft: standardLadder()) == [])
        #expect(TierRules.floorWarnings(draft: standardLadder(floor: 880)) == [])   // equal to the floor is fine
        // disabled tiers are not in force
        #expect(TierRules.floorWarnings(draft: standardLadder(floor: 850)) == [])

        let review = TierRules.reviewPublish(draft: draft, live: live, membersPerLevel: members)
        #expect(review.canPublish)
        #expect(review.needsSecondConfirmation)
        let blocked = TierRules.reviewPublish(draft: edited(draft, level: 3) { $0.discount = 990 }, live: live, membersPerLevel: members)
        #expect(!blocked.canPublish)
        #expect(!blocked.needsSecondConfirmation)
        #expect(TierRules.checkPublish(draft: draft, live: live, membersPerLevel: members) == [])
    }
}
