/// The eight RFM segments (PRODUCT.md: RFM), keyed by whether each score is high (≥ the mean score).
/// High R means recent.
public enum Segment: String, Sendable, CaseIterable, Codable {
    case importantValue = "important_value"
    case importantDevelop = "important_develop"
    case importantRetain = "important_retain"
    case importantWinback = "important_winback"
    case generalValue = "general_value"
    case generalDevelop = "general_develop"
    case generalRetain = "general_retain"
    case generalWinback = "general_winback"
    /// Not scored: no paid order in the window (F = 0).
    case none

    public static func classify(rHigh: Bool, fHigh: Bool, mHigh: Bool) -> Segment {
        switch (rHigh, fHigh, mHigh) {
        case (true, true, true): return .importantValue
        case (true, false, true): return .importantDevelop
        case (false, true, true): return .importantRetain
        case (false, false, true): return .importantWinback
        case (true, true, false): return .generalValue
        case (true, false, false): return .generalDevelop
        case (false, true, false): return .generalRetain
        case (false, false, false): return .generalWinback
        }
    }

    /// By key or by the Chinese name people use (重要价值客户): the command line takes either.
    public static func named(_ text: String) -> Segment? {
        Segment(rawValue: text) ?? allCases.first { $0.chineseName == text || $0.englishName.lowercased() == text.lowercased() }
    }

    public var chineseName: String {
        switch self {
        case .importantValue: return "重要价值客户"
        case .importantDevelop: return "重要发展客户"
        case .importantRetain: return "重要保持客户"
        case .importantWinback: return "重要挽留客户"
        case .generalValue: return "一般价值客户"
        case .generalDevelop: return "一般发展客户"
        case .generalRetain: return "一般保持客户"
        case .generalWinback: return "一般挽留客户"
        case .none: return "未分层"
        }
    }

    public var englishName: String {
        switch self {
        case .importantValue: return "Important value"
        case .importantDevelop: return "Important develop"
        case .importantRetain: return "Important retain"
        case .importantWinback: return "Important win-back"
        case .generalValue: return "General value"
        case .generalDevelop: return "General develop"
        case .generalRetain: return "General retain"
        case .generalWinback: return "General win-back"
        case .none: return "Not scored"
        }
    }

    /// Stable small integer for compact storage; the order of `allCases`.
    public var code: UInt8 { UInt8(Segment.allCases.firstIndex(of: self)!) }
    public init?(code: UInt8) {
        guard Int(code) < Segment.allCases.count else { return nil }
        self = Segment.allCases[Int(code)]
    }
}

/// Lifecycle stage, independent of the RFM window (PRODUCT.md: Lifecycle).
public enum Lifecycle: String, Sendable, CaseIterable, Codable {
    case new, active, sleeping, lost, none

    /// The stage of a member who bought (PRODUCT.md: Lifecycle): new while the first paid order is at
    /// most `newDays` old (a new buyer is never sleeping), else by the days since the last one:
    /// active up to `activeDays`, sleeping up to `sleepingDays`, lost beyond. Every lifecycle in
    /// the product (RFM, shop health's reactivation) comes from here.
    @inlinable
    public static func of(daysSinceFirst: Int, daysSinceLast r: Int, windows: LifecycleWindows) -> Lifecycle {
        if daysSinceFirst <= windows.newDays { return .new }
        if r <= windows.activeDays { return .active }
        if r <= windows.sleepingDays { return .sleeping }
        return .lost
    }

    /// By key or by the Chinese name (新客, 活跃…): the command line takes either.
    public static func named(_ text: String) -> Lifecycle? {
        Lifecycle(rawValue: text) ?? allCases.first { $0.chineseName == text || $0.englishName.lowercased() == text.lowercased() }
    }

    public var chineseName: String {
        switch self {
        case .new: return "新客"
        case .active: return "活跃"
        case .sleeping: return "沉睡"
        case .lost: return "流失"
        case .none: return "未购买"
        }
    }

    public var englishName: String {
        switch self {
        case .new: return "New"
        case .active: return "Active"
        case .sleeping: return "Sleeping"
        case .lost: return "Lost"
        case .none: return "Never bought"
        }
    }

    public var code: UInt8 { UInt8(Lifecycle.allCases.firstIndex(of: self)!) }
    public init?(code: UInt8) {
        guard Int(code) < Lifecycle.allCases.count else { return nil }
        self = Lifecycle.allCases[Int(code)]
    }
}
