/// The tier ladder (VIP等级), PRODUCT.md: Tiers. Level 0 店铺客户 is "not a member"; levels 1...4 can be
/// enabled, renamed, and given a threshold and a discount. The rules that constrain edits live in TierRules.
public enum TierMetric: String, Sendable, Codable, CaseIterable {
    /// Cumulative paid amount, threshold in fen.
    case amount
    /// Cumulative paid order count, threshold in orders.
    case count
}

public struct TierLevel: Sendable, Equatable, Codable {
    /// 1...4
    public var level: Int
    public var enabled: Bool
    public var name: String
    /// Fen when the metric is amount, orders when it is count.
    public var threshold: Int64
    /// Per-mille: 950 = 9.5折 (pays 95%).
    public var discount: Int

    public init(level: Int, enabled: Bool, name: String, threshold: Int64, discount: Int) {
        self.level = level; self.enabled = enabled; self.name = name
        self.threshold = threshold; self.discount = discount
    }

    public static let defaultNames = ["店铺客户", "普通会员", "高级会员", "VIP会员", "至尊VIP会员"]
}

public struct TierLadder: Sendable, Equatable, Codable {
    public var metric: TierMetric
    /// Always four entries, levels 1...4 in order.
    public var levels: [TierLevel]
    /// 分销价保护: discounts below this per-mille floor need a second confirmation to publish; nil = none.
    public var distributorFloor: Int?

    public init(metric: TierMetric, levels: [TierLevel], distributorFloor: Int? = nil) {
        self.metric = metric
        self.levels = levels
        self.distributorFloor = distributorFloor
    }

    /// A new shop's ladder: nothing enabled yet.
    public static let initial = TierLadder(metric: .amount, levels: (1...4).map {
        TierLevel(level: $0, enabled: false, name: TierLevel.defaultNames[$0], threshold: Int64($0) * 100_000, discount: 1000 - $0 * 20)
    })

    public subscript(level: Int) -> TierLevel {
        get { levels[level - 1] }
        set { levels[level - 1] = newValue }
    }

    /// Display name of any level 0...4.
    public func name(of level: Int) -> String {
        level == 0 ? TierLevel.defaultNames[0] : levels[level - 1].name
    }

    /// Per-mille discount a member at `level` gets (1000 = none).
    public func discount(of level: Int) -> Int {
        guard level >= 1, level <= 4, levels[level - 1].enabled else { return 1000 }
        return levels[level - 1].discount
    }

    /// The highest enabled level whose threshold the metric value reaches; 0 when none.
    public func qualifyingLevel(paidAmount: Fen, paidCount: Int) -> Int {
        qualifyingLevel(value: metric == .amount ? paidAmount : Int64(paidCount))
    }

    /// The same for a value of the ladder's metric (fen or orders).
    public func qualifyingLevel(value: Int64) -> Int {
        qualifyingSteps.first { value >= $0.threshold }?.level ?? 0
    }

    /// The enabled levels, highest first, each with its threshold: a member qualifies for the first
    /// step whose threshold their value reaches (a value equal to a threshold reaches it), 0 when
    /// none. The store's upgrade runs these steps as one SQL CASE over every member.
    public var qualifyingSteps: [(level: Int, threshold: Int64)] {
        levels.filter(\.enabled).sorted { $0.level > $1.level }.map { ($0.level, $0.threshold) }
    }

    /// The next enabled level above `level` and how much of the metric is still missing; nil at the top.
    public func nextStep(from level: Int, paidAmount: Fen, paidCount: Int) -> (level: TierLevel, missing: Int64)? {
        let value = metric == .amount ? paidAmount : Int64(paidCount)
        guard let next = levels.first(where: { $0.enabled && $0.level > level }) else { return nil }
        return (next, max(0, next.threshold - value))
    }
}
