/// What publishing a draft ladder would do (PRODUCT.md: "Before publishing … its impact"):
/// how many members move up to each tier, and what the deeper discounts would have cost over the
/// last 30 days of orders. Members never move down (upgrade-only).
public struct TierImpact: Sendable, Equatable {
    /// movesUp[k]: members who would move up to level k (k in 0...4; index 0 is always 0).
    public var movesUp: [Int]
    /// Members whose effective discount deepens (including members who move up).
    public var deepenedMembers: Int
    /// Σ recent amount × (live − draft discount), in fen·‰: exact, divide by 1000 for fen.
    public var costMilliFen: Int64

    public init(movesUp: [Int] = [0, 0, 0, 0, 0], deepenedMembers: Int = 0, costMilliFen: Int64 = 0) {
        self.movesUp = movesUp
        self.deepenedMembers = deepenedMembers
        self.costMilliFen = costMilliFen
    }

    public var totalMovingUp: Int { movesUp.reduce(0, +) }
    /// The estimated cost in fen, rounded half up.
    public var costFen: Fen { (costMilliFen + 500) / 1000 }

    /// One pass over `rows`. `live` nil means nothing is published yet (everyone pays full price).
    public static func compute(live: TierLadder?, draft: TierLadder, rows: [TierImpactRow]) -> TierImpact {
        var acc = TierImpactAccumulator(live: live, draft: draft)
        for r in rows { acc.add(r) }
        return acc.impact
    }
}

/// One member as the impact preview sees them.
public struct TierImpactRow: Sendable, Equatable {
    /// The member's current level (0...4).
    public var level: Int
    /// All-time paid amount and paid order count (the tier metrics).
    public var paidAmount: Fen
    public var paidCount: Int
    public var blacklisted: Bool
    /// Sum of the member's paid order amounts in the last 30 days.
    public var recentPaid: Fen

    public init(level: Int, paidAmount: Fen, paidCount: Int, blacklisted: Bool, recentPaid: Fen) {
        self.level = level; self.paidAmount = paidAmount; self.paidCount = paidCount
        self.blacklisted = blacklisted; self.recentPaid = recentPaid
    }
}

/// Streaming form of `TierImpact.compute`, so the store can feed rows straight from a cursor.
/// The ladders are flattened into small tables once; `add` does no allocation.
public struct TierImpactAccumulator: Sendable {
    private let liveDiscount: [Int]      // index 0...4
    private let draftDiscount: [Int]     // index 0...4
    /// (level, threshold) of the draft's enabled tiers, so `add` touches no Strings.
    private let draftSteps: [(level: Int, threshold: Int64)]
    private let draftCountsOrders: Bool
    public private(set) var impact = TierImpact()

    public init(live: TierLadder?, draft: TierLadder) {
        draftSteps = TierRules.isWellFormed(draft) ? draft.levels.filter(\.enabled).map { ($0.level, $0.threshold) } : []
        draftCountsOrders = draft.metric == .count
        liveDiscount = (0...4).map { l in live.map { TierRules.effectiveDiscount(level: l, blacklisted: false, ladder: $0) } ?? 1000 }
        draftDiscount = (0...4).map { TierRules.effectiveDiscount(level: $0, blacklisted: false, ladder: draft) }
    }

    public mutating func add(_ row: TierImpactRow) {
        add(level: row.level, paidAmount: row.paidAmount, paidCount: row.paidCount,
            blacklisted: row.blacklisted, recentPaid: row.recentPaid)
    }

    public mutating func add(level: Int, paidAmount: Fen, paidCount: Int, blacklisted: Bool, recentPaid: Fen) {
        guard !blacklisted else { return }  // no discount now or after, never upgraded
        let current = min(max(level, 0), 4)
        // Same as TierLadder.qualifyingLevel, over the flattened steps.
        let value = draftCountsOrders ? Int64(paidCount) : paidAmount
        var qualifying = 0
        for step in draftSteps where value >= step.threshold { qualifying = max(qualifying, step.level) }
        let next = TierRules.autoUpgrade(current: current, qualifying: qualifying, blacklisted: false)
        if next > current { impact.movesUp[next] += 1 }
        let delta = liveDiscount[current] - draftDiscount[next]
        if delta > 0 {
            impact.deepenedMembers += 1
            impact.costMilliFen += recentPaid * Int64(delta)
        }
    }
}
