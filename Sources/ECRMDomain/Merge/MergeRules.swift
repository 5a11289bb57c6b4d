/// Merge and unmerge (PRODUCT.md: One member across channels; Tiers, the upgrade-only rule).
/// Pure rules: which tier, discount and standing the members end with. The store moves the rows.

/// One member's tier facts as a merge sees them.
public struct MergeSide: Sendable, Equatable, Codable {
    public var tier: Int
    /// tier_source: the owner set this level by hand.
    public var manual: Bool
    public var blacklisted: Bool
    /// Paid totals (member_stats).
    public var paidSum: Fen
    public var paidCount: Int
    /// Totals at a by-hand lowering (TierBaseline): progress counts only what came after. Nil: none.
    public var baseline: TierProgressBaseline?

    public init(tier: Int, manual: Bool = false, blacklisted: Bool = false, paidSum: Fen = 0, paidCount: Int = 0,
                baseline: TierProgressBaseline? = nil) {
        self.tier = tier; self.manual = manual; self.blacklisted = blacklisted
        self.paidSum = paidSum; self.paidCount = paidCount; self.baseline = baseline
    }
}

/// Paid totals a member's tier progress counts from (member_tier_baseline).
public struct TierProgressBaseline: Sendable, Equatable, Codable {
    public var sum: Fen
    public var count: Int
    public init(sum: Fen, count: Int) { self.sum = sum; self.count = count }

    static func adding(_ a: TierProgressBaseline?, _ b: TierProgressBaseline?) -> TierProgressBaseline? {
        guard a != nil || b != nil else { return nil }
        return TierProgressBaseline(sum: (a?.sum ?? 0) + (b?.sum ?? 0), count: (a?.count ?? 0) + (b?.count ?? 0))
    }
}

/// What the merged member ends with.
public struct MergedStanding: Sendable, Equatable, Codable {
    public var tier: Int
    public var manual: Bool
    public var blacklisted: Bool
    /// Per-mille the merged member pays (1000 = none, always so when blacklisted).
    public var discount: Int
    /// The merged member's progress baseline: the two baselines added (each side's old orders that
    /// did not count still do not); nil when neither had one.
    public var baseline: TierProgressBaseline?
    /// The merged totals reach a higher tier than either member had.
    public var raisedByTotal: Bool
    /// One of the two was blacklisted, so the merged member is: its discount goes (the one case a
    /// merge takes a discount away; the preview says so).
    public var blacklistCarried: Bool
}

public enum MergeRules {
    /// The merged member's tier is the higher of the two; their combined paid totals (less any
    /// baseline) may raise it further; a blacklisted member on either side makes the merged member
    /// blacklisted (no discount, never upgraded). Never below either member's tier.
    public static func merged(keep: MergeSide, other: MergeSide, ladder: TierLadder) -> MergedStanding {
        let blacklisted = keep.blacklisted || other.blacklisted
        let higher = max(keep.tier, other.tier)
        let manual = keep.tier == other.tier ? (keep.manual || other.manual) : (keep.tier > other.tier ? keep.manual : other.manual)
        let baseline = TierProgressBaseline.adding(keep.baseline, other.baseline)
        let sum = keep.paidSum + other.paidSum - (baseline?.sum ?? 0)
        let count = keep.paidCount + other.paidCount - (baseline?.count ?? 0)
        let qualifying = TierRules.isWellFormed(ladder) ? ladder.qualifyingLevel(paidAmount: max(0, sum), paidCount: max(0, count)) : 0
        let level = TierRules.autoUpgrade(current: higher, qualifying: qualifying, blacklisted: blacklisted)
        return MergedStanding(tier: level, manual: level > higher ? false : manual, blacklisted: blacklisted,
                              discount: TierRules.effectiveDiscount(level: level, blacklisted: blacklisted, ladder: ladder),
                              baseline: baseline, raisedByTotal: level > higher,
                              blacklistCarried: blacklisted && !(keep.blacklisted && other.blacklisted) )
    }

    /// Unmerge: neither member comes out below the tier the merged member has now (the upgrade-only
    /// rule: whoever was served at that tier keeps it; the owner may lower one by hand, with a
    /// reason), nor below the tier it had before the merge.
    public static func unmergedTier(before: Int, mergedNow: Int) -> Int { max(before, mergedNow) }

    /// Unmerge: a survivor whose baseline was reset after the merge (a by-hand lowering then) keeps
    /// its own progress: the returning member's totals leave the baseline with its orders.
    public static func survivorBaseline(now: TierProgressBaseline?, atMerge: TierProgressBaseline?, before: TierProgressBaseline?,
                                        returningSum: Fen, returningCount: Int) -> TierProgressBaseline? {
        guard let now else { return before }
        if now == atMerge { return before }
        return TierProgressBaseline(sum: max(0, now.sum - returningSum), count: max(0, now.count - returningCount))
    }

    /// The merged member's stored RFM scores until the next full recompute. Custom edges score one
    /// member exactly; quintiles depend on everyone, so the merged member keeps the higher of the two
    /// stored scores per dimension (merging only adds orders: each is a floor). The segment follows
    /// from those scores and the last recompute's mean scores.
    public static func mergedScore(_ a: RFMScore?, _ b: RFMScore?, measure: RFMMeasure, mode: ScoringMode,
                                   means: (r: Double, f: Double, m: Double)) -> RFMScore {
        guard measure.isScored else { return .unscored }
        let r: UInt8, f: UInt8, m: UInt8
        switch mode {
        case .custom(let edges):
            r = 5 - RFM.bucket(Int64(measure.recencyDays ?? 0), edges.recencyDays.map(Int64.init))
            f = 1 + RFM.bucket(Int64(measure.frequency), edges.frequency.map(Int64.init))
            m = 1 + RFM.bucket(measure.monetary, edges.monetary)
        case .auto:
            r = max(1, max(a?.r ?? 0, b?.r ?? 0))
            f = max(1, max(a?.f ?? 0, b?.f ?? 0))
            m = max(1, max(a?.m ?? 0, b?.m ?? 0))
        }
        let seg = Segment.classify(rHigh: Double(r) >= means.r, fHigh: Double(f) >= means.f, mHigh: Double(m) >= means.m)
        return RFMScore(r: r, f: f, m: m, segment: seg)
    }
}

/// Why a merge, unmerge or dismissal is refused: one line each, both languages.
public enum MergeRefusal: Error, Sendable, Equatable {
    case sameMember(String)
    case unknownMember(String)
    case neverMerged(String)
    /// A later merge into this member must be undone first (unmerge goes newest first).
    case laterMerge(String, newer: String)

    public var code: String {
        switch self {
        case .sameMember: return "same_member"
        case .unknownMember: return "unknown_member"
        case .neverMerged: return "never_merged"
        case .laterMerge: return "later_merge"
        }
    }

    public func message(_ language: MessageLanguage) -> String {
        let zh = language == .zh
        switch self {
        case .sameMember(let k):
            return zh ? "不能把会员 \(k) 和自己合并：请给出两位不同的会员" : "cannot merge member \(k) with itself: give two different members"
        case .unknownMember(let k):
            return zh ? "没有会员 \(k)（可用 ecrm search \(k) 查找）" : "no member '\(k)' (try `ecrm search \(k)`)"
        case .neverMerged(let k):
            return zh ? "会员 \(k) 没有合并过别的会员：无可拆分" : "member \(k) has no merge to undo: nothing to unmerge"
        case .laterMerge(let k, let newer):
            return zh ? "会员 \(k) 之后又合并了 \(newer)：请先拆分 \(newer)" : "member \(k) later absorbed \(newer): unmerge \(newer) first"
        }
    }
}
