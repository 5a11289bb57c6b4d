import GRDB

/// For `ecrm-bench campaigns` only: removes the campaigns it made (names starting with `prefix`)
/// and their tags, so the benchmark can run again on the same store. Not part of the product,
/// where a campaign is never deleted; hence SPI, not public API.
@_spi(Bench) public enum CampaignBenchSupport {
    public static func discard(_ store: Store, prefix: String) throws {
        try store.write(.tags, .require(.manageCampaigns)) { db in
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM campaign WHERE substr(name, 1, length(?1)) = ?1", arguments: [prefix])
            guard !ids.isEmpty else { return }
            let list = ids.map(String.init).joined(separator: ",")
            try db.execute(sql: "DELETE FROM tag WHERE id IN (SELECT tag_id FROM campaign WHERE id IN (\(list)))")
            try db.execute(sql: "DELETE FROM campaign_headline WHERE campaign_id IN (\(list))")
            try db.execute(sql: "DELETE FROM campaign_member WHERE campaign_id IN (\(list))")
            try db.execute(sql: "DELETE FROM campaign WHERE id IN (\(list))")
        }
    }

    /// What an import does to the campaigns list: the paid histories' version moves on, so every
    /// remembered headline is stale.
    public static func touchStats(_ store: Store) throws {
        try store.pool.write { try StatsVersion.bump($0) }
    }
}
