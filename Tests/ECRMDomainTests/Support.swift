import Testing
@testable import ECRMDomain

/// A day from "YYYY-MM-DD"; records an issue (and returns the epoch) when the text does not parse.
func day(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Day {
    guard let d = Day.parse(text) else {
        Issue.record("not a day: \(text)", sourceLocation: sourceLocation)
        return Day(number: 0)
    }
    return d
}

/// A scored-or-not measure with only the fields scoring reads.
func measure(r: Int?, f: Int, m: Fen) -> RFMMeasure {
    RFMMeasure(recencyDays: r, frequency: f, monetary: m, paidCount: f, firstPaid: nil, lastPaid: nil)
}

/// The ladder most tier tests start from (amount metric, thresholds in fen):
/// 1 普通会员 ¥100 980 · 2 高级会员 ¥500 950 · 3 VIP会员 ¥2,000 880 · 4 至尊VIP会员 off ¥5,000 800.
func standardLadder(floor: Int? = nil) -> TierLadder {
    TierLadder(metric: .amount, levels: [
        TierLevel(level: 1, enabled: true, name: "普通会员", threshold: 10_000, discount: 980),
        TierLevel(level: 2, enabled: true, name: "高级会员", threshold: 50_000, discount: 950),
        TierLevel(level: 3, enabled: true, name: "VIP会员", threshold: 200_000, discount: 880),
        TierLevel(level: 4, enabled: false, name: "至尊VIP会员", threshold: 500_000, discount: 800),
    ], distributorFloor: floor)
}

/// `ladder` with one level edited.
func edited(_ ladder: TierLadder, level: Int, _ change: (inout TierLevel) -> Void) -> TierLadder {
    var copy = ladder
    change(&copy[level])
    return copy
}

/// Randomized tests draw from the domain's SplitMix64, so they replay exactly.
extension SplitMix64 {
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
}
