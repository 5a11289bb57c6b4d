import GRDB
import ECRMDomain

/// The owner's by-hand changes to one member: their level and the blacklist. Each is one write
/// transaction with its audit row (before → after, reason).
public enum MemberTierAdmin {
    public struct TierChangeResult: Sendable, Equatable {
        public var memberId: Int64
        public var buyerId: String
        public var from: Int
        public var to: Int
    }

    public struct BlacklistResult: Sendable, Equatable {
        public var memberId: Int64
        public var buyerId: String
        public var blacklisted: Bool
        /// The level after the change: unchanged when blacklisting (the level is kept, the discount
        /// is not given); taking a member off the blacklist lets auto-upgrade catch up at once.
        public var level: Int
    }

    /// Sets a member's level by hand (`TierRules.manualChange`: owner only, an enabled level or 0,
    /// a reason for lowering, no raising a blacklisted member). A lowering restarts the member's tier
    /// progress from their current paid totals (TierBaseline) so the same old orders cannot raise them back.
    @discardableResult
    public static func setTier(_ store: Store, member key: String, to level: Int, reason: String) throws -> TierChangeResult {
        try store.write(.member, .require(.manualTierChange), role: { db, role in
            let m = try resolve(db, key)
            let ladder = try TierStore.liveLadder(db) ?? .initial
            let change: ManualTierChange
            switch TierRules.manualChange(from: m.tier, to: level, role: role, reason: reason, blacklisted: m.blacklisted, ladder: ladder) {
            case .success(let c): change = c
            case .failure(.notPermitted(let r)): throw TierServiceError.notPermitted(r)
            case .failure(let e): throw TierServiceError.manualChange(e)
            }
            try db.execute(sql: "UPDATE member SET tier = ?, tier_source = 'manual', updated_at = ? WHERE id = ?",
                           arguments: [change.to, Clock.nowString(), m.id])
            if change.isLowering { try TierBaseline.reset(db, memberId: m.id, by: store.operatorName) }
            try Audit.record(db, operator: store.operatorName, action: "member.tier", target: m.buyerId,
                             before: String(change.from), after: String(change.to), reason: change.reason)
            return TierChangeResult(memberId: m.id, buyerId: m.buyerId, from: change.from, to: change.to)
        })
    }

    /// Puts a member on or off the blacklist (owner only, with a reason).
    @discardableResult
    public static func setBlacklist(_ store: Store, member key: String, on: Bool, reason: String) throws -> BlacklistResult {
        try store.write(.member, .require(.blacklist)) { db in
            let m = try resolve(db, key)
            let why = reason.trimmingSpaces()
            guard !why.isEmpty else { throw TierServiceError.blacklistReasonRequired }
            guard m.blacklisted != on else { throw TierServiceError.blacklistUnchanged(on: on) }
            try db.execute(sql: "UPDATE member SET status = ?, updated_at = ? WHERE id = ?",
                           arguments: [MemberStatus(blacklisted: on).rawValue, Clock.nowString(), m.id])
            try Audit.record(db, operator: store.operatorName, action: "member.blacklist", target: m.buyerId,
                             before: MemberStatus(blacklisted: m.blacklisted).rawValue, after: MemberStatus(blacklisted: on).rawValue, reason: why)
            if !on { try TierUpgrader.autoUpgrade(db, members: [m.id]) }
            let level = try Int.fetchOne(db, sql: "SELECT tier FROM member WHERE id = ?", arguments: [m.id]) ?? m.tier
            return BlacklistResult(memberId: m.id, buyerId: m.buyerId, blacklisted: on, level: level)
        }
    }

    struct Target { var id: Int64; var buyerId: String; var tier: Int; var blacklisted: Bool }

    /// By buyer_id, exact nick, phone or order number (as `member show`).
    static func resolve(_ db: Database, _ key: String) throws -> Target {
        guard let id = try MemberQueries.resolve(db, key),
              let row = try Row.fetchOne(db, sql: "SELECT buyer_id, tier, status FROM member WHERE id = ?", arguments: [id])
        else { throw TierServiceError.memberNotFound(key) }
        return Target(id: id, buyerId: row[0], tier: row[1], blacklisted: (row[2] as String) == MemberStatus.blacklist.rawValue)
    }
}
