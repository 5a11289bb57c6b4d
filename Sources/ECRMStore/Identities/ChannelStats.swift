import Foundation
import GRDB
import ECRMDomain

/// The channels view (`ecrm channels`, the console's Channels view; PRODUCT.md: One member across
/// channels, like Youzan's channel dashboard): members per channel, members seen in two or more
/// channels, identities linked in the last 30 days, and paid orders and spend per channel.
public struct ChannelOverview: Sendable, Equatable, Codable {
    public struct Line: Sendable, Equatable, Codable {
        public var channel: String
        /// Members with an identity in the channel.
        public var members: Int
        /// Paid orders placed in the channel and their amount (fen).
        public var paidOrders: Int
        public var spend: Int64
    }
    /// Channels with members or paid orders, in Channel order.
    public var channels: [Line]
    public var members: Int
    /// Members with identities in two or more channels.
    public var multiChannelMembers: Int
    /// Identities linked to a member (by phone on import, or by hand) in the last 30 days.
    public var linksLast30Days: Int
    public var phoneLinksLast30Days: Int
    public var manualLinksLast30Days: Int
    /// Open duplicate candidates.
    public var openCandidates: Int
    public var since: String
}

public enum ChannelStats {
    public static func overview(_ store: Store, now: Date = Date()) throws -> ChannelOverview {
        try store.translate { try store.pool.read { try overview($0, now: now) } }
    }

    static func overview(_ db: Database, now: Date = Date()) throws -> ChannelOverview {
        var members: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT channel, count(DISTINCT member_id) FROM member_identity GROUP BY channel") {
            members[row[0]] = row[1]
        }
        // Taobao: the implicit identities (member.channel NULL) and the members whose Taobao identity is a row.
        let implicit = try Int.fetchOne(db, sql: "SELECT count(*) FROM member WHERE channel IS NULL") ?? 0
        let rowsOnly = try Int.fetchOne(db, sql: """
            SELECT count(DISTINCT i.member_id) FROM member_identity i JOIN member m ON m.id = i.member_id
            WHERE i.channel = 'taobao' AND m.channel IS NOT NULL
            """) ?? 0
        if implicit + rowsOnly > 0 { members[Channel.taobao.rawValue] = implicit + rowsOnly }
        // Paid orders: a text-numbered order names its channel (orders_number's rows); every other is
        // Taobao's, the rest of member_stats' totals (which count every paid order once).
        var orders: [String: (Int, Int64)] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT channel, count(*), coalesce(sum(amount), 0) FROM orders INDEXED BY orders_number
            WHERE order_no IS NOT NULL AND status = 'paid' GROUP BY channel
            """) {
            orders[row[0]] = (row[1], row[2])
        }
        let total = try Row.fetchOne(db, sql: "SELECT coalesce(sum(paid_count), 0), coalesce(sum(paid_sum), 0) FROM member_stats")!
        var others = (0, Int64(0))
        for (c, v) in orders where c != Channel.taobao.rawValue { others.0 += v.0; others.1 += v.1 }
        let taobao = ((total[0] as Int) - others.0, (total[1] as Int64) - others.1)
        if taobao.0 > 0 { orders[Channel.taobao.rawValue] = taobao }
        let lines = Channel.allCases.compactMap { c -> ChannelOverview.Line? in
            let m = members[c.rawValue] ?? 0, o = orders[c.rawValue] ?? (0, 0)
            return m == 0 && o.0 == 0 ? nil : .init(channel: c.rawValue, members: m, paidOrders: o.0, spend: o.1)
        }
        let multi = try Int.fetchOne(db, sql: """
            SELECT count(*) FROM (
                SELECT i.member_id FROM member_identity i JOIN member m ON m.id = i.member_id GROUP BY i.member_id
                HAVING count(DISTINCT i.channel) + (max(m.channel IS NULL) AND sum(i.channel = 'taobao') = 0) >= 2)
            """) ?? 0
        let since = Self.localTime(now.addingTimeInterval(-30 * 86_400))
        let links = try Row.fetchAll(db, sql: "SELECT how, count(*) FROM member_identity WHERE how IN ('phone', 'manual') AND linked_at >= ? GROUP BY how",
                                     arguments: [since])
        var byHow: [String: Int] = [:]
        for r in links { byHow[r[0]] = r[1] }
        return ChannelOverview(
            channels: lines, members: try Int.fetchOne(db, sql: "SELECT count(*) FROM member") ?? 0, multiChannelMembers: multi,
            linksLast30Days: byHow.values.reduce(0, +), phoneLinksLast30Days: byHow["phone"] ?? 0, manualLinksLast30Days: byHow["manual"] ?? 0,
            openCandidates: try Int.fetchOne(db, sql: "SELECT count(*) FROM duplicate_candidate WHERE state = 'open'") ?? 0,
            since: since)
    }

    /// The shop's local time of a moment, as the store writes times.
    static func localTime(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970)
        var tmv = tm()
        localtime_r(&t, &tmv)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", Int(tmv.tm_year) + 1900, Int(tmv.tm_mon) + 1, Int(tmv.tm_mday),
                      Int(tmv.tm_hour), Int(tmv.tm_min), Int(tmv.tm_sec))
    }
}
