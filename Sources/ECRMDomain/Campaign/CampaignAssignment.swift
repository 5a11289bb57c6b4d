/// Which side of a campaign a member is on: `treatment` is sent, `control` (the holdout) is not.
public enum CampaignGroup: String, Sendable, Codable, CaseIterable, Equatable {
    case treatment, control
}

/// Random, reproducible split of a frozen target into treatment and control (PRODUCT.md: Campaigns).
public enum CampaignAssignment {
    /// round(share × target) with halves rounded up; the share is in basis points (1% = 100) so the
    /// rounding is exact integer arithmetic, never a float that lands just under .5.
    public static func controlSize(target: Int, holdoutBasisPoints: Int) -> Int {
        (target * holdoutBasisPoints + 5_000) / 10_000
    }

    /// The group of each of `count` members, by position. Callers pass the target in a fixed order
    /// (ascending member id), so the same target and seed always give the same groups.
    /// A partial Fisher–Yates shuffle picks exactly `controlSize` members uniformly at random.
    public static func assign(count: Int, holdoutBasisPoints: Int, seed: UInt64) -> [CampaignGroup] {
        let k = controlSize(target: count, holdoutBasisPoints: holdoutBasisPoints)
        var groups = [CampaignGroup](repeating: .treatment, count: count)
        guard k > 0 else { return groups }
        var order = Array(0..<count)
        var rng = SplitMix64(seed: seed)
        for i in 0..<min(k, count) {
            let j = i + bounded(count - i, &rng)
            order.swapAt(i, j)
            groups[order[i]] = .control
        }
        return groups
    }

    /// A number in 0..<bound from the generator (Lemire's multiply-high): written out rather than
    /// `Int.random(in:using:)` so a stored seed replays the same groups whatever the standard library does.
    static func bounded(_ bound: Int, _ rng: inout SplitMix64) -> Int {
        Int(UInt64(bound).multipliedFullWidth(by: rng.next()).high)
    }
}
