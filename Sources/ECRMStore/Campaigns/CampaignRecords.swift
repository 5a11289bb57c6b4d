import ECRMDomain

/// Where a campaign stands today: `running` until its window ends, then `ended`; `closed` once the
/// owner closes it (it then counts as no one's running campaign).
public enum CampaignStatus: String, Sendable, Codable, CaseIterable { case running, ended, closed }

/// A campaign as defined at creation (frozen) plus its status, tag and last headline.
public struct CampaignInfo: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var target: [MemberSet]
    public var targetText: String
    public var holdoutBasisPoints: Int
    public var seed: UInt64
    public var start: Day
    public var windowDays: Int
    public var targetSize: Int
    public var controlSize: Int
    public var treatmentSize: Int { targetSize - controlSize }
    /// The shop's base repurchase rate measured at creation (nil = undefined).
    public var baseRate: Double?
    /// The treatment tag's current name; nil once deleted.
    public var tag: String?
    public var closed: Bool
    public var createdAt: String
    public var createdBy: String
    public var closedAt: String?
    public var closedBy: String?
    /// Last computed uplift and p-value (nil until the outcome was first looked at).
    public var headlineUplift: Double?
    public var headlinePValue: Double?
    public var headlineAt: String?
    /// Whether that headline was computed from the paid histories as they are now (false: never
    /// computed, or orders changed since; `CampaignService.refreshHeadlines` brings it up to date).
    public var headlineCurrent = false

    /// First day after the window: orders count when paid on start ≤ day < end.
    public var end: Day { start.adding(days: windowDays) }

    public func status(today: Day) -> CampaignStatus {
        if closed { return .closed }
        return today < end ? .running : .ended
    }

    /// 2.80·√(p₀(1−p₀)(1/n_t + 1/n_c)) (PRODUCT.md).
    public var minDetectableUplift: Double {
        CampaignPower.minDetectableUplift(baseRate: baseRate, treatment: treatmentSize, control: controlSize)
    }
}

/// The outcome of one campaign so far (PRODUCT.md: Outcome).
public struct CampaignReport: Sendable, Equatable {
    public var info: CampaignInfo
    /// The day the report was computed for; `running` compares it with the window.
    public var today: Day
    public var treatment: GroupOutcome
    public var control: GroupOutcome
    public var effect: CampaignEffect
    /// Cumulative uplift on each day of the window so far (day 0 = the start).
    public var daily: [Double]
    /// Members of this target who are in another running campaign.
    public var overlap: Int
    /// Responders of each group (member ids, ascending), for drill-down.
    public var treatmentResponders: [Int64]
    public var controlResponders: [Int64]
    /// The paid-history version the report was computed from (StatsVersion).
    var statsVersion: Int64 = 0
    public var running: Bool { info.status(today: today) == .running }
}

/// What creating a campaign reports back (the group sizes and what the campaign can detect).
public struct CampaignCreated: Sendable, Equatable {
    public var info: CampaignInfo
    public var blacklistedLeftOut: Int
    /// Where creating it went, for the benchmark: "rfm=0.61/0.60 …" (wall/CPU seconds per phase).
    public var phases = ""
    public var minDetectableUplift: Double { info.minDetectableUplift }
    public var warnsDetectable: Bool { minDetectableUplift > CampaignPower.warnAbove }
}
