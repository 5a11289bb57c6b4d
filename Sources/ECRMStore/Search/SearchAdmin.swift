import GRDB

/// Public handles on the search index for tools (the benchmark, a future `ecrm reindex`).
public enum SearchAdmin {
    /// Rebuilds every search structure in one write transaction.
    public static func rebuild(_ store: Store) throws {
        try store.write(.index, .require(.importData)) { try SearchIndex.rebuildAll($0) }
    }
}
