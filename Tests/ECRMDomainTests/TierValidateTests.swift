import Testing
@testable import ECRMDomain

/// The ladder invariants (PRODUCT.md: Tiers 1–4), each with its precise violation and message.
@Suite("Tier rules: validate")
struct TierValidateTests {
    @Test("the standard ladder and the initial ladder are valid")
    func validLadders() {
        #expect(TierRules.validate(standardLadder()) == [])
        #expect(TierRules.validate(standardLadder(floor: 850)) == [])
        #expect(TierRules.validate(TierLadder.initial) == [])
        // level 1 may start at 0 (everyone is a member) and pay full price
        let zero = edited(standardLadder(), level: 1) { $0.threshold = 0; $0.discount = 1000 }
        #expect(TierRules.validate(zero) == [])
    }

    @Test("(1) enabled tiers must be contiguous from level 1")
    func contiguous() {
        let gap = edited(standardLadder(), level: 2) { $0.enabled = false }
        let v = TierRules.validate(gap)
        #expect(v == [TierViolation(rule: .enabledNotContiguous, tier: TierRef(level: 3, name: "VIP会员"), field: .enabled,
                                    value: .enabled(true), allowed: .exactly(.enabled(false)),
                                    related: TierRef(level: 2, name: "高级会员"), reference: .enabled(false))])
        #expect(v.first?.english == "VIP会员 (level 3) is enabled but 高级会员 (level 2) is not: enabled tiers must run from level 1 up without gaps; allowed: disabled (or enable 高级会员 (level 2) first)")
        #expect(v.first?.chinese == "VIP会员（3级）已启用而高级会员（2级）未启用：启用的等级必须从1级起连续；允许：停用（或先启用高级会员（2级））")

        let noFirst = edited(standardLadder(), level: 1) { $0.enabled = false }
        #expect(TierRules.validate(noFirst).map(\.rule) == [.enabledNotContiguous])
        #expect(TierRules.validate(noFirst).first?.tier?.level == 2)

        var onlyTop = TierLadder.initial
        onlyTop[4].enabled = true
        #expect(TierRules.validate(onlyTop).map { $0.tier?.level } == [4])
    }

    @Test("(3) thresholds are ≥ 0")
    func thresholdNegative() {
        let v = TierRules.validate(edited(standardLadder(), level: 1) { $0.threshold = -1 })
        #expect(v.map(\.rule) == [.thresholdNegative])
        #expect(v.first?.allowed == .atLeast(.threshold(0, .amount)))
        #expect(v.first?.english == "普通会员 (level 1) threshold -¥0.01 is negative: thresholds cannot be below zero; allowed: ≥ ¥0.00")
    }

    @Test("(3) thresholds strictly increase with level, compared with the enabled tier below")
    func thresholdIncreasing() {
        let equal = TierRules.validate(edited(standardLadder(), level: 3) { $0.threshold = 50_000 })
        #expect(equal == [TierViolation(rule: .thresholdNotIncreasing, tier: TierRef(level: 3, name: "VIP会员"), field: .threshold,
                                        value: .threshold(50_000, .amount), allowed: .above(.threshold(50_000, .amount)),
                                        related: TierRef(level: 2, name: "高级会员"), reference: .threshold(50_000, .amount))])
        #expect(equal.first?.english == "VIP会员 (level 3) threshold ¥500.00 is not above 高级会员 (level 2)'s ¥500.00: thresholds must strictly increase with level; allowed: > ¥500.00")
        #expect(equal.first?.chinese == "VIP会员（3级）的门槛¥500.00不高于高级会员（2级）的¥500.00：等级越高门槛必须越高；允许：> ¥500.00")

        var counts = standardLadder()
        counts.metric = .count
        counts[1].threshold = 1; counts[2].threshold = 5; counts[3].threshold = 4
        let c = TierRules.validate(counts)
        #expect(c.map(\.rule) == [.thresholdNotIncreasing])
        #expect(c.first?.english == "VIP会员 (level 3) threshold 4 orders is not above 高级会员 (level 2)'s 5 orders: thresholds must strictly increase with level; allowed: > 5 orders")
        #expect(c.first?.chinese == "VIP会员（3级）的门槛4笔不高于高级会员（2级）的5笔：等级越高门槛必须越高；允许：> 5笔")
    }

    @Test("(4) discounts lie in the per-mille range, 700…1000 by default",
          arguments: [(699, false), (700, true), (1000, true), (1001, false), (0, false), (-5, false)])
    func discountRange(discount: Int, ok: Bool) {
        var l = TierLadder.initial
        l[1].enabled = true
        l[1].discount = discount
        let v = TierRules.validate(l)
        #expect(v.isEmpty == ok)
        if !ok {
            #expect(v.map(\.rule) == [.discountOutOfRange])
            #expect(v.first?.allowed == .between(.discount(700), .discount(1000)))
        }
    }

    @Test("(4) the range is a parameter")
    func customRange() {
        let deep = edited(standardLadder(), level: 3) { $0.discount = 650 }
        #expect(TierRules.validate(deep).map(\.rule) == [.discountOutOfRange])
        #expect(TierRules.validate(deep, discountRange: 500...1000) == [])
        #expect(TierRules.validate(deep).first?.english == "VIP会员 (level 3) discount 650 (65% of price) is out of range: discounts are per-mille within the allowed range; allowed: 700 (70% of price) – 1000 (no discount)")
    }

    @Test("(4) discounts strictly decrease with level: a higher tier always pays less")
    func discountDecreasing() {
        let v = TierRules.validate(edited(standardLadder(), level: 2) { $0.discount = 980 })
        #expect(v == [TierViolation(rule: .discountNotDecreasing, tier: TierRef(level: 2, name: "高级会员"), field: .discount,
                                    value: .discount(980), allowed: .below(.discount(980)),
                                    related: TierRef(level: 1, name: "普通会员"), reference: .discount(980))])
        #expect(v.first?.english == "高级会员 (level 2) discount 980 (98% of price) is not deeper than 普通会员 (level 1)'s 980 (98% of price): a higher tier must always pay less; allowed: < 980 (98% of price)")
        #expect(v.first?.chinese == "高级会员（2级）的折扣980（9.8折）不比普通会员（1级）的980（9.8折）低：等级越高折扣必须越低；允许：< 980（9.8折）")
        let shallower = TierRules.validate(edited(standardLadder(), level: 3) { $0.discount = 990 })
        #expect(shallower.map(\.rule) == [.discountNotDecreasing])
        #expect(shallower.first?.related?.level == 2)
    }

    @Test("names: non-blank, at most 12 characters, distinct")
    func names() {
        let blank = TierRules.validate(edited(standardLadder(), level: 2) { $0.name = "  " })
        #expect(blank.map(\.rule) == [.nameEmpty])
        #expect(blank.first?.english == "level 2 has an empty name: every tier needs a display name; allowed: 1–12 characters")
        #expect(blank.first?.chinese == "2级的名称为空：每个等级都需要显示名称；允许：1–12个字")

        let twelve = String(repeating: "金", count: 12)
        #expect(TierRules.validate(edited(standardLadder(), level: 2) { $0.name = twelve }) == [])
        let long = TierRules.validate(edited(standardLadder(), level: 2) { $0.name = twelve + "卡" })
        #expect(long.map(\.rule) == [.nameTooLong])
        #expect(long.first?.value == .name(twelve + "卡"))

        let dup = TierRules.validate(edited(standardLadder(), level: 4) { $0.name = "VIP会员" })
        #expect(dup.map(\.rule) == [.nameDuplicate])
        #expect(dup.first?.tier?.level == 4)
        #expect(dup.first?.related == TierRef(level: 3, name: "VIP会员"))
        #expect(dup.first?.english == "VIP会员 (level 4) name “VIP会员” is also used by VIP会员 (level 3): members could not tell the tiers apart; allowed: a name other than “VIP会员”")
    }

    @Test("fields of a disabled tier other than its name are not in force, so not checked")
    func disabledTierIgnored() {
        let l = edited(standardLadder(), level: 4) { $0.threshold = -7; $0.discount = 1_500 }
        #expect(TierRules.validate(l) == [])
    }

    @Test("a distributor floor outside the discount range is flagged")
    func floorRange() {
        let v = TierRules.validate(standardLadder(floor: 1_200))
        #expect(v.map(\.rule) == [.floorOutOfRange])
        #expect(v.first?.tier == nil)
        #expect(v.first?.field == .distributorFloor)
    }

    @Test("a ladder that is not exactly levels 1…4 gives one malformed violation and no trap")
    func malformed() {
        var three = standardLadder()
        three.levels.removeLast()
        #expect(TierRules.validate(three) == [TierViolation(rule: .malformedLadder, tier: nil, field: .levels,
                                                           value: .levelCount(3), allowed: .exactly(.levelCount(4)))])
        var shuffled = standardLadder()
        shuffled.levels.swapAt(0, 1)
        #expect(TierRules.validate(shuffled).map(\.rule) == [.malformedLadder])
        #expect(TierRules.checkPublish(draft: shuffled, live: standardLadder(), membersPerLevel: [:]).map(\.rule) == [.malformedLadder])
    }

    @Test("several problems come in level order, each beside its own field")
    func severalInOrder() {
        var l = standardLadder(floor: 100)
        l[2].name = ""
        l[3].threshold = 1
        l[3].discount = 960
        let v = TierRules.validate(l)
        #expect(v.map(\.rule) == [.floorOutOfRange, .nameEmpty, .thresholdNotIncreasing, .discountNotDecreasing])
        #expect(v.map(\.field) == [.distributorFloor, .name, .threshold, .discount])
        #expect(v.map(\.code) == ["floor_out_of_range", "name_empty", "threshold_not_increasing", "discount_not_decreasing"])
        #expect(v.allSatisfy { $0.severity == .blocking })
    }

    @Test("every rule has a distinct, stable code")
    func codes() {
        let codes = TierRule.allCases.map(\.rawValue)
        #expect(Set(codes).count == codes.count)
        #expect(TierRule.belowDistributorFloor.severity == .needsSecondConfirmation)
        #expect(TierRule.allCases.filter { $0.severity == .needsSecondConfirmation } == [.belowDistributorFloor])
    }
}
