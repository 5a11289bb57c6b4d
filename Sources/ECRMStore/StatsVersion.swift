import GRDB

/// A counter that goes up whenever paid histories (`member_stats`) change: every import, order
/// edit or rebuild goes through MemberStatsUpdater, which bumps it in the same transaction. What is
/// computed from the histories (a campaign's headline uplift) remembers the version it saw and is
/// current while the counter has not moved.
enum StatsVersion {
    static let key = "stats.version"

    static func current(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM setting WHERE key = ?", arguments: [key]) ?? 0
    }

    static func bump(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO setting(key, value) VALUES (?1, '1')
            ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)
            """, arguments: [key])
    }
}
