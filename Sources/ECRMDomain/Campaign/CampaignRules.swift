/// What a new campaign is defined by, before its target is frozen (PRODUCT.md: Campaigns, Create).
public struct CampaignDraft: Sendable, Equatable {
    public var name: String
    /// Holdout share in basis points (10% = 1,000).
    public var holdoutBasisPoints: Int
    public var start: Day
    public var windowDays: Int
    public init(name: String, holdoutBasisPoints: Int = CampaignRules.defaultHoldoutBasisPoints, start: Day,
                windowDays: Int = CampaignRules.defaultWindowDays) {
        self.name = name; self.holdoutBasisPoints = holdoutBasisPoints; self.start = start; self.windowDays = windowDays
    }
}

/// Why a campaign cannot be created: each one a one-line refusal (`message`).
public enum CampaignProblem: Sendable, Equatable, Error {
    case nameEmpty
    case nameTooLong(String, max: Int)
    case nameBadCharacter(String)
    case duplicateName(String)
    case holdoutOutOfRange(basisPoints: Int)
    case windowOutOfRange(days: Int)
    case startTooLate(start: Day, latest: Day)
    case emptyTarget
    /// The target is too small for a control (or a treatment) of at least one member.
    case targetTooSmall(target: Int, control: Int)

    public func message(_ language: MessageLanguage) -> String {
        let zh = language == .zh
        switch self {
        case .nameEmpty:
            return zh ? "活动需要一个名称" : "a campaign needs a name"
        case .nameTooLong(let n, let max):
            return zh ? "活动名称“\(n)”有\(n.count)个字，最多\(max)个（标签“活动:名称”不超过20个字）"
                      : "campaign name '\(n)' is \(n.count) characters; at most \(max) (its tag '活动:name' must fit 20)"
        case .nameBadCharacter(let n):
            return zh ? "活动名称“\(n)”不能包含“|”“,”或换行" : "campaign name '\(n)' may not contain '|', ',' or a line break"
        case .duplicateName(let n):
            return zh ? "已有名为“\(n)”的活动，请换一个名称" : "a campaign named '\(n)' already exists; choose another name"
        case .holdoutOutOfRange(let bp):
            let pct = CampaignRules.percentText(bp)
            return zh ? "对照组比例\(pct)%不可用：须大于0%且小于100%" : "a holdout of \(pct)% is not allowed: it must be above 0% and below 100%"
        case .windowOutOfRange(let d):
            return zh ? "观察期\(d)天不可用：须为1到\(CampaignRules.maxWindowDays)天" : "an outcome window of \(d) days is not allowed: 1 to \(CampaignRules.maxWindowDays) days"
        case .startTooLate(let s, let latest):
            return zh ? "开始日期\(s)太晚：最晚为明天（\(latest)）" : "start date \(s) is too far ahead: at the latest tomorrow (\(latest))"
        case .emptyTarget:
            return zh ? "目标人群为空（黑名单会员不计入）" : "the target is empty (blacklisted members are left out)"
        case .targetTooSmall(let n, let k):
            return zh ? "目标只有\(n)人，对照组\(k)人：对照组和发送组都至少要有1人，请扩大目标或调整比例"
                      : "a target of \(n) members gives a control of \(k): both groups need at least one member; widen the target or change the holdout"
        }
    }
}

/// The rules a campaign definition must meet (PRODUCT.md: Campaigns; issue 20 "Bad input").
public enum CampaignRules {
    public static let defaultHoldoutBasisPoints = 1_000
    public static let defaultWindowDays = 30
    public static let maxWindowDays = 365
    /// "活动:" + name is the treatment tag, and tag names hold at most 20 characters.
    public static let tagPrefix = "活动:"
    public static let maxNameLength = 20 - 3

    public static func tagName(_ campaignName: String) -> String { tagPrefix + campaignName }

    /// The trimmed name, or the problem with it.
    public static func validatedName(_ raw: String, existing: Set<String>) throws(CampaignProblem) -> String {
        let name = raw.trimmingSpaces()
        guard !name.isEmpty else { throw .nameEmpty }
        guard name.count <= maxNameLength else { throw .nameTooLong(name, max: maxNameLength) }
        if name.contains("|") || name.contains(",") || name.contains(where: \.isNewline) { throw .nameBadCharacter(name) }
        guard !existing.contains(name) else { throw .duplicateName(name) }
        return name
    }

    /// Everything but the target: checked before the target is selected.
    public static func check(_ draft: CampaignDraft, today: Day, existingNames: Set<String>) throws(CampaignProblem) {
        _ = try validatedName(draft.name, existing: existingNames)
        guard draft.holdoutBasisPoints > 0, draft.holdoutBasisPoints < 10_000 else {
            throw .holdoutOutOfRange(basisPoints: draft.holdoutBasisPoints)
        }
        guard draft.windowDays >= 1, draft.windowDays <= maxWindowDays else { throw .windowOutOfRange(days: draft.windowDays) }
        let latest = today.adding(days: 1)
        guard draft.start <= latest else { throw .startTooLate(start: draft.start, latest: latest) }
    }

    /// The frozen target's size: not empty, and both groups get at least one member.
    public static func check(targetSize n: Int, holdoutBasisPoints: Int) throws(CampaignProblem) {
        guard n > 0 else { throw .emptyTarget }
        let k = CampaignAssignment.controlSize(target: n, holdoutBasisPoints: holdoutBasisPoints)
        guard k >= 1, n - k >= 1 else { throw .targetTooSmall(target: n, control: k) }
    }

    /// "10", "12.5", "0.25" (percent, up to two decimals) → basis points; nil when not a number.
    /// Range is checked by `check`, so "0" and "100" parse (and are then refused with the rule).
    public static func parseHoldoutPercent(_ text: String) -> Int? {
        let s = text.trimmingSpaces().replacingPercent()
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int(parts[0]), whole >= 0, whole <= 1_000_000 else { return nil }
        var frac = 0
        if parts.count == 2 {
            let f = parts[1]
            guard f.count >= 1, f.count <= 2, f.allSatisfy(\.isASCII), let v = Int(f), v >= 0 else { return nil }
            frac = f.count == 1 ? v * 10 : v
        }
        return whole * 100 + frac
    }

    /// Basis points as a percent for people: 1000 → "10", 1250 → "12.5", 25 → "0.25".
    public static func percentText(_ bp: Int) -> String {
        let whole = bp / 100, frac = abs(bp % 100)
        if frac == 0 { return String(whole) }
        return frac % 10 == 0 ? "\(whole).\(frac / 10)" : "\(whole).\(frac < 10 ? "0" : "")\(frac)"
    }
}

extension String {
    fileprivate func replacingPercent() -> String { hasSuffix("%") ? String(dropLast()) : self }
}
