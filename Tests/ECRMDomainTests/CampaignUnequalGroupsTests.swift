import Testing
@testable import ECRMDomain

/// PRODUCT.md "Campaigns and their effect": the uplift's interval divides each group's variance by
/// that group's own size (p_t(1−p_t)/n_t + p_c(1−p_c)/n_c), and the z-test's pooled denominator uses
/// 1/n_t + 1/n_c. With a holdout the groups are never the same size; the hand-computed cases in
/// CampaignStatsTests have n_t = n_c or p_c = 0, where a formula using the wrong n gives the same
/// figures (Tests/Mutations: campaign-uplift-interval-per-group-n survived them).
@Suite("Campaign statistics with groups of different sizes")
struct CampaignUnequalGroupsTests {
    func close(_ a: Double, _ b: Double, _ tol: Double = 1e-6) -> Bool { abs(a - b) <= tol }

    @Test("a 10% holdout: each group's variance over its own size, and the pooled p-value")
    func holdoutSizedGroups() {
        // t: 30 of 200 (p_t = 0.15), c: 5 of 50 (p_c = 0.10); uplift = 0.05.
        // se = √(0.15·0.85/200 + 0.1·0.9/50) = √(0.0006375 + 0.0018) = √0.0024375 = 0.0493710;
        // interval 0.05 ± 1.96·0.0493710 = [−0.0467672, 0.1467672].
        // pooled p = 35/250 = 0.14; denominator = √(0.14·0.86·(1/200 + 1/50)) = √0.00301 = 0.0548635;
        // z = 0.911353; p = erfc(0.911353/√2) = 0.362109.
        let e = CampaignEffect(treatment: GroupOutcome(members: 200, responders: 30, revenue: 0, revenueVariance: 0),
                               control: GroupOutcome(members: 50, responders: 5, revenue: 0, revenueVariance: 0))
        #expect(close(e.uplift, 0.05))
        #expect(close(e.upliftLow, -0.0467672))
        #expect(close(e.upliftHigh, 0.1467672))
        #expect(close(e.pValue, 0.362109, 1e-6))
    }

    @Test("a larger control: each n still goes with its own group")
    func sizesFollowTheirGroups() {
        // The larger group is the control: t 15 of 50 (0.30), c 20 of 200 (0.10). se = √(0.3·0.7/50 + 0.1·0.9/200)
        // = √(0.0042 + 0.00045) = √0.00465 = 0.0681909; uplift 0.2 → [0.0663458, 0.3336542].
        let e = CampaignEffect(treatment: GroupOutcome(members: 50, responders: 15, revenue: 0, revenueVariance: 0),
                               control: GroupOutcome(members: 200, responders: 20, revenue: 0, revenueVariance: 0))
        #expect(close(e.uplift, 0.2))
        #expect(close(e.upliftLow, 0.0663458))
        #expect(close(e.upliftHigh, 0.3336542))
    }
}
