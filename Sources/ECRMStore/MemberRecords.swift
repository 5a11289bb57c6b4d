import ECRMDomain

/// One line of a member list or search result.
public struct MemberSummary: Sendable, Equatable, Codable {
    public var id: Int64
    public var buyerId: String
    public var nick: String
    public var name: String
    /// Stored clear; show `maskedPhone` unless the operator revealed it.
    public var phone: String
    public var province: String
    public var city: String
    public var tier: Int
    public var status: String
    public var lastPaidAt: String?
    public var paidCount: Int
    public var paidSum: Fen
    /// Why this member matched a search ("exact nick", "phone tail", "order 123…"), empty for plain lists.
    public var matchedBy: String = ""

    public var maskedPhone: String { Phone.masked(phone) }
}

/// Everything the member card (会员名片) shows.
public struct MemberDetail: Sendable, Equatable, Codable {
    public struct OrderLine: Sendable, Equatable, Codable {
        public var orderId: Int64
        public var paidAt: String
        public var amount: Fen
        public var status: String
        public var items: Int
    }

    public struct Note: Sendable, Equatable, Codable {
        public var id: Int64
        public var operatorName: String
        public var createdAt: String
        public var body: String
    }

    public var summary: MemberSummary
    public var gender: String
    public var birthday: String?
    public var joinedAt: String?
    public var cardNo: String?
    public var tierSource: String
    public var tierName: String
    public var discount: Int
    public var firstPaid: Day?
    public var lastPaid: Day?
    public var measure: RFMMeasure?
    public var score: RFMScore?
    public var lifecycle: Lifecycle
    public var tags: [String]
    public var notes: [Note]
    public var recentOrders: [OrderLine]
    /// Paid spend per month for the last 12 months, oldest first.
    public var monthlySpend: [Fen]
    /// Next enabled tier and what is still missing (fen or orders, per the ladder's metric).
    public var nextTier: (name: String, missing: Int64, metric: TierMetric)?

    public static func == (a: MemberDetail, b: MemberDetail) -> Bool {
        a.summary == b.summary && a.tags == b.tags && a.notes == b.notes && a.recentOrders == b.recentOrders
            && a.tierName == b.tierName && a.discount == b.discount && a.measure == b.measure
    }

    enum CodingKeys: String, CodingKey {
        case summary, gender, birthday, joinedAt, cardNo, tierSource, tierName, discount, tags, notes, recentOrders, monthlySpend, lifecycle
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        summary = try c.decode(MemberSummary.self, forKey: .summary)
        gender = try c.decode(String.self, forKey: .gender)
        birthday = try c.decodeIfPresent(String.self, forKey: .birthday)
        joinedAt = try c.decodeIfPresent(String.self, forKey: .joinedAt)
        cardNo = try c.decodeIfPresent(String.self, forKey: .cardNo)
        tierSource = try c.decode(String.self, forKey: .tierSource)
        tierName = try c.decode(String.self, forKey: .tierName)
        discount = try c.decode(Int.self, forKey: .discount)
        tags = try c.decode([String].self, forKey: .tags)
        notes = try c.decode([Note].self, forKey: .notes)
        recentOrders = try c.decode([OrderLine].self, forKey: .recentOrders)
        monthlySpend = try c.decode([Fen].self, forKey: .monthlySpend)
        lifecycle = try c.decode(Lifecycle.self, forKey: .lifecycle)
        measure = nil; score = nil; firstPaid = nil; lastPaid = nil; nextTier = nil
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(summary, forKey: .summary)
        try c.encode(gender, forKey: .gender)
        try c.encodeIfPresent(birthday, forKey: .birthday)
        try c.encodeIfPresent(joinedAt, forKey: .joinedAt)
        try c.encodeIfPresent(cardNo, forKey: .cardNo)
        try c.encode(tierSource, forKey: .tierSource)
        try c.encode(tierName, forKey: .tierName)
        try c.encode(discount, forKey: .discount)
        try c.encode(tags, forKey: .tags)
        try c.encode(notes, forKey: .notes)
        try c.encode(recentOrders, forKey: .recentOrders)
        try c.encode(monthlySpend, forKey: .monthlySpend)
        try c.encode(lifecycle, forKey: .lifecycle)
    }

    init(summary: MemberSummary, gender: String, birthday: String?, joinedAt: String?, cardNo: String?, tierSource: String,
         tierName: String, discount: Int, firstPaid: Day?, lastPaid: Day?, measure: RFMMeasure?, score: RFMScore?,
         lifecycle: Lifecycle, tags: [String], notes: [Note], recentOrders: [OrderLine], monthlySpend: [Fen],
         nextTier: (name: String, missing: Int64, metric: TierMetric)?) {
        self.summary = summary; self.gender = gender; self.birthday = birthday; self.joinedAt = joinedAt
        self.cardNo = cardNo; self.tierSource = tierSource; self.tierName = tierName; self.discount = discount
        self.firstPaid = firstPaid; self.lastPaid = lastPaid; self.measure = measure; self.score = score
        self.lifecycle = lifecycle; self.tags = tags; self.notes = notes; self.recentOrders = recentOrders
        self.monthlySpend = monthlySpend; self.nextTier = nextTier
    }
}
