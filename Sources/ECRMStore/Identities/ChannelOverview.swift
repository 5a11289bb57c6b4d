import Foundation
import GRDB
import GRDBSQLite
import ECRMDomain

/// The channels view (PRODUCT.md: One member across channels; like Youzan's channel dashboard):
/// members per channel, members seen in two or more channels, links made in the last 30 days, and
/// paid orders and spend per channel.
///
/// Read in one transaction, the operator's right checked inside it. At 1M members / 5M orders it
/// never scans the orders table or the member table:
/// - members per channel come from one pass over `member_identity` (each row with its member's
///   `channel`, to know whether the member also has its implicit Taobao identity); every member
///   without a row is a Taobao-only member (a member whose channel is set always has its home row);
/// - spend per channel: an order's channel is `orders.channel`, NULL = taobao, and NULL only for a
///   plain Taobao number, which is its own key below `OrderNumber.surrogateBase`. Every other order
///   (text numbers, every other channel) has a key from there up, so one range read over those keys
///   gives their channels, and the plain Taobao orders are the members' paid totals
///   (`member_stats`, the same sums the census checks against the orders) minus them.
public struct ChannelOverview: Sendable, Equatable, Codable {
    public struct Row: Sendable, Equatable, Codable {
        /// The channel key (Channel raw value).
        public var channel: String
        /// Members with at least one identity in this channel.
        public var members: Int
        /// Identities of this channel linked to a member (phone, manual, merge) in the window.
        public var linked: Int
        public var paidOrders: Int64
        /// Paid orders' amounts, fen.
        public var spend: Fen
    }

    /// Links made in the window, by how they were made (member_identity.how).
    public struct Links: Sendable, Equatable, Codable {
        public var phone = 0
        public var manual = 0
        public var merge = 0
        public var total: Int { phone + manual + merge }
    }

    /// The window of "links made in the last 30 days": `since` … `asOf`, both days included.
    public static let linkWindowDays = 30

    public var asOf: Day
    public var since: Day
    public var members: Int
    /// Members with identities in two or more channels.
    public var multiChannel: Int
    public var links: Links
    /// Channels with a member or a paid order, in Channel order.
    public var channels: [Row]
    /// Duplicate candidate pairs waiting for a person (`ecrm duplicates`).
    public var openCandidates: Int
    public var paidOrders: Int64 { channels.reduce(0) { $0 + $1.paidOrders } }
    public var spend: Fen { channels.reduce(0) { $0 + $1.spend } }

    /// One read transaction; any operator of the store may look (staff too: counts and sums only).
    public static func compute(_ store: Store, asOf: Day = Clock.today()) throws -> ChannelOverview {
        try store.read(.require(.lookUp)) { try compute($0, asOf: asOf) }
    }

    static func compute(_ db: Database, asOf: Day) throws -> ChannelOverview {
        let since = asOf.adding(days: -(linkWindowDays - 1))
        let all = Channel.allCases
        var members = [Int](repeating: 0, count: all.count)
        var linked = [Int](repeating: 0, count: all.count)
        var links = Links()
        var multi = 0
        let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM member") ?? 0

        // Members with identity rows, one member at a time (rows in member_id order).
        let from = Array("\(since) 00:00:00".utf8), to = Array("\(asOf) 23:59:59".utf8)
        var withRows = 0
        var current: Int64 = -1
        var mask: UInt32 = 0
        func close() {
            guard current >= 0 else { return }
            withRows += 1
            if mask.nonzeroBitCount >= 2 { multi += 1 }
            for i in all.indices where mask & (1 << UInt32(i)) != 0 { members[i] += 1 }
        }
        let keys = all.map { Array($0.rawValue.utf8) }
        let other = all.firstIndex(of: .other)!, taobao = all.firstIndex(of: .taobao)!
        let scan = try RawStatement(db, """
            SELECT i.member_id, i.channel, i.how, i.linked_at, m.channel IS NULL
            FROM member_identity i CROSS JOIN member m ON m.id = i.member_id
            ORDER BY i.member_id
            """)
        defer { sqlite3_reset(scan.handle) }
        let h = scan.handle
        while try scan.next() {
            let member = sqlite3_column_int64(h, 0)
            if member != current {
                close()
                current = member
                mask = sqlite3_column_int(h, 4) != 0 ? 1 << UInt32(taobao) : 0
            }
            // A channel key the store does not know (written by a newer ecrm) counts as other.
            let channel = text(h, 1)
            let c = keys.firstIndex { k in k.withUnsafeBytes { $0.elementsEqual(channel) } } ?? other
            mask |= 1 << UInt32(c)
            let how = text(h, 2)
            guard !how.elementsEqual("new".utf8) else { continue }
            let at = text(h, 3)
            guard !at.lexicographicallyPrecedes(from), !to.lexicographicallyPrecedes(at.prefix(to.count)) else { continue }
            linked[c] += 1
            if how.elementsEqual("phone".utf8) { links.phone += 1 }
            else if how.elementsEqual("manual".utf8) { links.manual += 1 }
            else if how.elementsEqual("merge".utf8) { links.merge += 1 }
        }
        close()
        // Every member without a row has only its implicit Taobao identity.
        members[taobao] += total - withRows

        // Paid orders and spend.
        var orders = [Int64](repeating: 0, count: all.count)
        var spend = [Fen](repeating: 0, count: all.count)
        var keyedOrders: Int64 = 0, keyedSpend: Fen = 0
        for r in try GRDB.Row.fetchAll(db, sql: """
            SELECT coalesce(channel, 'taobao'), count(*), coalesce(sum(amount), 0) FROM orders
            WHERE order_id >= ? AND status = ? GROUP BY 1
            """, arguments: [OrderNumber.surrogateBase, OrderStatus.paid.rawValue]) {
            let c = all.firstIndex(of: Channel(rawValue: r[0]) ?? .other)!
            orders[c] += r[1]; spend[c] += r[2]
            keyedOrders += r[1]; keyedSpend += r[2]
        }
        if let r = try GRDB.Row.fetchOne(db, sql: "SELECT coalesce(sum(paid_count), 0), coalesce(sum(paid_sum), 0) FROM member_stats") {
            orders[taobao] += (r[0] as Int64) - keyedOrders
            spend[taobao] += (r[1] as Fen) - keyedSpend
        }

        let rows = all.indices.compactMap { i -> Row? in
            guard members[i] > 0 || orders[i] > 0 || spend[i] != 0 else { return nil }
            return Row(channel: all[i].rawValue, members: members[i], linked: linked[i], paidOrders: orders[i], spend: spend[i])
        }
        let open = try Int.fetchOne(db, sql: "SELECT count(*) FROM duplicate_candidate WHERE state = 'open'") ?? 0
        return ChannelOverview(asOf: asOf, since: since, members: total, multiChannel: multi, links: links, channels: rows, openCandidates: open)
    }

    /// Column `i` of the current row as bytes (empty for NULL), valid until the next step.
    private static func text(_ h: OpaquePointer, _ i: Int32) -> UnsafeRawBufferPointer {
        guard let p = sqlite3_column_text(h, i) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(h, i)))
    }
}

extension Store {
    /// The channels view on the change feed (Changes/): the overview now and after every commit
    /// that changes it (an import, a link, a merge), by anyone. About a second of CPU at 1M
    /// members, like the Health pane's; only while the view is on screen.
    public func observeChannels(asOf: Day, onError: @escaping @Sendable (Error) -> Void,
                                onChange: @escaping @Sendable (ChannelOverview) -> Void) -> StoreObservation {
        observe({ [self] in try ChannelOverview.compute(self, asOf: asOf) }, onError: onError, onChange: onChange)
    }
}
