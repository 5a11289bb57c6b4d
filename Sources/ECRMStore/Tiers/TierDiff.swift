import ECRMDomain

/// One field that differs between the live ladder and the draft, for the "before publishing,
/// show the diff" step. `level` nil = ladder-wide (metric, distributor floor).
public struct TierChange: Sendable, Equatable {
    public var level: Int?
    /// The tier's name in the draft (what the owner is looking at).
    public var tierName: String?
    public var field: TierField
    /// nil: no value (no floor, nothing published yet).
    public var from: TierValue?
    public var to: TierValue?
}

public enum TierDiff {
    /// Field-by-field changes from `live` (nil: nothing published, compared with the initial ladder)
    /// to `draft`: ladder-wide first, then by level in the order enabled, name, threshold, discount.
    public static func changes(live: TierLadder?, draft: TierLadder) -> [TierChange] {
        let base = live ?? .initial
        guard TierRules.isWellFormed(base), TierRules.isWellFormed(draft) else { return [] }
        var out: [TierChange] = []
        if live == nil || base.metric != draft.metric {
            out.append(TierChange(level: nil, tierName: nil, field: .metric, from: live.map { .metric($0.metric) }, to: .metric(draft.metric)))
        }
        if base.distributorFloor != draft.distributorFloor {
            out.append(TierChange(level: nil, tierName: nil, field: .distributorFloor,
                                  from: base.distributorFloor.map { .discount($0) }, to: draft.distributorFloor.map { .discount($0) }))
        }
        for (was, now) in zip(base.levels, draft.levels) {
            func add(_ field: TierField, _ a: TierValue, _ b: TierValue) {
                out.append(TierChange(level: now.level, tierName: now.name, field: field, from: live == nil ? nil : a, to: b))
            }
            // A tier that stays disabled has nothing in force; only its name is worth showing.
            let matters = was.enabled || now.enabled
            if was.enabled != now.enabled || live == nil && now.enabled { add(.enabled, .enabled(was.enabled), .enabled(now.enabled)) }
            if was.name != now.name { add(.name, .name(was.name), .name(now.name)) }
            guard matters else { continue }
            if was.threshold != now.threshold || live == nil || base.metric != draft.metric {
                add(.threshold, .threshold(was.threshold, base.metric), .threshold(now.threshold, draft.metric))
            }
            if was.discount != now.discount || live == nil { add(.discount, .discount(was.discount), .discount(now.discount)) }
        }
        return out
    }
}
