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
        // Members without a stats row (never paid) count as 0: a level-1 threshold of 0 makes everyone a
        // member. The baseline table is joined only when someone has a baseline (the 1M-row path stays plain).
        var value = "coalesce(s.\(column), 0)"
        var joins = "LEFT JOIN member_stats s ON s.member_id = m.id"
        if try TierBaseline.isInUse(db) {
            value += " - coalesce(b.\(column), 0)"
            joins += " LEFT JOIN member_tier_baseline b ON b.member_id = m.id"
        }
        var from = "member m"
        if let members {
            try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS upgrade_scope(id INTEGER PRIMARY KEY)")
            try db.execute(sql: "DELETE FROM upgrade_scope")
            let ins = try RawStatement(db, "INSERT INTO upgrade_scope(id) VALUES (?)")
            for m in members { ins.bind(1, m); try ins.step() }
            // CROSS JOIN keeps SQLite driving from the few touched ids, not from all members.
            from = "upgrade_scope u CROSS JOIN member m ON m.id = u.id"
        }
        // The inner query picks exactly the members that rise, so the UPDATE touches only those rows.
        try db.execute(sql: """
            UPDATE member SET tier = q.level, tier_source = 'auto', updated_at = ?
            FROM (SELECT id, level FROM (
                    SELECT m.id AS id, m.tier AS tier, \(levelCase(ladder, value: value)) AS level
                    FROM \(from) \(joins) WHERE m.status = '\(MemberStatus.normal.rawValue)')
                  WHERE level > tier) AS q
            WHERE member.id = q.id
            """, arguments: [Clock.nowString()])
        return db.changesCount
    }

    /// The domain's `TierLadder.qualifyingLevel` (its steps, highest first, the first reached wins) as
    /// one CASE evaluated inside SQLite (one pass over 1M rows). `TierQualifyingSQLTests` checks the
    /// two agree over random ladders and values.
    static func levelCase(_ ladder: TierLadder, value: String) -> String {
        guard !ladder.qualifyingSteps.isEmpty else { return "0" }
        var cases = "CASE"
        for step in ladder.qualifyingSteps {
            cases += " WHEN \(value) >= \(step.threshold) THEN \(step.level)"
        }
        return cases + " ELSE 0 END"
    }
}
