import GRDB

/// Public handles on the search index for tools (the benchmark, a future `ecrm reindex`).
public enum SearchAdmin {
    /// Rebuilds every search structure in one write transaction.
    public static func rebuild(_ store: Store) throws {
        try store.write(.index, .require(.importData)) { try SearchIndex.rebuildAll($0) }
    }

    /// After an import: folds the search delta into the postings once it has grown past its bound
    /// (SearchIndex.RefreshLimits). The fold is a rebuild built off the write lock, on a read
    /// snapshot, into a scratch file (SearchFold); the lock is taken only to swap the prepared
    /// tables in, and only if nothing was committed since the snapshot (else the next import folds).
    /// Never waits: when another writer holds the store, the next import folds instead. True when
    /// it folded.
    @discardableResult
    public static func foldIfDue(_ store: Store) throws -> Bool { try foldIfDue(store, limits: .standard) }

    static func foldIfDue(_ store: Store, limits: SearchIndex.RefreshLimits,
                          partitionMax: Int = SearchIndexBuilder.defaultPartitionMax,
                          beforeInstall: (() throws -> Void)? = nil) throws -> Bool {
        guard try store.read(.require(.importData), { try SearchIndex.foldDue($0, limits: limits) }) else { return false }
        return try SearchFold.run(store, partitionMax: partitionMax, beforeInstall: beforeInstall) == .folded
    }
}
