import GRDB

/// Public handles on the search index for tools (the benchmark, a future `ecrm reindex`).
public enum SearchAdmin {
    /// Rebuilds every search structure in one write transaction.
    public static func rebuild(_ store: Store) throws {
        try store.write(.index, .require(.importData)) { try SearchIndex.rebuildAll($0) }
    }

    /// After an import: folds the search delta into the postings (a rebuild) once it has grown past
    /// its bound (SearchIndex.RefreshLimits), in a transaction of its own, so the import's own
    /// transaction (and every writer waiting behind it) never carries the fold. Never waits: when
    /// another writer holds the store, the next import folds instead. True when it folded.
    @discardableResult
    public static func foldIfDue(_ store: Store) throws -> Bool { try foldIfDue(store, limits: .standard) }

    static func foldIfDue(_ store: Store, limits: SearchIndex.RefreshLimits) throws -> Bool {
        guard try store.read(.require(.importData), { try SearchIndex.foldDue($0, limits: limits) }) else { return false }
        return try store.withoutWaiting {
            try store.write(.index, .require(.importData)) { db in
                guard try SearchIndex.foldDue(db, limits: limits) else { return false }
                try SearchIndex.rebuildAll(db)
                return true
            }
        }
    }
}
