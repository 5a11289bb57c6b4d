import GRDB

/// Keeps the search structures in step with member data. Called by the importer and the demo
/// after every load, inside the load's transaction.
enum SearchIndex {
    /// After a bulk load: rebuild everything from the member table.
    static func rebuildAll(_ db: Database) throws {}

    /// After a small load or an edit: refresh the given members only.
    static func refresh(_ db: Database, members: Set<Int64>) throws {}
}
