/// Rules about one member's level (PRODUCT.md: Tiers, the upgrade-only rule and invariant 5).
extension TierRules {
    /// The level after an automatic recompute: never lower than `current` (members are never demoted
    /// automatically), and a blacklisted member stays where they are (never upgraded).
    public static func autoUpgrade(current: Int, qualifying: Int, blacklisted: Bool) -> Int {
        blacklisted ? current : max(current, qualifying)
    }

    /// Per-mille a member pays: 1000 for blacklisted members and for levels that are not enabled.
    public static func effectiveDiscount(level: Int, blacklisted: Bool, ladder: TierLadder) -> Int {
        guard !blacklisted, isWellFormed(ladder) else { return 1000 }
        return ladder.discount(of: level)
    }

    /// Checks a by-hand level change. Only the owner may change a level; the target must be 0 or an
    /// enabled level; lowering needs a non-blank reason (it goes to the audit log); a blacklisted
    /// member cannot be raised. On success returns the change with its trimmed reason.
    public static func manualChange(from: Int, to: Int, role: OperatorRole, reason: String, blacklisted: Bool,
                                    ladder: TierLadder) -> Result<ManualTierChange, ManualTierChangeError> {
        if let refusal = role.refusal(for: .manualTierChange) { return .failure(.notPermitted(refusal)) }
        guard (0...4).contains(to) else { return .failure(.levelOutOfRange(to)) }
        guard to != from else { return .failure(.unchanged(level: to)) }
        if to > 0 {
            guard isWellFormed(ladder), ladder[to].enabled else {
                let name = isWellFormed(ladder) ? ladder[to].name : TierLevel.defaultNames[to]
                return .failure(.levelNotEnabled(TierRef(level: to, name: name)))
            }
        }
        let why = reason.trimmingSpaces()
        if to > from && blacklisted { return .failure(.blacklisted) }
        if to < from && why.isEmpty { return .failure(.reasonRequired(from: from, to: to)) }
        return .success(ManualTierChange(from: from, to: to, reason: why))
    }
}

/// An accepted by-hand level change, ready for the audit log.
public struct ManualTierChange: Sendable, Equatable {
    public var from: Int
    public var to: Int
    /// Trimmed; may be empty when raising.
    public var reason: String
    public init(from: Int, to: Int, reason: String) { self.from = from; self.to = to; self.reason = reason }
    public var isLowering: Bool { to < from }
}

/// Why a by-hand level change is refused.
public enum ManualTierChangeError: Error, Sendable, Equatable {
    /// Only the owner changes levels by hand.
    case notPermitted(PermissionRefusal)
    /// Levels are 0...4.
    case levelOutOfRange(Int)
    /// The target level is switched off in the ladder.
    case levelNotEnabled(TierRef)
    /// The member is already at this level.
    case unchanged(level: Int)
    /// Lowering a member needs a reason for the audit log.
    case reasonRequired(from: Int, to: Int)
    /// Blacklisted members are never upgraded (invariant 5).
    case blacklisted

    /// Stable machine code.
    public var code: String {
        switch self {
        case .notPermitted: return "not_permitted"
        case .levelOutOfRange: return "level_out_of_range"
        case .levelNotEnabled: return "level_not_enabled"
        case .unchanged: return "unchanged"
        case .reasonRequired: return "reason_required"
        case .blacklisted: return "blacklisted"
        }
    }

    public func message(_ language: MessageLanguage) -> String {
        let zh = language == .zh
        let w = TierWords(language)
        switch self {
        case .notPermitted(let refusal):
            return refusal.message(language)
        case .levelOutOfRange(let l):
            return zh ? "等级\(l)不存在：等级只有0–4；允许：0–4" : "Level \(l) does not exist: levels are 0–4; allowed: 0–4"
        case .levelNotEnabled(let t):
            return zh ? "\(w.tier(t))未启用：只能调到已启用的等级或0级（店铺客户）；允许：已启用的等级或0"
                      : "\(w.tier(t)) is not enabled: a member can only be set to an enabled level or 0 (shop customer); allowed: an enabled level or 0"
        case .unchanged(let l):
            return zh ? "会员已经是\(l)级：没有变化" : "The member is already at level \(l): nothing to change"
        case .reasonRequired(let from, let to):
            return zh ? "从\(from)级降到\(to)级需要填写原因：降级会写入审计日志；允许：非空的原因"
                      : "Lowering from level \(from) to \(to) needs a reason: demotions go to the audit log; allowed: a non-empty reason"
        case .blacklisted:
            return zh ? "黑名单会员不能升级：黑名单会员不享受会员折扣，也不会升级；允许：保持当前等级或降级"
                      : "A blacklisted member cannot be upgraded: blacklisted members get no discount and are never upgraded; allowed: keep or lower the level"
        }
    }
}
