import Testing
@testable import ECRMDomain

/// The publish preview (PRODUCT.md: "Before publishing"): who moves up, what deeper discounts cost.
@Suite("Tier impact preview")
struct TierImpactTests {
    /// Live = standard; draft: VIP 880 → 850, 高级 threshold ¥500 → ¥400, 至尊VIP enabled at ¥5,000 / 800.
    let live = standardLadder()
    var draft: TierLadder {
        var d = standardLadder()
        d[3].discount = 850
        d[2].threshold = 40_000
        d[4].enabled = true
        return d
    }

    let rows = [
        TierImpactRow(level: 0, paidAmount: 5_000, paidCount: 1, blacklisted: false, recentPaid: 5_000),     // stays 0, full price
        TierImpactRow(level: 1, paidAmount: 45_000, paidCount: 3, blacklisted: false, recentPaid: 10_000),   // → 2: 980 → 950
        TierImpactRow(level: 3, paidAmount: 250_000, paidCount: 9, blacklisted: false, recentPaid: 20_000),  // stays 3: 880 → 850
        TierImpactRow(level: 3, paidAmount: 600_000, paidCount: 20, blacklisted: false, recentPaid: 1_000),  // → 4: 880 → 800
        TierImpactRow(level: 2, paidAmount: 900_000, paidCount: 30, blacklisted: true, recentPaid: 50_000),  // blacklisted: nothing
        TierImpactRow(level: 2, paidAmount: 0, paidCount: 0, blacklisted: false, recentPaid: 0),             // set by hand, never down
        TierImpactRow(level: 1, paidAmount: 10_000, paidCount: 1, blacklisted: false, recentPaid: 7_000),    // unchanged 980
    ]

    @Test("moves up per tier, deepened members and the 30-day cost, hand-computed")
    func handComputed() {
        let i = TierImpact.compute(live: live, draft: draft, rows: rows)
        #expect(i.movesUp == [0, 0, 1, 0, 1])
        #expect(i.totalMovingUp == 2)
        #expect(i.deepenedMembers == 3)
        // 10_000·30 + 20_000·30 + 1_000·80 = 980_000 fen·‰ = 980 fen
        #expect(i.costMilliFen == 980_000)
        #expect(i.costFen == 980)
    }

    @Test("nothing live yet: everyone currently pays full price")
    func firstPublish() {
        let i = TierImpact.compute(live: nil, draft: live, rows: [
            TierImpactRow(level: 0, paidAmount: 60_000, paidCount: 2, blacklisted: false, recentPaid: 10_000), // → 2: 1000 → 950
            TierImpactRow(level: 0, paidAmount: 100, paidCount: 1, blacklisted: false, recentPaid: 100),       // stays 0
        ])
        #expect(i.movesUp == [0, 0, 1, 0, 0])
        #expect(i.deepenedMembers == 1)
        #expect(i.costFen == 500)
    }

    @Test("the same ladder live and draft moves nobody and costs nothing")
    func noChange() {
        let i = TierImpact.compute(live: live, draft: live, rows: rows)
        #expect(i.deepenedMembers == 0 && i.costMilliFen == 0)
        #expect(i.movesUp == [0, 0, 0, 0, 0])
    }

    @Test("cost rounds half up from exact fen·‰")
    func rounding() {
        #expect(TierImpact(costMilliFen: 1_499).costFen == 1)
        #expect(TierImpact(costMilliFen: 1_500).costFen == 2)
        #expect(TierImpact(costMilliFen: 0).costFen == 0)
    }

    @Test("the streaming accumulator equals the array function")
    func accumulator() {
        var acc = TierImpactAccumulator(live: live, draft: draft)
        for r in rows { acc.add(level: r.level, paidAmount: r.paidAmount, paidCount: r.paidCount, blacklisted: r.blacklisted, recentPaid: r.recentPaid) }
        #expect(acc.impact == TierImpact.compute(live: live, draft: draft, rows: rows))
    }

    @Test("out-of-range stored levels are clamped, not trapped on")
    func clampLevels() {
        let i = TierImpact.compute(live: live, draft: draft, rows: [
            TierImpactRow(level: 9, paidAmount: 0, paidCount: 0, blacklisted: false, recentPaid: 1_000),
            TierImpactRow(level: -1, paidAmount: 0, paidCount: 0, blacklisted: false, recentPaid: 1_000),
        ])
        // 9 reads as 4: 至尊VIP is off live (1000) and on in the draft (800), so that member deepens; −1 reads as 0.
        #expect(i.totalMovingUp == 0)
        #expect(i.deepenedMembers == 1)
        #expect(i.costMilliFen == 200_000)
    }
}
