/// A broken tier rule, precise enough for the console to put its message beside the right field
/// (PRODUCT.md: Tiers). Produced by `TierRules`; the wording lives in TierMessages.swift.

/// Identifies a tier by level (1...4) and the display name it has in the ladder being checked.
public struct TierRef: Sendable, Equatable, Hashable {
    public var level: Int
    public var name: String
    public init(level: Int, name: String) { self.level = level; self.name = name }
    init(_ t: TierLevel) { self.init(level: t.level, name: t.name) }
}

/// The field a violation belongs to (where the console shows it).
public enum TierField: String, Sendable, CaseIterable, Codable {
    case enabled, threshold, discount, name, metric
    /// The ladder's distributor floor (分销价保护).
    case distributorFloor = "distributor_floor"
    /// The ladder as a whole is malformed (not exactly levels 1...4).
    case levels
}

/// Stable identifiers of every rule; `rawValue` is the machine code (JSON, tests, scripts).
public enum TierRule: String, Sendable, CaseIterable, Codable {
    // Invariants, checked on every save (`TierRules.validate`).
    case malformedLadder = "malformed_ladder"
    case enabledNotContiguous = "enabled_not_contiguous"
    case thresholdNegative = "threshold_negative"
    case thresholdNotIncreasing = "threshold_not_increasing"
    case discountOutOfRange = "discount_out_of_range"
    case discountNotDecreasing = "discount_not_decreasing"
    case nameEmpty = "name_empty"
    case nameTooLong = "name_too_long"
    case nameDuplicate = "name_duplicate"
    case floorOutOfRange = "floor_out_of_range"
    // The upgrade-only rules, checked on publish (`TierRules.checkPublish`).
    case publishedDiscountShallower = "published_discount_shallower"
    case publishedThresholdRaised = "published_threshold_raised"
    case publishedTierDisabledWithMembers = "published_tier_disabled_with_members"
    case publishedMetricChanged = "published_metric_changed"
    // A warning: publishing needs a second confirmation (`TierRules.floorWarnings`).
    case belowDistributorFloor = "below_distributor_floor"

    public var severity: TierSeverity {
        self == .belowDistributorFloor ? .needsSecondConfirmation : .blocking
    }
}

public enum TierSeverity: String, Sendable, Codable {
    /// The draft cannot be saved or published as is.
    case blocking
    /// Publishing is possible after a second, explicit confirmation.
    case needsSecondConfirmation = "needs_second_confirmation"
}

/// A value of a tier field, typed so it can be rendered in its unit.
public enum TierValue: Sendable, Equatable {
    case enabled(Bool)
    /// Fen for `.amount`, orders for `.count`.
    case threshold(Int64, TierMetric)
    /// Per-mille.
    case discount(Int)
    case name(String)
    case metric(TierMetric)
    /// How many level entries a malformed ladder has.
    case levelCount(Int)
}

/// The values that would be accepted instead of the offending one.
public enum TierAllowance: Sendable, Equatable {
    case exactly(TierValue)
    case atMost(TierValue)
    case atLeast(TierValue)
    /// Strictly greater.
    case above(TierValue)
    /// Strictly smaller.
    case below(TierValue)
    case between(TierValue, TierValue)
    /// A non-blank name of 1...max characters.
    case nameLength(max: Int)
    /// Any name but this one (another tier already uses it).
    case nameOtherThan(String)
}

public struct TierViolation: Sendable, Equatable {
    public var rule: TierRule
    /// The tier at fault; nil for ladder-wide problems (metric, floor, shape).
    public var tier: TierRef?
    public var field: TierField
    /// The offending value.
    public var value: TierValue
    /// What would be accepted.
    public var allowed: TierAllowance
    /// The tier this one is compared with (the level below, a tier with the same name), if any.
    public var related: TierRef?
    /// The value compared against: the related tier's, the live one, or the floor.
    public var reference: TierValue?
    /// Members at the tier, for the "cannot disable a tier with members" rule.
    public var memberCount: Int?

    public init(rule: TierRule, tier: TierRef?, field: TierField, value: TierValue, allowed: TierAllowance,
                related: TierRef? = nil, reference: TierValue? = nil, memberCount: Int? = nil) {
        self.rule = rule; self.tier = tier; self.field = field; self.value = value; self.allowed = allowed
        self.related = related; self.reference = reference; self.memberCount = memberCount
    }

    /// Stable machine code, e.g. "published_discount_shallower".
    public var code: String { rule.rawValue }
    public var severity: TierSeverity { rule.severity }
    public var chinese: String { message(.zh) }
    public var english: String { message(.en) }
}
