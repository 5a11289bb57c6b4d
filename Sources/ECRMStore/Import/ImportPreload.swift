import GRDB

extension Importer {
    /// Whether a load that is not bulk reads the store's whole key map first (one scan of the
    /// member table and of member_identity: ~1 µs a member) rather than looking each new buyer up
    /// when first seen (an index probe or two, ~5 µs, and for a row with a phone the search
    /// postings' phone look-up, ~1 ms at 1M members). With the map preloaded every link rule is
    /// decided in memory (MemberKeys) on the parsing thread, and the rows are written in batches.
    /// The extra channels of issue 19 (100k offline members with phones into a 1M store) took
    /// 114 s row by row.
    /// `rows`: the files' rows, estimated from their sizes; `phones`: whether they can link by phone.
    static func preloads(_ db: Database, rows: Int, phones: Bool) throws -> Bool {
        guard rows >= preloadMinRows else { return false }
        let members = Int(try Int64.fetchOne(db, sql: "SELECT max(id) FROM member") ?? 0)
        return phones ? rows * 500 >= members : rows * 5 >= members
    }

    /// Whether a big load (a file over `bulkThreshold`) goes in bulk mode: it rebuilds the derived
    /// data of every member (the member_stats indexes, every member's tier and the whole search
    /// index) at once, which pays when the load touches a quarter of the store or more. Measured
    /// at 1M members (loaded machine): 300k JD members and 600k orders (~36% estimated) took 29 s
    /// in bulk mode against 48 s member by member (stats 7.5 s against 2.3, search 24 s against 9);
    /// 100k offline members (~12%) ~15 s without bulk mode, where the index rebuild alone is ~4 s.
    /// `touching`: the members the files may touch, estimated. A store that cannot be read here
    /// (the operator's rights are checked by the load itself) loads in bulk mode as before.
    func bulkPays(touching members: Int) -> Bool {
        guard let stored = try? store.read(.require(.importData), { try Int64.fetchOne($0, sql: "SELECT max(id) FROM member") ?? 0 }) else { return true }
        return members * 4 >= Int(stored)
    }

    /// Below this many rows a load looks its buyers up one by one (a map of the whole store is
    /// not worth it for a few hundred rows, even with phones).
    static let preloadMinRows = 2_000

    /// A big load that is not bulk (which sets its own) writes and refreshes members all over a
    /// store of hundreds of MB: with the connection's 2 MB page cache SQLite read the same B-tree
    /// pages again and again (pread and its copy were ~8% of issue 19's channel import).
    static func widenCache(_ db: Database) throws {
        try db.execute(sql: "PRAGMA cache_size = -65536")
    }

    /// Back to the store's usual page cache (the one Maintenance.bulkWrite restores after a load).
    static func restoreCache(_ db: Database) throws {
        try db.execute(sql: "PRAGMA cache_size = \(Maintenance.usualCacheSize)")
    }
}
