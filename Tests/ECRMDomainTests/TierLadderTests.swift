import Testing
@testable import ECRMDomain

@Suite("Tier ladder model: qualifying level, next step, discount labels")
struct TierLadderTests {
    @Test("qualifying level is the highest enabled tier whose threshold is reached",
          arguments: [(0, 0), (9_999, 0), (10_000, 1), (49_999, 1), (50_000, 2), (200_000, 3), (9_999_999, 3)] as [(Fen, Int)])
    func qualifying(amount: Fen, level: Int) {
        #expect(standardLadder().qualifyingLevel(paidAmount: amount, paidCount: 0) == level)
    }

    @Test("the count metric reads the order count, not the amount")
    func countMetric() {
        var l = standardLadder()
        l.metric = .count
        l[1].threshold = 1; l[2].threshold = 3; l[3].threshold = 10
        #expect(l.qualifyingLevel(paidAmount: 10_000_000, paidCount: 0) == 0)
        #expect(l.qualifyingLevel(paidAmount: 0, paidCount: 3) == 2)
    }

    @Test("next step: the next enabled level and what is missing; nil at the top")
    func nextStep() {
        let l = standardLadder()
        let s = l.nextStep(from: 1, paidAmount: 20_000, paidCount: 0)
        #expect(s?.level.level == 2)
        #expect(s?.missing == 30_000)
        #expect(l.nextStep(from: 3, paidAmount: 0, paidCount: 0) == nil) // level 4 is disabled
        #expect(l.nextStep(from: 1, paidAmount: 90_000, paidCount: 0)?.missing == 0)
    }

    @Test("discount of a level: 1000 for level 0 and for disabled levels")
    func discountOf() {
        let l = standardLadder()
        #expect((0...4).map(l.discount(of:)) == [1000, 980, 950, 880, 1000])
        #expect(l.name(of: 0) == "店铺客户")
        #expect(l.name(of: 3) == "VIP会员")
    }

    @Test("the initial ladder has the default names and nothing enabled")
    func initial() {
        #expect(TierLadder.initial.levels.map(\.name) == ["普通会员", "高级会员", "VIP会员", "至尊VIP会员"])
        #expect(TierLadder.initial.levels.allSatisfy { !$0.enabled })
        #expect(TierRules.validate(TierLadder.initial) == [])
    }

    @Test(arguments: [(950, "9.5折"), (888, "8.88折"), (805, "8.05折"), (800, "8折"), (990, "9.9折"), (700, "7折"), (1000, "无折扣")])
    func discountLabels(perMille: Int, label: String) {
        #expect(discountLabel(perMille) == label)
    }
}
