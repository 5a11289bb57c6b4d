import GRDB

/// Index and search-structure upkeep around bulk loads.
enum Maintenance {
    static func dropBulkIndexes(_ db: Database) throws {
        for (name, _) in Schema.bulkIndexes {
            try db.execute(sql: "DROP INDEX IF EXISTS \(name)")
        }
    }

    static func createBulkIndexes(_ db: Database) throws {
        for (_, sql) in Schema.bulkIndexes {
            try db.execute(sql: sql.replacingOccurrences(of: "CREATE INDEX ", with: "CREATE INDEX IF NOT EXISTS "))
        }
    }

    /// After any load: refresh planner statistics on big loads so queries keep their indexes.
    static func afterLoad(_ db: Database, bulk: Bool) throws {
        if bulk { try db.execute(sql: "ANALYZE") }
    }
}
