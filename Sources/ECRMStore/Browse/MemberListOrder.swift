import GRDB
import ECRMDomain

/// How a console member list is ordered. Every order is backed by an index or a list-order table
/// (ListOrders) so a page costs one seek, also at a million members.
public enum MemberSort: String, CaseIterable, Sendable {
    /// Last paid order, newest first (the default: who bought recently is who chats now).
    case recency
    /// Cumulative paid amount, biggest first.
    case spend
    /// Nick, A→Z / by code point.
    case nick

    public var next: MemberSort {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// One keyset-paged run of members: a FROM clause, a filter, and an ORDER BY key plus the
/// member id as the tie-break. A list is one or more runs shown one after another
/// (e.g. buyers by last paid date, then members who never bought).
struct MemberRun: Equatable, Sendable {
    var from: String
    var filter: String
    var arguments: StatementArguments = []
    /// Sort key expression; nil orders by the id alone.
    var key: String?
    var id: String
    var descending: Bool
    /// `SELECT count(*) …` for this run; nil = total members minus the other runs.
    var countSQL: String?

    /// The whole store's buyers page through the list-order tables (ListOrders: one row per
    /// member_stats row, or per one with a last paid time), their stats row joined for the columns shown;
    /// CROSS JOIN keeps the list table first, so a page is a range of it.
    static let lastJoin = "member_list_last l CROSS JOIN member_stats s ON s.member_id = l.member_id CROSS JOIN member m ON m.id = l.member_id"
    static let spendJoin = "member_list_spend l CROSS JOIN member_stats s ON s.member_id = l.member_id CROSS JOIN member m ON m.id = l.member_id"
    static let memberLeftStats = "member m LEFT JOIN member_stats s ON s.member_id = m.id"

    /// The runs of the whole store's list: index-ordered, buyers then members who never bought.
    static func runs(sort: MemberSort) -> [MemberRun] {
        switch sort {
        case .recency:
            return [
                MemberRun(from: lastJoin, filter: "1", key: "l.last_paid_at", id: "l.member_id",
                          descending: true, countSQL: "SELECT count(*) FROM member_list_last"),
                MemberRun(from: memberLeftStats, filter: "s.last_paid_at IS NULL", key: nil, id: "m.id", descending: true),
            ]
        case .spend:
            return [
                MemberRun(from: spendJoin, filter: "1", key: "l.paid_sum", id: "l.member_id", descending: true,
                          countSQL: "SELECT count(*) FROM member_list_spend"),
                MemberRun(from: memberLeftStats, filter: "s.member_id IS NULL", key: nil, id: "m.id", descending: true),
            ]
        case .nick:
            return [MemberRun(from: memberLeftStats, filter: "1", key: "m.nick", id: "m.id", descending: false,
                              countSQL: "SELECT count(*) FROM member")]
        }
    }

    /// The run of a set's list (its translation `q`): small enough relative to the store that a
    /// filtered top-N sort per page is fine, except a set driven by the stored RFM computation in
    /// recency order, which pages through the (segment|r,f|lifecycle, last_paid) index: a page is an
    /// index range, not a sort of the whole segment (a 300k-member segment took 100-250 ms so).
    static func run(sort: MemberSort, _ q: MemberSetSQL) -> MemberRun {
        let count = "SELECT count(*) FROM \(q.from) WHERE \(q.filter)"
        if q.rfmDriven && sort == .recency {
            return MemberRun(from: q.listFrom, filter: q.filter, arguments: q.arguments, key: "r.last_paid", id: "r.member_id",
                             descending: true, countSQL: count)
        }
        return scoped(sort, from: q.listFrom, filter: q.filter, q.arguments, count: count)
    }

    private static func scoped(_ sort: MemberSort, from: String, filter: String, _ args: StatementArguments, count: String) -> MemberRun {
        let key: String
        var descending = true
        switch sort {
        case .recency: key = "coalesce(s.last_paid_at, '')"
        case .spend: key = "coalesce(s.paid_sum, 0)"
        case .nick: key = "m.nick"; descending = false
        }
        return MemberRun(from: from, filter: filter, arguments: args, key: key, id: "m.id", descending: descending, countSQL: count)
    }
}
