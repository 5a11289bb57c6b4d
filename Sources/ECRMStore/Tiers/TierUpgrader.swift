import GRDB
import ECRMDomain

/// Auto-upgrade (PRODUCT.md: Tiers): raises members whose paid totals reach a higher enabled tier
/// of the live ladder. Never lowers a tier, never touches blacklisted members.
enum TierUpgrader {
    /// Returns how many members moved up. `members` nil = everyone.
    @discardableResult
    static func autoUpgrade(_ db: Database, members: Set<Int64>?) throws -> Int {
        guard let ladder = try TierStore.liveLadder(db), ladder.levels.contains(where: \.enabled) else { return 0 }
        if let members, members.isEmpty { return 0 }
        let value = ladder.metric == .amount ? "s.paid_sum" : "s.paid_count"
        // Highest enabled level reached, as one CASE evaluated inside SQLite (one pass over 1M rows).
        var cases = "CASE"
        for t in ladder.levels.reversed() where t.enabled {
            cases += " WHEN \(value) >= \(t.threshold) THEN \(t.level)"
        }
        cases += " ELSE 0 END"
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
            FROM (SELECT s.member_id AS id, \(cases) AS level FROM member_stats s) AS q
            WHERE q.id = member.id AND member.status = 'normal' AND q.level > member.tier\(filter)
            """, arguments: [Clock.nowString()])
        return db.changesCount
    }
}
