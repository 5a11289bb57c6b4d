import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// Issue 18: a store made by the release before channels (schema up to v11) opens with every
/// member, order, tag and tier as it was, its orders in channel taobao under their own numbers.
@Suite struct ChannelMigrationTests {
    /// Every row of the tables a shop's data lives in, in the columns the old release had.
    static func snapshot(_ db: Database) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for (table, columns) in [
            ("member", "*"), ("orders", "order_id, member_id, paid_at, amount, status, items"), ("member_stats", "*"),
            ("member_orders", "*"), ("tag", "*"), ("member_tag", "*"), ("tier_publish", "*"), ("member_note", "*"),
            ("member_rfm", "*"), ("operator", "*"),
        ] {
            out[table] = try Row.fetchAll(db, sql: "SELECT \(columns) FROM \(table) ORDER BY 1, 2").map { $0.description }
        }
        return out
    }

    @Test func aStoreOfThePreviousReleaseKeepsEverything() throws {
        let dir = NSTemporaryDirectory() + "ecrm-migrate-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/shop.sqlite"
        // A shop as the release makes it: the demo (members, orders with refunds, tags, notes,
        // blacklist, a published ladder) plus a manual tier.
        var before: [String: [String]] = [:]
        do {
            let store = try Store(path: path, create: true, operatorName: "owner1")
            _ = try DemoShop(members: 300, seed: 7, endDay: Day(year: 2026, month: 6, day: 30)!).generate(into: store)
            let someone = try store.pool.read { try String.fetchOne($0, sql: "SELECT buyer_id FROM member WHERE tier = 0 ORDER BY id LIMIT 1")! }
            _ = try MemberTierAdmin.setTier(store, member: someone, to: 2, reason: "migration test")
            before = try store.pool.read { try Self.snapshot($0) }
        }
        #expect(before["orders"]!.count > 1000 && before["member"]!.count == 300 && !before["tag"]!.isEmpty
                && !before["member_tag"]!.isEmpty && !before["tier_publish"]!.isEmpty)
        // Back to the previous release's schema: v13 undone exactly, checked against a store
        // migrated only up to v11 (the last migration that release had).
        do {
            let q = try DatabaseQueue(path: path)
            try q.writeWithoutTransaction { db in
                // v16 (campaign lists) first: the migrations after v13 are undone before it.
                try db.execute(sql: """
                    DROP INDEX member_blacklist;
                    ALTER TABLE campaign_headline DROP COLUMN stats_version;
                    DELETE FROM grdb_migrations WHERE identifier LIKE 'v16-%';
                    """)
                try db.execute(sql: """
                    DROP INDEX orders_number;
                    ALTER TABLE orders DROP COLUMN order_no;
                    ALTER TABLE orders DROP COLUMN channel;
                    DELETE FROM grdb_migrations WHERE identifier LIKE 'v13-%';
                    """)
            }
            let old = try DatabaseQueue()
            try Schema.migrator.migrate(old, upTo: "v12-campaigns")
            let schema = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
            let oldSchema = try old.read { try Row.fetchAll($0, sql: schema).map(\.description) }
            #expect(try q.read { try Row.fetchAll($0, sql: schema).map(\.description) } == oldSchema)
            #expect(try q.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") }.last == "v12-campaigns")
            try q.close()
        }
        // Opened by this release: migrated, nothing lost, the orders are Taobao's under their own numbers.
        let store = try Store(path: path, operatorName: "owner1")
        try store.pool.read { (db: Database) throws in
            let after = try Self.snapshot(db)
            for (table, rows) in before { #expect(after[table] == rows, "\(table)") }
            #expect(try Int64.fetchOne(db, sql: "SELECT count(*) FROM orders WHERE channel IS NOT NULL OR order_no IS NOT NULL") == 0)
            let (order, buyer) = try Row.fetchOne(db, sql: "SELECT o.order_id, m.buyer_id FROM orders o JOIN member m ON m.id = o.member_id ORDER BY o.order_id DESC LIMIT 1")
                .map { (String($0[0] as Int64), $0[1] as String) }!
            #expect(try MemberSearch.search(db, order).first?.buyerId == buyer)
            let card = try MemberQueries.detail(db, id: MemberQueries.resolve(db, order)!)!
            #expect(card.recentOrders.contains { $0.orderId == order && $0.channel == "taobao" })
        }
        // New text numbers go in beside the old numeric ones.
        let csv = dir + "/new.csv"
        try Data("order_id,buyer_id,paid_at,amount\nE1,newbuyer,2026-06-01 10:00:00,5.00\n".utf8).write(to: URL(fileURLWithPath: csv))
        var importer = Importer(store: store)
        importer.today = Day(year: 2026, month: 6, day: 30)!
        #expect(try importer.run(.orders, path: csv, channel: .youzan).added == 1)
        try store.pool.read { (db: Database) throws in
            #expect(try MemberSearch.search(db, "E1").first?.buyerId == "newbuyer")
            #expect(try Int64.fetchOne(db, sql: "SELECT count(*) FROM orders") == Int64(before["orders"]!.count + 1))
        }
    }
}
