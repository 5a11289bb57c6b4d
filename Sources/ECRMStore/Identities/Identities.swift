import Foundation
import GRDB
import ECRMDomain

/// One identity of a member as the card, `member show` and the merge screens show it: its channel
/// and external id, whether it is the member's first (home) identity, how it came, and the orders
/// and paid spend that came through it.
public struct MemberIdentity: Sendable, Equatable, Codable {
    public var channel: String
    public var externalId: String
    /// The member's first identity (the one it was created with; its buyer_id for Taobao members).
    public var home: Bool
    /// new | phone | manual | merge (IdentityTables.How).
    public var how: String
    /// When it was linked (nil for an implicit Taobao identity: since the member was created).
    public var linkedAt: String?
    public var orders: Int
    /// Paid orders' amounts, in fen.
    public var spend: Int64
    /// The member_identity row (nil: the member's implicit Taobao identity, buyer_id).
    public var rowId: Int64?
}

/// Identities per channel (IdentityTables explains the tables). Reads take a Database inside the
/// caller's read or write; the public calls on a Store are each one transaction.
public enum Identities {
    /// Where an identity lives: its member, and its member_identity row (nil = implicit Taobao).
    public struct Ref: Sendable, Equatable {
        public var member: Int64
        public var row: Int64?
    }

    /// The member an identity belongs to, or nil when no member has it.
    static func find(_ db: Database, channel: Channel, externalId: String) throws -> Ref? {
        if let row = try Row.fetchOne(db, sql: "SELECT id, member_id FROM member_identity WHERE external_id = ? AND channel = ?",
                                      arguments: [externalId, channel.rawValue]) {
            return Ref(member: row[1], row: row[0])
        }
        guard channel == .taobao else { return nil }
        return try Int64.fetchOne(db, sql: "SELECT id FROM member WHERE buyer_id = ? AND channel IS NULL", arguments: [externalId])
            .map { Ref(member: $0, row: nil) }
    }

    /// Members having an identity with this external id in any channel (search: card number, JD
    /// account, Shopify e-mail), at most `limit`.
    static func members(externalId: String, _ db: Database, limit: Int) throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT DISTINCT member_id FROM member_identity WHERE external_id = ? LIMIT \(limit)", arguments: [externalId])
    }

    /// A member's identities, the first (home) one first, then in the order they were linked,
    /// each with the orders and paid spend that came through it.
    static func list(_ db: Database, member: Int64) throws -> [MemberIdentity] {
        guard let m = try Row.fetchOne(db, sql: "SELECT buyer_id, channel, joined_at FROM member WHERE id = ?", arguments: [member]) else { return [] }
        var out: [MemberIdentity] = []
        if (m[1] as String?) == nil {
            out.append(MemberIdentity(channel: Channel.taobao.rawValue, externalId: m[0], home: true, how: IdentityTables.How.new.rawValue,
                                      linkedAt: m[2], orders: 0, spend: 0, rowId: nil))
        }
        for r in try Row.fetchAll(db, sql: "SELECT id, channel, external_id, how, linked_at FROM member_identity WHERE member_id = ? ORDER BY how <> 'new', id",
                                  arguments: [member]) {
            let how: String = r[3]
            out.append(MemberIdentity(channel: r[1], externalId: r[2], home: how == IdentityTables.How.new.rawValue && out.isEmpty,
                                      how: how, linkedAt: r[4], orders: 0, spend: 0, rowId: r[0]))
        }
        // One identity (nearly every member): all its orders, its member's paid total; no order reads.
        if out.count == 1 {
            out[0].orders = try MemberOrderLists.ids(of: member, db).count
            out[0].spend = try Int64.fetchOne(db, sql: "SELECT paid_sum FROM member_stats WHERE member_id = ?", arguments: [member]) ?? 0
            return out
        }
        // Orders through each identity, from the member's order list.
        let read = try db.cachedStatement(sql: "SELECT identity_id, amount, status FROM orders WHERE order_id = ?")
        var tally: [Int64: (Int, Int64)] = [:]   // identity row (0 = implicit) → (orders, spend)
        for order in try MemberOrderLists.ids(of: member, db) {
            guard let r = try Row.fetchOne(read, arguments: [order]) else { continue }
            let key: Int64 = r[0] ?? 0
            var t = tally[key] ?? (0, 0)
            t.0 += 1
            if (r[2] as String) == OrderStatus.paid.rawValue { t.1 += r[1] as Int64 }
            tally[key] = t
        }
        for i in out.indices {
            let t = tally[out[i].rowId ?? 0] ?? (0, 0)
            out[i].orders = t.0
            out[i].spend = t.1
        }
        return out
    }

    public static func list(_ store: Store, member: Int64) throws -> [MemberIdentity] {
        try store.read(.require(.lookUp)) { try list($0, member: member) }
    }

    /// Channels a member has identities in, in Channel order (export's `channels` column).
    static func channels(_ db: Database, member: Int64) throws -> [Channel] {
        var set = Set<String>()
        if try String?.fetchOne(db, sql: "SELECT channel FROM member WHERE id = ?", arguments: [member]) == nil { set.insert(Channel.taobao.rawValue) }
        for c in try String.fetchAll(db, sql: "SELECT DISTINCT channel FROM member_identity WHERE member_id = ?", arguments: [member]) { set.insert(c) }
        return Channel.allCases.filter { set.contains($0.rawValue) }
    }

    /// A free buyer_id (handle) for a new member whose first identity is `externalId` in
    /// `channel`: the id itself when no member has it, else `channel:id`, then `channel:id#2`….
    static func freeHandle(_ db: Database, _ externalId: String, channel: Channel) throws -> String {
        let taken = try db.cachedStatement(sql: "SELECT 1 FROM member WHERE buyer_id = ?")
        if try Int.fetchOne(taken, arguments: [externalId]) == nil { return externalId }
        var candidate = "\(channel.rawValue):\(externalId)"
        var n = 2
        while try Int.fetchOne(taken, arguments: [candidate]) != nil {
            candidate = "\(channel.rawValue):\(externalId)#\(n)"
            n += 1
        }
        return candidate
    }

    /// Turns a member's implicit Taobao identity into a member_identity row (how = new) and names
    /// it on the orders that came through it, so the identity can move with its orders (merge).
    /// Returns the row, or nil when the member has no implicit identity (its channel is set).
    @discardableResult
    static func materialize(_ db: Database, member: Int64, by user: String) throws -> Int64? {
        guard let m = try Row.fetchOne(db, sql: "SELECT buyer_id, channel, coalesce(joined_at, '') FROM member WHERE id = ?", arguments: [member]),
              (m[1] as String?) == nil else { return nil }
        let at: String = (m[2] as String).isEmpty ? Clock.nowString() : m[2]
        try db.execute(sql: "INSERT INTO member_identity(channel, external_id, member_id, how, linked_at, linked_by) VALUES (?, ?, ?, 'new', ?, ?)",
                       arguments: [Channel.taobao.rawValue, m[0] as String, member, at, user])
        let row = db.lastInsertedRowID
        try db.execute(sql: "UPDATE member SET channel = ? WHERE id = ?", arguments: [Channel.taobao.rawValue, member])
        let stamp = try db.cachedStatement(sql: "UPDATE orders SET identity_id = ? WHERE order_id = ? AND identity_id IS NULL")
        for order in try MemberOrderLists.ids(of: member, db) { try stamp.execute(arguments: [row, order]) }
        return row
    }

    /// Why an external id typed by a person cannot be one, or nil.
    static func problem(_ externalId: String) -> String? {
        if externalId.isEmpty { return StoreMessages.identityEmpty }
        if externalId.count > OrderNumber.maxLength { return StoreMessages.identityTooLong }
        if ImportFormat.idProblem(externalId, "id") != nil { return StoreMessages.identityControl }
        return nil
    }

    /// `ecrm member link BUYER --channel C --id X` and the card's link form: adds the identity to
    /// the member (audited). Refused in one line when it is empty or odd, when the member already
    /// has it, or when another member has it (naming that member: merge the two instead).
    public static func link(_ store: Store, member key: String, channel: Channel, externalId raw: String) throws -> String {
        let externalId = raw.trimmingSpaces()
        if let p = problem(externalId) { throw StoreError.invalid(p) }
        return try store.write(.member, .require(.linkIdentity, target: key)) { db in
            let m = try target(db, key, "identity.link")
            let shown = "\(channel.rawValue):\(externalId)"
            if let ref = try find(db, channel: channel, externalId: externalId) {
                if ref.member == m.id { throw refused("identity.link", m.buyerId, shown, StoreMessages.identityAlreadyHis(shown, m.buyerId)) }
                let other = try String.fetchOne(db, sql: "SELECT buyer_id FROM member WHERE id = ?", arguments: [ref.member]) ?? "?"
                throw refused("identity.link", m.buyerId, shown, StoreMessages.identityOfAnother(shown, other))
            }
            try db.execute(sql: "INSERT INTO member_identity(channel, external_id, member_id, how, linked_at, linked_by) VALUES (?, ?, ?, 'manual', ?, ?)",
                           arguments: [channel.rawValue, externalId, m.id, Clock.nowString(), store.operatorName])
            try Audit.record(db, operator: store.operatorName, action: "identity.link", target: m.buyerId, before: nil, after: shown, reason: nil)
            return m.buyerId
        }
    }

    /// `ecrm member unlink BUYER --channel C --id X`: takes the identity from the member (audited).
    /// One without orders is removed; one with orders becomes a member of its own with them (an
    /// identity always belongs to a member, and orders follow their identity). Refused when the
    /// identity does not exist, belongs to another member, is the member's first identity, or is
    /// its last.
    public static func unlink(_ store: Store, member key: String, channel: Channel, externalId raw: String) throws -> UnlinkOutcome {
        let externalId = raw.trimmingSpaces()
        if let p = problem(externalId) { throw StoreError.invalid(p) }
        return try store.write(.member, .require(.unlinkIdentity, target: key)) { db in
            let m = try target(db, key, "identity.unlink")
            let shown = "\(channel.rawValue):\(externalId)"
            guard let ref = try find(db, channel: channel, externalId: externalId) else {
                throw refused("identity.unlink", m.buyerId, shown, StoreMessages.identityMissing(shown))
            }
            guard ref.member == m.id else {
                let other = try String.fetchOne(db, sql: "SELECT buyer_id FROM member WHERE id = ?", arguments: [ref.member]) ?? "?"
                throw refused("identity.unlink", m.buyerId, shown, StoreMessages.identityNotHis(shown, m.buyerId, other))
            }
            let all = try list(db, member: m.id)
            guard all.count > 1 else { throw refused("identity.unlink", m.buyerId, shown, StoreMessages.identityLast(shown, m.buyerId)) }
            guard let row = ref.row, let mine = all.first(where: { $0.rowId == row }), !mine.home else {
                throw refused("identity.unlink", m.buyerId, shown, StoreMessages.identityHome(shown, m.buyerId))
            }
            var outcome = UnlinkOutcome(buyerId: m.buyerId, identity: shown, newMember: nil, ordersMoved: 0)
            if mine.orders == 0 {
                try db.execute(sql: "DELETE FROM member_identity WHERE id = ?", arguments: [row])
            } else {
                // A member of its own, with the identity and its orders.
                let handle = try freeHandle(db, externalId, channel: channel)
                let src = try Row.fetchOne(db, sql: "SELECT nick FROM member WHERE id = ?", arguments: [m.id])!
                try db.execute(sql: "INSERT INTO member(buyer_id, nick, joined_at, channel) VALUES (?, ?, ?, ?)",
                               arguments: [handle, channel == .taobao ? externalId : (src[0] as String), mine.linkedAt, channel.rawValue])
                let newId = db.lastInsertedRowID
                try db.execute(sql: "UPDATE member_identity SET member_id = ?, how = 'new' WHERE id = ?", arguments: [newId, row])
                let mineOnly = try db.cachedStatement(sql: "SELECT 1 FROM orders WHERE order_id = ? AND identity_id = ?")
                let orders = try MemberOrderLists.ids(of: m.id, db).filter { try Int.fetchOne(mineOnly, arguments: [$0, row]) != nil }
                for o in orders {
                    try db.execute(sql: "UPDATE orders SET member_id = ? WHERE order_id = ?", arguments: [newId, o])
                    try MemberOrderLists.move([.init(order: o, from: m.id, to: newId)], db: db)
                }
                try MemberStatsUpdater.recompute(members: [m.id, newId], db: db)
                try TierUpgrader.autoUpgrade(db, members: [newId])
                try SearchIndex.refresh(db, members: [m.id, newId])
                outcome.newMember = handle
                outcome.ordersMoved = orders.count
            }
            try Audit.record(db, operator: store.operatorName, action: "identity.unlink", target: m.buyerId, before: shown,
                             after: outcome.newMember.map { "\($0) (\(outcome.ordersMoved) orders)" }, reason: nil)
            return outcome
        }
    }

    public struct UnlinkOutcome: Sendable, Equatable {
        public var buyerId: String
        public var identity: String
        /// The member the identity and its orders went to (nil: it had none and was removed).
        public var newMember: String?
        public var ordersMoved: Int
    }

    private static func target(_ db: Database, _ key: String, _ action: String) throws -> (id: Int64, buyerId: String) {
        guard let id = try MemberQueries.resolve(db, key.trimmingSpaces()),
              let buyer = try String.fetchOne(db, sql: "SELECT buyer_id FROM member WHERE id = ?", arguments: [id]) else {
            throw Refusal(action: action, target: key, message: StoreMessages.memberMissing(key))
        }
        return (id, buyer)
    }

    /// A refusal the store logs once the transaction has rolled back (Store.translate).
    private static func refused(_ action: String, _ buyer: String, _ identity: String, _ message: String) -> Refusal {
        Refusal(action: action, target: "\(buyer) \(identity)", message: message)
    }
}
