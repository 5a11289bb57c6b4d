import ECRMDomain
import ECRMStore

/// Every word the console shows, one table per language (LabelsZh.swift, LabelsEn.swift), so a
/// screen never mixes languages by accident and a new language is one more table.
public struct Labels: Sendable {
    public var language: MessageLanguage
    // Panes and chrome
    var panes: [String]                 // 会员 分层 标签 等级 审计
    var helpTitle: String
    var helpScroll, helpClose, helpUnavailable: String
    var contextTitles: [String: String]
    var searchPrompt: String
    var commandPrompt: String
    var sortNames: [MemberSort: String]
    var searchStatus: @Sendable (_ query: String, _ count: String) -> String
    var searching: String
    var noMatches: @Sendable (String) -> String
    var scopeSegment: @Sendable (String) -> String
    var scopeTag: @Sendable (String) -> String
    var scopeTier: @Sendable (String) -> String
    var loading: String
    var empty: String
    var noSearch: String
    var cardRefreshed: String
    /// "waiting for alice's import…": the words are the store's (WriteHolder.message), shared with the CLI.
    var waitingFor: @Sendable (WriteHolder) -> String
    // Members table
    var colNick, colName, colPhone, colTier, colLastPaid, colOrders, colSpend, colRegion, colSegment: String
    // Card
    var phone, reveal, revealed, birthday, age, birthdaySoon, birthdayToday, region, cardNo, joined: String
    var tier, nextTier: String
    var nextTierMissing: @Sendable (_ missing: String, _ tier: String) -> String
    var topTier, status, normal, blacklisted, rfm, segment, lifecycle, returning, tags, notes, recentOrders, spend12: String
    var none: String
    var genders: [String: String]
    var orderStatus: [String: String]
    var days: @Sendable (Int) -> String
    var orders: @Sendable (Int) -> String
    var manualTier: String
    // Forms
    var revealTitle, reasonLabel, addTagTitle, removeTagTitle, tagLabel, noteTitle, noteLabel: String
    var required: String
    var noSuchTag: String
    var tagAdded: @Sendable (String) -> String
    var tagRemoved: @Sendable (String) -> String
    var noteAdded: String
    var phoneRevealed: String
    // Segments / tags / tiers / audit
    var segmentsTitle: @Sendable (_ asOf: String, _ window: String, _ scored: Int, _ members: Int) -> String
    var windowAll: String
    var computingRFM: String
    var computedLive: String
    var colCount, colShare, colSpendSum, colAverage: String
    var lifecycleTitle: String
    var gridTitle: String
    var tagsTitle, colTag, colMembers, noTags: String
    var tiersTitle, colLevel, colEnabled, colThreshold, colDiscount: String
    var yes, no: String
    var tierThreshold: @Sendable (_ metric: TierMetric, _ value: Int64) -> String
    var tiersPublished: @Sendable (Int64?) -> String
    var blacklistCount: @Sendable (Int) -> String
    var auditTitle, colTime, colOperator, colAction, colTarget, colDetail: String
    /// `/` in the Audit pane: the filter form and the status line while it holds.
    var auditFilterTitle, auditFilterField: String
    var auditFiltered: @Sendable (_ text: String, _ count: String) -> String
    // Commands
    var unknownCommand: @Sendable (String) -> String
    var exported: @Sendable (_ count: Int, _ file: String) -> String
    var exporting: String
    var themeSet: @Sendable (String) -> String
    var langSet: String
    var unknownTheme: @Sendable (_ name: String, _ available: String) -> String
    var ruleTagByHand: @Sendable (String) -> String
    /// `q` at a pane's top: quitting asks once.
    var quitAgain: String
    /// A key that would leave an open yes/no question.
    var answerFirst: String
    var confirmAnswer: String
    var usage: @Sendable (String) -> String
    // Key descriptions: binding name → (help description, hint label or nil)
    var keys: [String: (String, String?)]

    public static func forLanguage(_ l: MessageLanguage) -> Labels { l == .zh ? .zh : .en }

    /// `--lang` wins (nil when it is neither zh nor en); else zh when LANG starts with zh; else English.
    public static func language(flag: String?, environment: [String: String]) -> MessageLanguage? {
        if let f = flag { return MessageLanguage(rawValue: f.lowercased()) }
        return (environment["LANG"] ?? "").lowercased().hasPrefix("zh") ? .zh : .en
    }

    func segmentName(_ s: Segment) -> String { language == .zh ? s.chineseName : s.englishName }
    func lifecycleName(_ l: Lifecycle) -> String { language == .zh ? l.chineseName : l.englishName }
    func roleName(_ r: OperatorRole) -> String { language == .zh ? r.chineseName : r.englishName }
    func refusal(_ r: PermissionRefusal) -> String { r.message(language) }
}
