import GRDB

/// A `setting` row used as a counter that a kind of write bumps in its own transaction. What is
/// computed from those rows remembers the value it saw and is current while the counter has not
/// moved (StatsVersion, MemberVersion).
protocol SettingCounter {
    static var key: String { get }
}

extension SettingCounter {
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
