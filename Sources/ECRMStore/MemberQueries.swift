import Foundation
import GRDB
import GRDBSQLite
import ECRMDomain

/// Reads members for lists, search results and the member card.
public enum MemberQueries {
    static let summaryColumns = """
        m.id, m.buyer_id, m.nick, m.name, m.phone, m.province, m.city, m.tier, m.status,
        s.last_paid_at, coalesce(s.paid_count, 0), coalesce(s.paid_sum, 0)
        """

    /// The phone leaves the store masked: only `MemberActions.revealPhone(s)` (audited) give it clear.
    static func summary(_ row: Row) -> MemberSummary {
        MemberSummary(id: row[0], buyerId: row[1], nick: row[2], name: row[3], phone: Phone.masked(row[4]), province: row[5],
                      city: row[6], tier: row[7], status: row[8], lastPaidAt: row[9], paidCount: row[10], paidSum: row[11])
    }

    static func summaries(_ db: Database, ids: [Int64]) throws -> [MemberSummary] {
        guard !ids.isEmpty else { return [] }
        let rows = try Row.fetchAll(db, sql: "SELECT \(summaryColumns) FROM member m LEFT JOIN member_stats s ON s.member_id = m.id WHERE m.id IN (\(ids.map(String.init).joined(separator: ",")))")
        let byId = Dictionary(rows.map { (($0[0] as Int64), summary($0)) }, uniquingKeysWith: { a, _ in a })
        return ids.compactMap { byId[$0] }
    }

    /// Finds one member by buyer_id, exact nick, phone or order number (for `member show`).
    static func resolve(_ db: Database, _ key: String) throws -> Int64? {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM member WHERE buyer_id = ?", arguments: [key]) { return id }
        // Any channel's identity: a JD account, a Shopify e-mail, an offline card number.
        if let id = try Identities.members(externalId: key.trimmingSpaces(), db, limit: 1).first { return id }
        // Several members may share a nick: the most recent buyer (search rank order).
        if let id = try ExactLookup.members(nick: key, db, limit: 1).first { return id }
        let digits = Phone.normalized(key)
        if digits == key.trimmingSpaces(), !digits.isEmpty {
            if digits.count == 11, let id = try ExactLookup.members(phone: digits, db, limit: 1).first { return id }
        }
        return try OrderLookup.members(number: key.trimmingSpaces(), db).first
    }

    /// A member's latest orders, newest paid time first (never-paid orders, with no time, last):
    /// the member's order list, then each order by its key.
    static func recentOrders(_ db: Database, member: Int64, limit: Int) throws -> [MemberDetail.OrderLine] {
        let read = try db.cachedStatement(sql: "SELECT order_id, paid_at, amount, status, items, coalesce(order_no, CAST(order_id AS TEXT)), coalesce(channel, '\(Channel.default.rawValue)') FROM orders WHERE order_id = ?")
        var lines: [(key: Int64, line: MemberDetail.OrderLine)] = []
        for order in try MemberOrderLists.ids(of: member, db) {
            guard let row = try Row.fetchOne(read, arguments: [order]) else { continue }
            lines.append((row[0], MemberDetail.OrderLine(orderId: row[5], channel: row[6], paidAt: row[1], amount: row[2], status: row[3], items: row[4])))
        }
        lines.sort { ($0.line.paidAt, $0.key) > ($1.line.paidAt, $1.key) }
        return Array(lines.prefix(limit).map(\.line))
    }

    static func detail(_ db: Database, id: Int64, asOf: Day = Clock.today()) throws -> MemberDetail? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT \(summaryColumns), m.gender, m.birthday, m.joined_at, m.card_no, m.tier_source, s.paid_days
            FROM member m LEFT JOIN member_stats s ON s.member_id = m.id WHERE m.id = ?
            """, arguments: [id]) else { return nil }
        let summary = summary(row)
        let ladder = try TierStore.liveLadder(db) ?? .initial
        let config = try RFMEngine.loadConfig(db)
        let settings = config.settings(asOf: asOf)
        var acc = RFMAccumulator(settings: settings)
        var monthly = [Fen](repeating: 0, count: 12)
        let (ay, am, _) = asOf.components
        if let blob = row[17] as Data? {
            blob.withUnsafeBytes { raw in
                PaidHistory.fold(blob: raw, into: &acc)
                let h = PaidHistory(blob: raw)
                for i in 0..<h.count {
                    let c = Day(number: h.days[i]).components
                    let monthsAgo = (ay - c.year) * 12 + (am - c.month)
                    if monthsAgo >= 0 && monthsAgo < 12 { monthly[11 - monthsAgo] += h.amounts[i] }
                }
            }
        }
        let measure = acc.measure()
        // The stored score (from the last recompute) is the shop-relative one; R/F/M are live.
        // R is the stored last paid day under the stored scale (RFMDerivedR).
        let scoreRow = try Row.fetchOne(db, sql: "SELECT frequency, last_paid, f, m, segment FROM member_rfm WHERE member_id = ?", arguments: [id])
        let derived = scoreRow == nil ? nil : try RFMDerivedR.stored(db)
        let score = scoreRow.map {
            RFMScore(r: RFMDerivedR.r(derived, frequency: $0[0], lastPaid: $0[1]), f: $0[2], m: $0[3], segment: Segment(code: $0[4]) ?? .none)
        }
        let tags = try String.fetchAll(db, sql: "SELECT t.name FROM member_tag mt JOIN tag t ON t.id = mt.tag_id WHERE mt.member_id = ? ORDER BY t.name", arguments: [id])
        let notes = try Row.fetchAll(db, sql: "SELECT id, operator, created_at, body FROM member_note WHERE member_id = ? ORDER BY id DESC", arguments: [id]).map {
            MemberDetail.Note(id: $0[0], operatorName: $0[1], createdAt: $0[2], body: $0[3])
        }
        let orders = try recentOrders(db, member: id, limit: 10)
        let blacklisted = summary.isBlacklisted
        let next = blacklisted ? nil : ladder.nextStep(from: summary.tier, paidAmount: summary.paidSum, paidCount: summary.paidCount)
        var detail = MemberDetail(
            summary: summary, gender: row[12], birthday: row[13], joinedAt: row[14], cardNo: row[15], tierSource: row[16],
            tierName: ladder.name(of: summary.tier), discount: blacklisted ? 1000 : ladder.discount(of: summary.tier),
            firstPaid: measure.firstPaid, lastPaid: measure.lastPaid, measure: measure, score: score,
            lifecycle: measure.lifecycle(asOf: asOf, windows: config.lifecycle), tags: tags, notes: notes,
            recentOrders: orders, monthlySpend: monthly,
            nextTier: next.map { MemberDetail.NextTier(name: $0.level.name, missing: $0.missing, metric: ladder.metric) })
        detail.identities = try Identities.list(db, member: id)
        return detail
    }
}
