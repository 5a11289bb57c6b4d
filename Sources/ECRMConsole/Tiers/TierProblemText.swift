import ECRMDomain

/// Short forms of tier values and violations for the narrow "problems" column beside a field
/// ("折扣 ≤ 880"); the full sentence comes from `TierViolation.message(_:)`.
enum TierProblemText {
    static func value(_ v: TierValue, zh: Bool) -> String {
        switch v {
        case .enabled(let on): return zh ? (on ? "启用" : "停用") : (on ? "on" : "off")
        case .threshold(let x, .amount): return Money.display(x)
        case .threshold(let x, .count): return zh ? "\(x)单" : "\(x) orders"
        case .discount(let d): return String(d)
        case .name(let s): return "“\(s)”"
        case .metric(let m): return TierLabels(zh: zh).metric(m)
        case .levelCount(let n): return String(n)
        }
    }

    static func allowance(_ a: TierAllowance, zh: Bool) -> String {
        switch a {
        case .exactly(let v): return "= " + value(v, zh: zh)
        case .atMost(let v): return "≤ " + value(v, zh: zh)
        case .atLeast(let v): return "≥ " + value(v, zh: zh)
        case .above(let v): return "> " + value(v, zh: zh)
        case .below(let v): return "< " + value(v, zh: zh)
        case .between(let lo, let hi): return value(lo, zh: zh) + "–" + value(hi, zh: zh)
        case .nameLength(let max): return zh ? "1–\(max)字" : "1–\(max) chars"
        case .nameOtherThan: return zh ? "换个名称" : "another name"
        }
    }

    /// "折扣 ≤ 880": the field and what would be allowed. On/off problems read as a sentence:
    /// "启用 = 启用" says nothing.
    static func short(_ v: TierViolation, zh: Bool) -> String {
        switch v.rule {
        case .enabledNotContiguous:
            let lower = v.related?.name ?? ""
            return zh ? "\(lower) 已停用，但其上一级仍启用" : "\(lower) is off but the tier above is on"
        case .publishedTierDisabledWithMembers:
            let n = SegmentsView.count(v.memberCount ?? 0)
            return zh ? "已停用，但仍有 \(n) 位会员" : "off, but \(n) members are here"
        default:
            return TierLabels(zh: zh).fieldName(v.field) + " " + allowance(v.allowed, zh: zh)
        }
    }

    /// Discount cell: "9.5折 (950)" / "950 (95%)": the words people read (discountText; short in
    /// English to fit the column) and the per-mille they type; no discount as everywhere.
    static func discount(_ d: Int, zh: Bool) -> String {
        if d >= 1000 { return discountText(d, zh ? .zh : .en) }
        if zh { return "\(discountText(d, .zh)) (\(d))" }
        return "\(d) (\(discountPercent(d)))"
    }
}
