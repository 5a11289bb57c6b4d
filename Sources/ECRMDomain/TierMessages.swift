/// Human wording of tier violations in Chinese and English. Every message has the same shape:
/// which tier and field, what is wrong, the rule (why), and what would be allowed.
extension TierViolation {
    public func message(_ language: MessageLanguage) -> String {
        let w = TierWords(language)
        let t = tier.map(w.tier) ?? ""
        let r = related.map(w.tier) ?? ""
        let v = w.value(value)
        let ref = reference.map(w.value) ?? ""
        let ok = w.allowance(allowed)
        let zh = language == .zh
        switch rule {
        case .malformedLadder:
            return zh ? "等级设置有\(v)，应为1–4级依次排列：等级不可增删；允许：\(ok)"
                      : "The tier ladder has \(v) instead of levels 1–4 in order: levels cannot be added or removed; allowed: \(ok)"
        case .enabledNotContiguous:
            return zh ? "\(t)已启用而\(r)未启用：启用的等级必须从1级起连续；允许：\(ok)（或先启用\(r)）"
                      : "\(t) is enabled but \(r) is not: enabled tiers must run from level 1 up without gaps; allowed: \(ok) (or enable \(r) first)"
        case .thresholdNegative:
            return zh ? "\(t)的门槛\(v)为负数：门槛不能小于零；允许：\(ok)"
                      : "\(t) threshold \(v) is negative: thresholds cannot be below zero; allowed: \(ok)"
        case .thresholdNotIncreasing:
            return zh ? "\(t)的门槛\(v)不高于\(r)的\(ref)：等级越高门槛必须越高；允许：\(ok)"
                      : "\(t) threshold \(v) is not above \(r)'s \(ref): thresholds must strictly increase with level; allowed: \(ok)"
        case .discountOutOfRange:
            return zh ? "\(t)的折扣\(v)超出允许范围：折扣以千分比表示，须在范围之内；允许：\(ok)"
                      : "\(t) discount \(v) is out of range: discounts are per-mille within the allowed range; allowed: \(ok)"
        case .discountNotDecreasing:
            return zh ? "\(t)的折扣\(v)不比\(r)的\(ref)低：等级越高折扣必须越低；允许：\(ok)"
                      : "\(t) discount \(v) is not deeper than \(r)'s \(ref): a higher tier must always pay less; allowed: \(ok)"
        case .nameEmpty:
            return zh ? "\(t)的名称为空：每个等级都需要显示名称；允许：\(ok)"
                      : "\(t) has an empty name: every tier needs a display name; allowed: \(ok)"
        case .nameTooLong:
            return zh ? "\(t)的名称\(v)太长：名称要在窄栏中显示；允许：\(ok)"
                      : "\(t) name \(v) is too long: names must fit narrow columns; allowed: \(ok)"
        case .nameDuplicate:
            return zh ? "\(t)的名称\(v)与\(r)重复：会员将无法区分等级；允许：\(ok)"
                      : "\(t) name \(v) is also used by \(r): members could not tell the tiers apart; allowed: \(ok)"
        case .floorOutOfRange:
            return zh ? "分销价保护\(v)超出折扣范围：保护线必须是可设置的折扣；允许：\(ok)"
                      : "The distributor floor \(v) is out of the discount range: the floor must be a settable discount; allowed: \(ok)"
        case .publishedDiscountShallower:
            return zh ? "\(t)的折扣\(v)比已发布的\(ref)浅：已发布的等级只能加深折扣；允许：\(ok)"
                      : "\(t) discount \(v) is shallower than live \(ref): a published tier may only deepen its discount; allowed: \(ok)"
        case .publishedThresholdRaised:
            return zh ? "\(t)的门槛\(v)比已发布的\(ref)高：已发布的等级只能降低门槛；允许：\(ok)"
                      : "\(t) threshold \(v) is higher than live \(ref): a published tier may only lower its threshold; allowed: \(ok)"
        case .publishedTierDisabledWithMembers:
            let n = memberCount ?? 0
            return zh ? "\(t)已发布且有\(n)名会员：有会员的等级不能停用；允许：\(ok)"
                      : "\(t) is published and has \(n) member\(n == 1 ? "" : "s"): a tier with members cannot be disabled; allowed: \(ok)"
        case .publishedMetricChanged:
            return zh ? "升级指标\(v)与已发布的\(ref)不同：更换指标会用另一种单位重新评定所有会员，已发布的门槛无法保证只降不升；允许：\(ok)"
                      : "The upgrade metric \(v) differs from the live \(ref): changing it would re-rank every member in another unit, so published thresholds could no longer only go down; allowed: \(ok)"
        case .belowDistributorFloor:
            return zh ? "\(t)的折扣\(v)低于分销价保护\(ref)：会员价将低于分销价，发布需再次确认；无需确认：\(ok)"
                      : "\(t) discount \(v) is below the distributor floor \(ref): member prices would undercut distributors, publishing needs a second confirmation; allowed without it: \(ok)"
        }
    }
}

/// Renders tiers, values and allowances in one language.
struct TierWords {
    let zh: Bool
    init(_ language: MessageLanguage) { zh = language == .zh }

    /// "VIP会员 (level 3)" / "VIP会员（3级）"; just the level when the name is blank.
    func tier(_ t: TierRef) -> String {
        let name = t.name.trimmingSpaces()
        if zh { return name.isEmpty ? "\(t.level)级" : "\(name)（\(t.level)级）" }
        return name.isEmpty ? "level \(t.level)" : "\(name) (level \(t.level))"
    }

    func value(_ v: TierValue) -> String {
        switch v {
        case .enabled(let on): return zh ? (on ? "启用" : "停用") : (on ? "enabled" : "disabled")
        case .threshold(let x, .amount): return Money.display(x)
        case .threshold(let x, .count): return zh ? "\(x)笔" : "\(x) order\(x == 1 ? "" : "s")"
        case .discount(let d):
            let label = discountText(d, zh ? .zh : .en)
            return zh ? "\(d)（\(label)）" : "\(d) (\(label))"
        case .name(let s): return "“\(s)”"
        case .metric(.amount): return zh ? "累计消费金额" : "cumulative paid amount"
        case .metric(.count): return zh ? "累计消费笔数" : "cumulative paid orders"
        case .levelCount(let n): return zh ? "\(n)个等级" : "\(n) levels"
        }
    }

    func allowance(_ a: TierAllowance) -> String {
        switch a {
        case .exactly(let v): return value(v)
        case .atMost(let v): return "≤ " + value(v)
        case .atLeast(let v): return "≥ " + value(v)
        case .above(let v): return "> " + value(v)
        case .below(let v): return "< " + value(v)
        case .between(let lo, let hi): return value(lo) + " – " + value(hi)
        case .nameLength(let max): return zh ? "1–\(max)个字" : "1–\(max) characters"
        case .nameOtherThan(let s): return zh ? "“\(s)”以外的名称" : "a name other than “\(s)”"
        }
    }
}
