/// The tier ladder's invariants and the upgrade-only publish rules (PRODUCT.md: Tiers).
/// Pure functions: the console, the command line and the import all ask the same questions here.
public enum TierRules {
    /// Taobao's API range for a tier discount: 7折 … no discount.
    public static let defaultDiscountRange: ClosedRange<Int> = 700...1000
    /// Longest display name, in characters (names sit in narrow columns, Chinese is double width).
    public static let maxNameLength = 12

    /// The invariants every saved ladder keeps, in level order (ladder-wide problems first):
    /// exactly levels 1...4; enabled tiers contiguous from level 1; thresholds ≥ 0 and strictly rising
    /// among enabled tiers (level 1 may be 0: everyone is a member); discounts per-mille within
    /// `discountRange` and strictly falling among enabled tiers; names non-blank, at most
    /// `maxNameLength` characters and distinct; a distributor floor, when set, within the range.
    /// Fields of disabled tiers other than the name are not checked: they are not in force.
    public static func validate(_ ladder: TierLadder, discountRange: ClosedRange<Int> = defaultDiscountRange) -> [TierViolation] {
        guard isWellFormed(ladder) else {
            return [TierViolation(rule: .malformedLadder, tier: nil, field: .levels,
                                  value: .levelCount(ladder.levels.count), allowed: .exactly(.levelCount(4)))]
        }
        var out: [TierViolation] = []
        if let floor = ladder.distributorFloor, !discountRange.contains(floor) {
            out.append(TierViolation(rule: .floorOutOfRange, tier: nil, field: .distributorFloor, value: .discount(floor),
                                     allowed: .between(.discount(discountRange.lowerBound), .discount(discountRange.upperBound))))
        }
        var previousEnabled: TierLevel?
        for t in ladder.levels {
            let ref = TierRef(t)
            out += nameViolations(t, in: ladder)
            if t.enabled && t.level > 1 && !ladder[t.level - 1].enabled {
                out.append(TierViolation(rule: .enabledNotContiguous, tier: ref, field: .enabled, value: .enabled(true),
                                         allowed: .exactly(.enabled(false)), related: TierRef(ladder[t.level - 1]),
                                         reference: .enabled(false)))
            }
            guard t.enabled else { continue }
            let metric = ladder.metric
            if t.threshold < 0 {
                out.append(TierViolation(rule: .thresholdNegative, tier: ref, field: .threshold, value: .threshold(t.threshold, metric),
                                         allowed: .atLeast(.threshold(0, metric))))
            } else if let p = previousEnabled, t.threshold <= p.threshold {
                out.append(TierViolation(rule: .thresholdNotIncreasing, tier: ref, field: .threshold,
                                         value: .threshold(t.threshold, metric), allowed: .above(.threshold(p.threshold, metric)),
                                         related: TierRef(p), reference: .threshold(p.threshold, metric)))
            }
            if !discountRange.contains(t.discount) {
                out.append(TierViolation(rule: .discountOutOfRange, tier: ref, field: .discount, value: .discount(t.discount),
                                         allowed: .between(.discount(discountRange.lowerBound), .discount(discountRange.upperBound))))
            } else if let p = previousEnabled, t.discount >= p.discount {
                out.append(TierViolation(rule: .discountNotDecreasing, tier: ref, field: .discount, value: .discount(t.discount),
                                         allowed: .below(.discount(p.discount)), related: TierRef(p), reference: .discount(p.discount)))
            }
            previousEnabled = t
        }
        return out
    }

    /// Everything that blocks publishing `draft` over `live` (nil: nothing published yet):
    /// `validate(draft)` plus the upgrade-only rules. A tier enabled in `live` may only keep or deepen
    /// its discount and keep or lower its threshold, and may not be disabled while
    /// `membersPerLevel[level]` > 0; the metric may not change while any live tier is enabled
    /// (it would re-rank every member in another unit). Empty means the draft can be published.
    public static func checkPublish(draft: TierLadder, live: TierLadder?, membersPerLevel: [Int: Int],
                                    discountRange: ClosedRange<Int> = defaultDiscountRange) -> [TierViolation] {
        var out = validate(draft, discountRange: discountRange)
        guard let live, isWellFormed(live), isWellFormed(draft) else { return out }
        let liveIsInForce = live.levels.contains(where: \.enabled)
        let metricChanged = liveIsInForce && draft.metric != live.metric
        if metricChanged {
            out.append(TierViolation(rule: .publishedMetricChanged, tier: nil, field: .metric, value: .metric(draft.metric),
                                     allowed: .exactly(.metric(live.metric)), reference: .metric(live.metric)))
        }
        for was in live.levels where was.enabled {
            let now = draft[was.level]
            let ref = TierRef(now)
            if !now.enabled {
                let members = membersPerLevel[was.level] ?? 0
                if members > 0 {
                    out.append(TierViolation(rule: .publishedTierDisabledWithMembers, tier: ref, field: .enabled,
                                             value: .enabled(false), allowed: .exactly(.enabled(true)),
                                             reference: .enabled(true), memberCount: members))
                }
                continue
            }
            // Thresholds in different units cannot be compared; the metric violation already blocks.
            if !metricChanged && now.threshold > was.threshold {
                out.append(TierViolation(rule: .publishedThresholdRaised, tier: ref, field: .threshold,
                                         value: .threshold(now.threshold, draft.metric),
                                         allowed: .atMost(.threshold(was.threshold, live.metric)),
                                         reference: .threshold(was.threshold, live.metric)))
            }
            if now.discount > was.discount {
                out.append(TierViolation(rule: .publishedDiscountShallower, tier: ref, field: .discount,
                                         value: .discount(now.discount), allowed: .atMost(.discount(was.discount)),
                                         reference: .discount(was.discount)))
            }
        }
        return inLevelOrder(out)
    }

    /// 分销价保护: enabled tiers whose discount is below the draft's distributor floor. These do not
    /// block; publishing them needs a second, explicit confirmation.
    public static func floorWarnings(draft: TierLadder) -> [TierViolation] {
        guard let floor = draft.distributorFloor else { return [] }
        return draft.levels.filter { $0.enabled && $0.discount < floor }.map {
            TierViolation(rule: .belowDistributorFloor, tier: TierRef($0), field: .discount, value: .discount($0.discount),
                          allowed: .atLeast(.discount(floor)), reference: .discount(floor))
        }
    }

    /// Both questions the publish dialog asks at once.
    public static func reviewPublish(draft: TierLadder, live: TierLadder?, membersPerLevel: [Int: Int],
                                     discountRange: ClosedRange<Int> = defaultDiscountRange) -> TierPublishReview {
        TierPublishReview(blocking: checkPublish(draft: draft, live: live, membersPerLevel: membersPerLevel, discountRange: discountRange),
                          warnings: floorWarnings(draft: draft))
    }

    /// Exactly four entries for levels 1...4 in order; anything else would make `ladder[level]` trap.
    public static func isWellFormed(_ ladder: TierLadder) -> Bool {
        ladder.levels.count == 4 && ladder.levels.indices.allSatisfy { ladder.levels[$0].level == $0 + 1 }
    }

    static func nameViolations(_ t: TierLevel, in ladder: TierLadder) -> [TierViolation] {
        let ref = TierRef(t)
        let name = t.name.trimmingSpaces()
        if name.isEmpty {
            return [TierViolation(rule: .nameEmpty, tier: ref, field: .name, value: .name(t.name), allowed: .nameLength(max: maxNameLength))]
        }
        if name.count > maxNameLength {
            return [TierViolation(rule: .nameTooLong, tier: ref, field: .name, value: .name(t.name), allowed: .nameLength(max: maxNameLength))]
        }
        if let earlier = ladder.levels.first(where: { $0.level < t.level && $0.name.trimmingSpaces() == name }) {
            return [TierViolation(rule: .nameDuplicate, tier: ref, field: .name, value: .name(t.name),
                                  allowed: .nameOtherThan(name), related: TierRef(earlier), reference: .name(earlier.name))]
        }
        return []
    }

    /// Ladder-wide violations first, then by level; the order of discovery within a level.
    static func inLevelOrder(_ violations: [TierViolation]) -> [TierViolation] {
        violations.enumerated().sorted { a, b in
            let ka = a.element.tier?.level ?? 0, kb = b.element.tier?.level ?? 0
            return ka != kb ? ka < kb : a.offset < b.offset
        }.map(\.element)
    }
}

/// What the publish dialog needs: blocking violations, and warnings that need a second confirmation.
public struct TierPublishReview: Sendable, Equatable {
    public var blocking: [TierViolation]
    public var warnings: [TierViolation]
    public init(blocking: [TierViolation], warnings: [TierViolation]) {
        self.blocking = blocking
        self.warnings = warnings
    }
    public var canPublish: Bool { blocking.isEmpty }
    public var needsSecondConfirmation: Bool { !warnings.isEmpty }
}
