#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One group's outcome over the campaign window (PRODUCT.md: Outcome): n_g members, x_g responders,
/// revenue R_g and the sample variance of per-member revenue.
public struct GroupOutcome: Sendable, Equatable, Codable {
    public var members: Int
    public var responders: Int
    /// R_g: sum of the group's paid orders in the window.
    public var revenue: Fen
    /// s_g²: sample variance (n − 1) of revenue per member, in fen²; 0 with fewer than 2 members.
    public var revenueVariance: Double

    public init(members: Int, responders: Int, revenue: Fen, revenueVariance: Double) {
        self.members = members; self.responders = responders; self.revenue = revenue; self.revenueVariance = revenueVariance
    }

    /// From every member's revenue in the window (0 for non-responders) and the responder count
    /// (a responder may have spent 0: a gift order still counts). Two passes: the variance is taken
    /// around the mean, not as E[v²] − mean², which loses digits for big similar amounts.
    public static func tally(revenues: [Fen], responders: Int) -> GroupOutcome {
        let n = revenues.count
        let total = revenues.reduce(0, +)
        guard n > 1 else { return GroupOutcome(members: n, responders: responders, revenue: total, revenueVariance: 0) }
        let mean = Double(total) / Double(n)
        var ss = 0.0
        for v in revenues { let d = Double(v) - mean; ss += d * d }
        return GroupOutcome(members: n, responders: responders, revenue: total, revenueVariance: ss / Double(n - 1))
    }

    /// p_g = x_g / n_g (0 for an empty group).
    public var rate: Double { members == 0 ? 0 : Double(responders) / Double(members) }
    /// v_g = R_g / n_g in fen.
    public var revenuePerMember: Double { members == 0 ? 0 : Double(revenue) / Double(members) }
}

/// The measured effect of a campaign: treatment against control, exactly as PRODUCT.md defines it.
public struct CampaignEffect: Sendable, Equatable, Codable {
    /// p_t − p_c.
    public var uplift: Double
    /// uplift ± 1.96·√(p_t(1−p_t)/n_t + p_c(1−p_c)/n_c).
    public var upliftLow: Double
    public var upliftHigh: Double
    /// Two-sided pooled two-proportion z-test; 1 when its denominator is 0.
    public var pValue: Double
    /// (v_t − v_c)·n_t, fen.
    public var incrementalRevenue: Double
    /// ((v_t − v_c) ± 1.96·√(s_t²/n_t + s_c²/n_c))·n_t, fen.
    public var incrementalLow: Double
    public var incrementalHigh: Double

    public static let z95 = 1.96

    public init(treatment t: GroupOutcome, control c: GroupOutcome) {
        let nt = Double(t.members), nc = Double(c.members)
        let pt = t.rate, pc = c.rate
        uplift = pt - pc
        let se = (nt > 0 && nc > 0) ? (pt * (1 - pt) / nt + pc * (1 - pc) / nc).squareRoot() : 0
        upliftLow = uplift - Self.z95 * se
        upliftHigh = uplift + Self.z95 * se
        let pooled = (nt + nc) > 0 ? Double(t.responders + c.responders) / (nt + nc) : 0
        let denominator = (nt > 0 && nc > 0) ? (pooled * (1 - pooled) * (1 / nt + 1 / nc)).squareRoot() : 0
        if denominator > 0 {
            let z = uplift / denominator
            // Two-sided: P(|Z| ≥ |z|) = erfc(|z|/√2).
            pValue = min(1, erfc(abs(z) / 2.0.squareRoot()))
        } else {
            pValue = 1
        }
        let dv = t.revenuePerMember - c.revenuePerMember
        let seV = (nt > 0 && nc > 0) ? (t.revenueVariance / nt + c.revenueVariance / nc).squareRoot() : 0
        incrementalRevenue = dv * nt
        incrementalLow = (dv - Self.z95 * seV) * nt
        incrementalHigh = (dv + Self.z95 * seV) * nt
    }
}

/// What a campaign of a given size can detect (80% power, 5% two-sided).
public enum CampaignPower {
    /// Above this smallest detectable uplift (5 percentage points) creating a campaign warns.
    public static let warnAbove = 0.05

    /// p₀ as the formula uses it: the shop's base repurchase rate, or 0.5 when that is 0, 1 or undefined.
    public static func baseRate(_ measured: Double?) -> Double {
        guard let p = measured, p.isFinite, p > 0, p < 1 else { return 0.5 }
        return p
    }

    /// 2.80 · √(p₀(1−p₀)(1/n_t + 1/n_c)); 1 (nothing detectable) when a group is empty.
    public static func minDetectableUplift(baseRate measured: Double?, treatment: Int, control: Int) -> Double {
        guard treatment > 0, control > 0 else { return 1 }
        let p = baseRate(measured)
        return 2.80 * (p * (1 - p) * (1 / Double(treatment) + 1 / Double(control))).squareRoot()
    }

    /// The measured base rate from its two counts (nil when no member qualifies).
    public static func repurchaseRate(repeaters: Int, eligible: Int) -> Double? {
        eligible == 0 ? nil : Double(repeaters) / Double(eligible)
    }
}

/// Uplift so far, day by day over the window: for day d (0-based), responders whose first
/// response came on or before d, as rates, treatment minus control.
public enum CampaignTimeline {
    /// `treatmentFirstDays` and `controlFirstDays`: each responder's first response day as an
    /// offset 0..<days from the start; offsets outside that range are ignored.
    public static func cumulativeUplift(treatmentFirstDays: [Int], treatmentMembers: Int,
                                        controlFirstDays: [Int], controlMembers: Int, days: Int) -> [Double] {
        guard days > 0 else { return [] }
        func cumulative(_ firsts: [Int], _ n: Int) -> [Double] {
            var perDay = [Int](repeating: 0, count: days)
            for d in firsts where d >= 0 && d < days { perDay[d] += 1 }
            var run = 0
            return perDay.map { run += $0; return n == 0 ? 0 : Double(run) / Double(n) }
        }
        let t = cumulative(treatmentFirstDays, treatmentMembers), c = cumulative(controlFirstDays, controlMembers)
        return zip(t, c).map { $0 - $1 }
    }
}
