import ECRMDomain

/// One line of a member list or search result.
public struct MemberSummary: Sendable, Equatable, Codable {
    public var id: Int64
    public var buyerId: String
    public var nick: String
    public var name: String
    /// Masked as read from the store (138****5678); clear only where a caller put a revealed number.
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
    public var isBlacklisted: Bool { status == MemberStatus.blacklist.rawValue }
}

/// Everything the member card (会员名片) shows.
public struct MemberDetail: Sendable, Equatable, Codable {
    public struct OrderLine: Sendable, Equatable, Codable {
        /// The order number as the shop wrote it.
        public var orderId: String
        /// Its channel key (PRODUCT.md: Channels).
        public var channel: String
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
    public var nextTier: NextTier?
    /// The member's identities, its first (home) one first, each with its orders and paid spend
    /// (PRODUCT.md: One member across channels).
    public var identities: [MemberIdentity] = []

    /// The next enabled tier above the member's and how much is still missing.
    public struct NextTier: Sendable, Equatable, Codable {
        public var name: String
        /// Fen when the metric is amount, orders when it is count.
        public var missing: Int64
        public var metric: TierMetric
    }
}
