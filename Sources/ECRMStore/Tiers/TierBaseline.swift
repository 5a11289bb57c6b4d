import GRDB
import ECRMDomain

/// Where a member's tier progress counts from after the owner lowered them by hand.
///
/// Design (PRODUCT.md: "only the owner can lower one member by hand"): a manual lowering must not be
/// undone by the next recompute over the same old orders, yet a member who keeps buying should rise
/// again. So the lowering records the member's paid totals at that moment (paid_sum, paid_count);
/// from then on auto-upgrade measures that member by what was paid *since* — paid_sum − base_sum
/// (or paid_count − base_count) — against the live thresholds. Re-importing old files adds nothing
/// (order_id is the key), so the member stays down; new paid orders worth a tier's threshold raise
/// them to that tier. A later by-hand lowering moves the baseline; a by-hand raise keeps it.
/// Totals rather than a timestamp: paid_at is the buyer's payment time, not when the shop learned of
/// it, and comparing totals needs no scan of the orders table.
///
/// The table is created on first use (CREATE … IF NOT EXISTS) so this file needs no edit of the
/// shared migrations; readers check that it exists.
enum TierBaseline {
    static let table = "member_tier_baseline"

    static func ensureTable(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS member_tier_baseline (
                member_id INTEGER PRIMARY KEY REFERENCES member(id) ON DELETE CASCADE,
                paid_sum INTEGER NOT NULL,
                paid_count INTEGER NOT NULL,
                set_at TEXT NOT NULL,
                set_by TEXT NOT NULL
            )
            """)
    }

    /// True when some member has a baseline (so queries must subtract it).
    static func isInUse(_ db: Database) throws -> Bool {
        guard try db.tableExists(table) else { return false }
        return try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM member_tier_baseline)") ?? false
    }

    /// Records the member's current paid totals as their new starting point.
    static func reset(_ db: Database, memberId: Int64, by user: String) throws {
        try ensureTable(db)
        try db.execute(sql: """
            INSERT INTO member_tier_baseline(member_id, paid_sum, paid_count, set_at, set_by)
            SELECT ?1, coalesce((SELECT paid_sum FROM member_stats WHERE member_id = ?1), 0),
                       coalesce((SELECT paid_count FROM member_stats WHERE member_id = ?1), 0), ?2, ?3
            WHERE true  -- an upsert after INSERT … SELECT needs a WHERE to parse
            ON CONFLICT(member_id) DO UPDATE SET paid_sum = excluded.paid_sum, paid_count = excluded.paid_count,
                set_at = excluded.set_at, set_by = excluded.set_by
            """, arguments: [memberId, Clock.nowString(), user])
    }

    /// The paid totals a member's progress counts from; nil without a baseline (the table is the
    /// schema's since its migration, so it is not looked for first).
    static func row(_ db: Database, memberId: Int64) throws -> TierProgressBaseline? {
        try Row.fetchOne(db, sql: "SELECT paid_sum, paid_count FROM member_tier_baseline WHERE member_id = ?", arguments: [memberId])
            .map { TierProgressBaseline(sum: $0[0], count: $0[1]) }
    }
}
