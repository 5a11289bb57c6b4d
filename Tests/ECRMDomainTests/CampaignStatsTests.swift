import Testing
@testable import ECRMDomain

/// The outcome formulas of PRODUCT.md "Campaigns and their effect", against hand-computed cases.
@Suite("Campaign statistics")
struct CampaignStatsTests {
    func close(_ a: Double, _ b: Double, _ tol: Double = 1e-6) -> Bool { abs(a - b) <= tol }

    @Test("uplift, its 95% interval and the pooled two-sided p-value")
    func upliftAndPValue() {
        // t: 20 of 100 respond, c: 10 of 100. p_t = 0.2, p_c = 0.1, uplift = 0.1.
        // se = √(0.2·0.8/100 + 0.1·0.9/100) = √(0.0016 + 0.0009) = √0.0025 = 0.05 → 0.1 ± 1.96·0.05 = [0.002, 0.198].
        // pooled p = 30/200 = 0.15; denominator = √(0.15·0.85·(1/100 + 1/100)) = √0.00255 = 0.0504975;
        // z = 0.1/0.0504975 = 1.980295; p = erfc(1.980295/√2) = 0.047670.
        let e = CampaignEffect(treatment: GroupOutcome(members: 100, responders: 20, revenue: 0, revenueVariance: 0),
                               control: GroupOutcome(members: 100, responders: 10, revenue: 0, revenueVariance: 0))
        #expect(close(e.uplift, 0.1))
        #expect(close(e.upliftLow, 0.002))
        #expect(close(e.upliftHigh, 0.198))
        #expect(close(e.pValue, 0.0476704, 1e-6))
    }

    @Test("a control group with no responders")
    func noResponders() {
        // t: 5 of 50, c: 0 of 50. uplift = 0.1; se = √(0.1·0.9/50 + 0·1/50) = √0.0018 = 0.0424264;
        // interval 0.1 ± 0.0831558 = [0.0168442, 0.1831558].
        // pooled = 5/100 = 0.05; denominator = √(0.05·0.95·(2/50)) = √0.0019 = 0.0435890; z = 2.294157; p = 0.0217815.
        let c = GroupOutcome.tally(revenues: Array(repeating: 0, count: 50), responders: 0)
        #expect(c.rate == 0 && c.revenue == 0 && c.revenueVariance == 0)
        let e = CampaignEffect(treatment: GroupOutcome(members: 50, responders: 5, revenue: 0, revenueVariance: 0), control: c)
        #expect(close(e.uplift, 0.1))
        #expect(close(e.upliftLow, 0.0168442))
        #expect(close(e.upliftHigh, 0.1831558))
        #expect(close(e.pValue, 0.0217815, 1e-6))
    }

    @Test("p-value is 1 when the pooled denominator is 0")
    func pValueOne() {
        // Nobody responds: pooled p = 0 → p(1−p) = 0 → denominator 0 → p-value 1 (not NaN).
        let none = CampaignEffect(treatment: GroupOutcome(members: 40, responders: 0, revenue: 0, revenueVariance: 0),
                                  control: GroupOutcome(members: 10, responders: 0, revenue: 0, revenueVariance: 0))
        #expect(none.pValue == 1)
        #expect(none.uplift == 0 && none.upliftLow == 0 && none.upliftHigh == 0)
        // Everybody responds: pooled p = 1 → again denominator 0.
        let all = CampaignEffect(treatment: GroupOutcome(members: 40, responders: 40, revenue: 0, revenueVariance: 0),
                                 control: GroupOutcome(members: 10, responders: 10, revenue: 0, revenueVariance: 0))
        #expect(all.pValue == 1)
    }

    @Test("revenue per member, sample variance (n−1) and incremental revenue with its interval")
    func revenue() {
        // t revenues (fen) [0, 200, 400]: R = 600, v = 200, s² = (200² + 0 + 200²)/(3−1) = 40,000.
        // c revenues [0, 100]: R = 100, v = 50, s² = (50² + 50²)/(2−1) = 5,000.
        // incremental = (200 − 50)·3 = 450; se = √(40,000/3 + 5,000/2) = √15,833.33 = 125.830574;
        // interval (150 ± 1.96·125.830574)·3 = [−289.883775, 1,189.883775].
        let t = GroupOutcome.tally(revenues: [0, 200, 400], responders: 2)
        let c = GroupOutcome.tally(revenues: [0, 100], responders: 1)
        #expect(t.revenue == 600 && close(t.revenuePerMember, 200) && close(t.revenueVariance, 40_000))
        #expect(c.revenue == 100 && close(c.revenuePerMember, 50) && close(c.revenueVariance, 5_000))
        #expect(close(t.rate, 2.0 / 3.0) && close(c.rate, 0.5))
        let e = CampaignEffect(treatment: t, control: c)
        #expect(close(e.incrementalRevenue, 450))
        #expect(close(e.incrementalLow, -289.883775))
        #expect(close(e.incrementalHigh, 1_189.883775))
    }

    @Test("one member: variance 0, not a division by zero")
    func singleMember() {
        let g = GroupOutcome.tally(revenues: [500], responders: 1)
        #expect(g.revenueVariance == 0 && g.revenuePerMember == 500 && g.rate == 1)
    }

    @Test("smallest detectable uplift, with p₀ = 0.5 when the base rate is 0, 1 or undefined")
    func minDetectable() {
        // p₀ = 0.2, n_t = 900, n_c = 100: 2.80·√(0.16·(1/900 + 1/100)) = 2.80·√0.00177778 = 0.1180584.
        #expect(close(CampaignPower.minDetectableUplift(baseRate: 0.2, treatment: 900, control: 100), 0.1180584))
        // p₀ → 0.5: 2.80·√(0.25·0.0111111) = 0.1475730.
        for p in [nil, 0.0, 1.0, Double.nan] as [Double?] {
            #expect(close(CampaignPower.minDetectableUplift(baseRate: p, treatment: 900, control: 100), 0.1475730))
        }
        #expect(CampaignPower.repurchaseRate(repeaters: 0, eligible: 0) == nil)
        #expect(CampaignPower.repurchaseRate(repeaters: 1, eligible: 4) == 0.25)
    }

    @Test("daily cumulative uplift")
    func timeline() {
        // t (n=4) first responses on days 0, 0, 2; c (n=2) on day 1. Day 0: 2/4 − 0 = 0.5;
        // day 1: 0.5 − 1/2 = 0; day 2: 3/4 − 1/2 = 0.25. Day 5 is outside a 3-day window.
        let u = CampaignTimeline.cumulativeUplift(treatmentFirstDays: [0, 0, 2, 5], treatmentMembers: 4,
                                                  controlFirstDays: [1], controlMembers: 2, days: 3)
        #expect(u == [0.5, 0, 0.25])
    }
}

@Suite("Campaign assignment and rules")
struct CampaignAssignmentTests {
    @Test("control = round(share × target), halves rounded up")
    func controlSize() {
        #expect(CampaignAssignment.controlSize(target: 15, holdoutBasisPoints: 1_000) == 2)  // 1.5 → 2
        #expect(CampaignAssignment.controlSize(target: 14, holdoutBasisPoints: 1_000) == 1)  // 1.4 → 1
        #expect(CampaignAssignment.controlSize(target: 25, holdoutBasisPoints: 1_000) == 3)  // 2.5 → 3
        #expect(CampaignAssignment.controlSize(target: 4, holdoutBasisPoints: 1_250) == 1)   // 0.5 → 1
        #expect(CampaignAssignment.controlSize(target: 3, holdoutBasisPoints: 1_000) == 0)   // 0.3 → 0
        let g = CampaignAssignment.assign(count: 15, holdoutBasisPoints: 1_000, seed: 7)
        #expect(g.filter { $0 == .control }.count == 2 && g.count == 15)
    }

    @Test("property: same seed, same groups; another seed, other groups; sizes always exact")
    func reproducible() {
        let master = UInt64.random(in: 0...UInt64.max)
        var rng = SplitMix64(seed: master)
        for _ in 0..<200 {
            let n = 50 + Int(rng.next() % 5_000), bp = 100 + Int(rng.next() % 9_800), seed = rng.next()
            let a = CampaignAssignment.assign(count: n, holdoutBasisPoints: bp, seed: seed)
            let b = CampaignAssignment.assign(count: n, holdoutBasisPoints: bp, seed: seed)
            let c = CampaignAssignment.assign(count: n, holdoutBasisPoints: bp, seed: seed &+ 1)
            #expect(a == b, "master seed \(master): same seed \(seed) gave other groups")
            let k = CampaignAssignment.controlSize(target: n, holdoutBasisPoints: bp)
            // Two seeds draw the same groups by chance 1 in C(n, k): only where that is negligible
            // (at least 5 in each group: C(50, 5) > 2 million). With one control member out of 59,
            // master seed 17515493319364228853 drew the same member twice and failed.
            if min(k, n - k) >= 5 {
                #expect(a != c, "master seed \(master): seeds \(seed) and \(seed &+ 1) gave the same groups (n \(n), bp \(bp))")
            }
            #expect(a.filter { $0 == .control }.count == k, "master seed \(master)")
        }
    }

    @Test("property: the reported interval always contains the reported uplift")
    func intervalContainsUplift() {
        let master = UInt64.random(in: 0...UInt64.max)
        var rng = SplitMix64(seed: master)
        for _ in 0..<2_000 {
            let nt = 1 + Int(rng.next() % 10_000), nc = 1 + Int(rng.next() % 2_000)
            let xt = Int(rng.next() % UInt64(nt + 1)), xc = Int(rng.next() % UInt64(nc + 1))
            let vt = Double(rng.next() % 1_000_000), vc = Double(rng.next() % 1_000_000)
            let e = CampaignEffect(treatment: GroupOutcome(members: nt, responders: xt, revenue: Fen(rng.next() % 10_000_000), revenueVariance: vt),
                                   control: GroupOutcome(members: nc, responders: xc, revenue: Fen(rng.next() % 10_000_000), revenueVariance: vc))
            #expect(e.upliftLow <= e.uplift && e.uplift <= e.upliftHigh, "master seed \(master): \(nt)/\(xt) vs \(nc)/\(xc)")
            #expect(e.incrementalLow <= e.incrementalRevenue && e.incrementalRevenue <= e.incrementalHigh, "master seed \(master)")
            #expect(e.pValue >= 0 && e.pValue <= 1, "master seed \(master)")
        }
    }

    @Test("bad definitions are refused with one line each")
    func refusals() throws {
        let today = Day.parse("2026-03-10")!
        func problem(_ d: CampaignDraft, names: Set<String> = []) -> CampaignProblem? {
            do { try CampaignRules.check(d, today: today, existingNames: names); return nil } catch { return error }
        }
        let ok = CampaignDraft(name: "春季唤醒", start: today)
        #expect(problem(ok) == nil)
        #expect(problem(ok, names: ["春季唤醒"]) == .duplicateName("春季唤醒"))
        #expect(problem(CampaignDraft(name: "  ", start: today)) == .nameEmpty)
        #expect(problem(CampaignDraft(name: "a|b", start: today)) == .nameBadCharacter("a|b"))
        #expect(problem(CampaignDraft(name: String(repeating: "长", count: 18), start: today)) != nil)
        #expect(problem(CampaignDraft(name: "x", holdoutBasisPoints: 0, start: today)) == .holdoutOutOfRange(basisPoints: 0))
        #expect(problem(CampaignDraft(name: "x", holdoutBasisPoints: 10_000, start: today)) == .holdoutOutOfRange(basisPoints: 10_000))
        #expect(problem(CampaignDraft(name: "x", start: today, windowDays: 0)) == .windowOutOfRange(days: 0))
        #expect(problem(CampaignDraft(name: "x", start: today, windowDays: 366)) == .windowOutOfRange(days: 366))
        #expect(problem(CampaignDraft(name: "x", start: today, windowDays: 365)) == nil)
        #expect(problem(CampaignDraft(name: "x", start: today.adding(days: 1))) == nil)
        #expect(problem(CampaignDraft(name: "x", start: today.adding(days: 2))) == .startTooLate(start: today.adding(days: 2), latest: today.adding(days: 1)))
        #expect(problem(CampaignDraft(name: "x", start: today.adding(days: -400))) == nil)
        #expect(throws: CampaignProblem.emptyTarget) { try CampaignRules.check(targetSize: 0, holdoutBasisPoints: 1_000) }
        // 4 × 10% = 0.4 → control 0.
        #expect(throws: CampaignProblem.targetTooSmall(target: 4, control: 0)) { try CampaignRules.check(targetSize: 4, holdoutBasisPoints: 1_000) }
        // 1 × 60% = 0.6 → control 1, treatment 0.
        #expect(throws: CampaignProblem.targetTooSmall(target: 1, control: 1)) { try CampaignRules.check(targetSize: 1, holdoutBasisPoints: 6_000) }
        try CampaignRules.check(targetSize: 5, holdoutBasisPoints: 1_000)  // 0.5 → 1
        for p in [CampaignProblem.nameEmpty, .emptyTarget, .windowOutOfRange(days: 0), .targetTooSmall(target: 1, control: 0)] {
            for l in MessageLanguage.allCases { #expect(!p.message(l).contains("\n") && !p.message(l).isEmpty) }
        }
    }

    @Test("holdout percent text")
    func holdoutText() {
        #expect(CampaignRules.parseHoldoutPercent("10") == 1_000)
        #expect(CampaignRules.parseHoldoutPercent("12.5") == 1_250)
        #expect(CampaignRules.parseHoldoutPercent("0.25%") == 25)
        #expect(CampaignRules.parseHoldoutPercent("abc") == nil)
        #expect(CampaignRules.parseHoldoutPercent("1.234") == nil)
        #expect(CampaignRules.percentText(1_250) == "12.5" && CampaignRules.percentText(25) == "0.25" && CampaignRules.percentText(1_000) == "10")
    }
}

@Suite("Campaign figures for people")
struct CampaignFormatTests {
    @Test func figures() {
        #expect(CampaignFormat.grouped(1_234_567) == "1,234,567" && CampaignFormat.grouped(999) == "999")
        #expect(CampaignFormat.percent(0.1234) == "12.3%")
        #expect(CampaignFormat.points(0.05) == "+5.0" && CampaignFormat.points(-0.012) == "-1.2" && CampaignFormat.points(0) == "0.0")
        #expect(CampaignFormat.pValue(0.04767) == "0.048" && CampaignFormat.pValue(0.0001) == "<0.001")
        #expect(CampaignFormat.yuan(123_456.4) == "¥1,234.56")
    }
}
