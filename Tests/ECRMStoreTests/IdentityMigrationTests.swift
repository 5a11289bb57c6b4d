import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// Issue 19 item 1: a store made by the release before identities (schema up to v13) opens with
/// every member, order, tag and tier as it was, each member's buyer_id its Taobao identity.
@Suite struct IdentityMigrationTests {
    /// Undoes v14-identities exactly (a store of the release before it).
    static func undoIdentities(_ db: Database) throws {
        try MergeMigrationTests.undoMerges(db)   // the later migration first
        try db.execute(sql: """
            DROP TABLE duplicate_candidate;
            DROP TABLE member_identity;
            ALTER TABLE orders DROP COLUMN identity_id;
            ALTER TABLE member DROP COLUMN channel;
            DELETE FROM grdb_migrations WHERE identifier = 'v14-identities';
            """)
    }

    @Test func aStoreOfThePreviousReleaseKeepsEverythingAndEachBuyerIsItsTaobaoIdentity() throws {
        let dir = NSTemporaryDirectory() + "ecrm-migrate14-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/shop.sqlite"
        var before: [String: [String]] = [:]
        do {
            let store = try Store(path: path, create: true, operatorName: "owner1")
            _ = try DemoShop(members: 300, seed: 11, endDay: Day(year: 2026, month: 6, day: 30)!).generate(into: store)
            let someone = try store.pool.read { try String.fetchOne($0, sql: "SELECT buyer_id FROM member WHERE tier = 0 ORDER BY id LIMIT 1")! }
            _ = try MemberTierAdmin.setTier(store, member: someone, to: 3, reason: "migration test")
            // A text-numbered order in another channel too (v13's columns).
            let csv = dir + "/yz.csv"
            try Data("order_id,buyer_id,paid_at,amount\nE77,\(someone),2026-06-01 10:00:00,5.00\n".utf8).write(to: URL(fileURLWithPath: csv))
            var importer = Importer(store: store)
            importer.today = Day(year: 2026, month: 6, day: 30)!
            _ = try importer.run(.orders, path: csv, channel: .taobao)
            before = try store.pool.read { try snapshot($0) }
        }
        #expect(before["member"]!.count == 300 && before["orders"]!.count > 1000 && !before["member_tag"]!.isEmpty && !before["tier_publish"]!.isEmpty)
        do {
            let q = try DatabaseQueue(path: path)
            try q.writeWithoutTransaction { try Self.undoIdentities($0) }
            let old = try DatabaseQueue()
            try Schema.migrator.migrate(old, upTo: "v13-order-numbers-and-channels")
            let schema = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
            #expect(try q.read { try Row.fetchAll($0, sql: schema).map(\.description) } == old.read { try Row.fetchAll($0, sql: schema).map(\.description) })
            try q.close()
        }
        let store = try Store(path: path, operatorName: "owner1")
        try store.pool.read { (db: Database) throws in
            let after = try snapshot(db)
            for (table, rows) in before { #expect(after[table] == rows, "\(table)") }
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM member WHERE channel IS NOT NULL") == 0)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM orders WHERE identity_id IS NOT NULL") == 0)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM member_identity") == 0)
            // Every member: its buyer_id is its one identity, Taobao's, with all its orders.
            for row in try Row.fetchAll(db, sql: "SELECT m.id, m.buyer_id, coalesce(s.paid_sum, 0) FROM member m LEFT JOIN member_stats s ON s.member_id = m.id") {
                let id: Int64 = row[0]
                #expect(try Identities.find(db, channel: .taobao, externalId: row[1]) == Identities.Ref(member: id, row: nil))
                #expect(try Identities.find(db, channel: .jd, externalId: row[1]) == nil)
                let list = try Identities.list(db, member: id)
                #expect(list.count == 1 && list[0].home && list[0].channel == "taobao" && list[0].externalId == row[1] as String)
                #expect(list[0].orders == (try MemberOrderLists.ids(of: id, db).count) && list[0].spend == row[2] as Int64)
            }
        }
    }

    func snapshot(_ db: Database) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for (table, columns) in [
            ("member", "id, buyer_id, nick, name, phone, gender, birthday, province, city, joined_at, tier, tier_source, status, card_no, updated_at"),
            ("orders", "order_id, member_id, paid_at, amount, status, items, channel, order_no"), ("member_stats", "*"),
            ("member_orders", "*"), ("tag", "*"), ("member_tag", "*"), ("tier_publish", "*"), ("member_note", "*"),
            ("member_rfm", "*"), ("operator", "*"), ("audit", "id, action, target"),
        ] {
            out[table] = try Row.fetchAll(db, sql: "SELECT \(columns) FROM \(table) ORDER BY 1, 2").map { $0.description }
        }
        return out
    }
}
