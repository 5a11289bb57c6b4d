import GRDB
import ECRMDomain

/// Auto-upgrade (PRODUCT.md: Tiers): raises members whose paid totals reach a higher enabled tier
/// of the live ladder. Never lowers a tier, never touches blacklisted members, and measures a member
/// the owner lowered by hand only by what they paid since (TierBaseline).
enum TierUpgrader {
    /// Returns how many members moved up. `members` nil = everyone. Runs inside the caller's
    /// write transaction (import, publish, blacklist off).
    @discardableResult
    static func autoUpgrade(_ db: Database, members: Set<Int64>?) throws -> Int {
        guard let ladder = try TierStore.liveLadder(db), ladder.levels.contains(where: \.enabled) else { return 0 }
        if let members, members.isEmpty { return 0 }
        let column = ladder.metric == .amount ? "paid_sum" : "paid_count"
        // Only join the baseline table when someone has a baseline: the plain scan is the 1M-row path.
        let value: String
        let source: String
        if try TierBaseline.isInUse(db) {
            value = "s.\(column) - coalesce(b.\(column), 0)"
            source = "member_stats s LEFT JOIN member_tier_baseline b ON b.member_id = s.member_id"
        } else {
            value = "s.\(column)"
            source = "member_stats s"
        }
        var filter = ""
        if let members {
            try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS upgrade_scope(id INTEGER PRIMARY KEY)")
            try db.execute(sql: "DELETE FROM upgrade_scope")
            let ins = try RawStatement(db, "INSERT INTO upgrade_scope(id) VALUES (?)")
            for m in members { ins.bind(1, m); try ins.step() }
            filter = " AND member.id IN (SELECT id FROM upgrade_scope)"
        }
        try db.execute(sql: """
            UPDATE member SET tier = q.level, tier_source = 'auto', updated_at = ?
            FROM (SELECT s.member_id AS id, \(levelCase(ladder, value: value)) AS level FROM \(source)) AS q
            WHERE q.id = member.id AND member.status = 'normal' AND q.level > member.tier\(filter)
            """, arguments: [Clock.nowString()])
        return db.changesCount
    }

    /// Highest enabled level the value reaches, as one CASE evaluated inside SQLite (one pass over 1M rows).
    static func levelCase(_ ladder: TierLadder, value: String) -> String {
        var cases = "CASE"
        for t in ladder.levels.reversed() where t.enabled {
            cases += " WHEN \(value) >= \(t.threshold) THEN \(t.level)"
        }
        return cases + " ELSE 0 END"
    }
}
