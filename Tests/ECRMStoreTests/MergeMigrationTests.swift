import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// v15-merges adds two tables and changes no row of a store made before it.
@Suite struct MergeMigrationTests {
    /// Undoes v15-merges exactly (a store of the release before it).
    static func undoMerges(_ db: Database) throws {
        try undoCampaignLists(db)   // the later migration first
        try db.execute(sql: """
            DROP TABLE member_merge;
            DROP TABLE duplicate_dismissed;
            DELETE FROM grdb_migrations WHERE identifier = 'v15-merges';
            """)
    }

    /// Undoes v16-campaign-lists (main's, after v15) exactly.
    static func undoCampaignLists(_ db: Database) throws {
        try SearchRefreshTests.undoMemberRanks(db)   // the later migration first
        try db.execute(sql: """
            DROP INDEX member_blacklist;
            ALTER TABLE campaign_headline DROP COLUMN stats_version;
            DELETE FROM grdb_migrations WHERE identifier = 'v16-campaign-lists';
            """)
    }

    @Test func anOlderStoreGetsEmptyTablesAndKeepsEveryRow() throws {
        let old = try OldStore(upTo: "v14-identities")
        defer { old.cleanup() }
        try old.queue.write { db in
            try db.execute(sql: "INSERT INTO member(buyer_id, nick) VALUES ('a', 'x'), ('b', 'y')")
            try db.execute(sql: "INSERT INTO orders(order_id, member_id, paid_at, amount, status) VALUES (1, 1, '2026-01-01 10:00:00', 100, 'paid')")
        }
        let dump = "SELECT (SELECT group_concat(buyer_id || nick) FROM member) || (SELECT group_concat(order_id || member_id) FROM orders)"
        let before = try old.queue.read { try String.fetchOne($0, sql: dump) }
        try Schema.migrator.migrate(old.queue)
        #expect(try old.queue.read { try String.fetchOne($0, sql: dump) } == before)
        #expect(try old.queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM member_merge") } == 0)
        #expect(try old.queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM duplicate_dismissed") } == 0)
    }
}
