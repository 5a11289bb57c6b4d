import Foundation
import Testing
import GRDB
import PropertyBased
@testable import ECRMStore
import ECRMDomain

/// The member list's two order tables (ListOrders) hold exactly member_stats' keys, whoever wrote
/// member_stats: bulk loads (changes applied sorted, triggers off), small loads, stats recomputed
/// after orders changed, merges and unmerges, the demo shop, migration v25, a failed bulk load
/// (rolled back whole) and a store that lost them (healed by the next bulk load).
@Suite struct ListOrdersTests {
    /// Undoes v25-list-orders exactly (a store of the release before it).
    static func undoListOrders(_ db: Database) throws {
        try db.execute(sql: ListOrders.triggerNames.map { "DROP TRIGGER \($0)" }.joined(separator: ";"))
        try db.execute(sql: """
            DROP TABLE member_list_last; DROP TABLE member_list_spend;
            \(Schema.listIndexesBefore25.map(\.create).joined(separator: ";\n"));
            DELETE FROM grdb_migrations WHERE identifier = 'v25-list-orders';
            """)
    }

    /// What the tables hold, and what member_stats says they must hold, in key order.
    static func lists(_ db: Database) throws -> (last: [String], wantLast: [String], spend: [String], wantSpend: [String]) {
        (try String.fetchAll(db, sql: "SELECT last_paid_at || '|' || member_id FROM member_list_last ORDER BY last_paid_at, member_id"),
         try String.fetchAll(db, sql: "SELECT last_paid_at || '|' || member_id FROM member_stats WHERE last_paid_at IS NOT NULL ORDER BY last_paid_at, member_id"),
         try String.fetchAll(db, sql: "SELECT paid_sum || '|' || member_id FROM member_list_spend ORDER BY paid_sum, member_id"),
         try String.fetchAll(db, sql: "SELECT paid_sum || '|' || member_id FROM member_stats ORDER BY paid_sum, member_id"))
    }

    static func expectListsMatchStats(_ store: Store, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let l = try store.pool.read { try lists($0) }
        #expect(l.last == l.wantLast, "recency order after \(context)", sourceLocation: sourceLocation)
        #expect(l.spend == l.wantSpend, "spend order after \(context)", sourceLocation: sourceLocation)
        let intact = try store.pool.read { try ListOrders.intact($0) }
        #expect(intact, "tables and triggers after \(context)", sourceLocation: sourceLocation)
    }

    struct Step: Sendable, CustomStringConvertible {
        var kind: Int, a: Int, b: Int, c: Int
        var description: String { "(\(kind),\(a),\(b),\(c))" }
    }

    static let steps = zip(Gen.int(in: 0...5), Gen.int(in: 0...999), Gen.int(in: 0...999), Gen.int(in: 0...999))
        .map { Step(kind: $0, a: $1, b: $2, c: $3) }
        .array(of: 1...10)

    /// A small shop and the steps that write member_stats, checked after each one.
    struct Shop {
        let t: TempStore
        var nextOrder = 1000
        var merged: [String] = []
        var rnd: SplitMix64

        init(seed: UInt64) throws {
            t = try TempStore()
            rnd = SplitMix64(seed: seed)
            var members = "buyer_id,nick,phone\n"
            for i in 0..<8 { members += "b\(i),昵称\(i),1380000000\(i)\n" }
            _ = try t.importer(bulk: false).run(.members, path: try t.file("m.csv", members))
        }

        /// Orders of old and new buyers at a few moments (ties on purpose), amounts 0 included, some
        /// not paid, and some orders sent again with another status (their members' stats recomputed).
        mutating func orders(_ s: Step) -> String {
            var csv = "order_id,buyer_id,paid_at,amount,status\n"
            let statuses = ["paid", "paid", "paid", "refunded", "closed"]
            for _ in 0..<(1 + s.b % 12) {
                let buyer = Int.random(in: 0..<5, using: &rnd) == 0 ? "n\(Int.random(in: 0..<30, using: &rnd))" : "b\(Int.random(in: 0..<8, using: &rnd))"
                let day = 1 + Int.random(in: 0..<4, using: &rnd)
                let amount = Int.random(in: 0..<4, using: &rnd) == 0 ? "0" : "\(Int.random(in: 1...30, using: &rnd)).00"
                let status = statuses[Int.random(in: 0..<statuses.count, using: &rnd)]
                // Now and then an order already loaded, with its status changed.
                let id = Int.random(in: 0..<6, using: &rnd) == 0 && nextOrder > 1000 ? Int.random(in: 1000..<nextOrder, using: &rnd) : { nextOrder += 1; return nextOrder }()
                csv += "\(id),\(buyer),2026-0\(1 + s.c % 9)-0\(day) 10:00:00,\(amount),\(status)\n"
            }
            return csv
        }

        mutating func run(_ s: Step) throws {
            let service = MergeService(store: t.store, language: .en)
            switch s.kind {
            case 0, 1:
                let csv = orders(s)
                _ = try t.importer(bulk: s.kind == 0).run(.orders, path: try t.file("o\(nextOrder).csv", csv))
            case 2, 3:
                let keep = "b\(s.a % 8)", other = "b\(s.b % 8)"
                guard keep != other, !merged.contains(keep), !merged.contains(other) else { return }
                try service.merge(keep: keep, other: other)
                merged.append(other)
            case 4:
                guard let other = merged.popLast() else { return }
                _ = try service.unmerge(other)
            default:
                // A members-only bulk load (it writes no stats: the orders are left as they are).
                _ = try t.importer(bulk: true).run(.members, path: try t.file("m\(s.a).csv", "buyer_id,nick\nx\(s.a),新\(s.a)\n"))
            }
        }
    }

    @Test func randomShopsKeepTheListOrdersWhoeverWritesTheStats() async throws {
        var seed: UInt64 = 0
        await propertyCheck(count: 12, input: Self.steps) { steps in
            seed += 1
            var shop = try Shop(seed: seed)
            defer { shop.t.cleanup() }
            // A first bulk load into the members (every stats row new), then the steps.
            _ = try shop.t.importer(bulk: true).run(.orders, path: try shop.t.file("o0.csv", shop.orders(Step(kind: 0, a: 0, b: 11, c: 0))))
            try Self.expectListsMatchStats(shop.t.store, "the first load")
            for step in steps {
                try shop.run(step)
                try Self.expectListsMatchStats(shop.t.store, "step \(step) of \(steps)")
            }
        }
    }

    /// A bulk load that fails after it dropped the triggers (its stats row refused) rolls back as a
    /// whole: tables and triggers as before, and the next small load keeps them.
    @Test func aFailedBulkLoadLeavesTheOrdersAndTheirTriggersAsTheyWere() throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try t.importer(bulk: true).run(.orders, path: try t.file("o1.csv", "order_id,buyer_id,paid_at,amount\n1,a,2026-01-02 10:00:00,1.00\n2,b,2026-01-03 10:00:00,3.00\n"))
        try t.store.pool.write { try $0.execute(sql: "CREATE UNIQUE INDEX refuse ON member_stats(last_paid_at)") }
        let before = try t.store.pool.read { try Self.lists($0) }
        #expect(throws: StoreError.self) {
            try t.importer(bulk: true).run(.orders, path: try t.file("o2.csv", "order_id,buyer_id,paid_at,amount\n3,c,2026-02-01 10:00:00,2.00\n4,d,2026-02-01 10:00:00,5.00\n"))
        }
        let after = try t.store.pool.read { try Self.lists($0) }
        #expect(after.last == before.last && after.spend == before.spend && after.last.count == 2)
        try t.store.pool.write { try $0.execute(sql: "DROP INDEX refuse") }
        _ = try t.importer(bulk: false).run(.orders, path: try t.file("o3.csv", "order_id,buyer_id,paid_at,amount\n5,a,2026-03-01 10:00:00,4.00\n6,e,2026-03-02 10:00:00,1.00\n"))
        try Self.expectListsMatchStats(t.store, "a small load after the failed one")
    }

    /// The same rollback inside one write: triggers dropped, changes collected, then an error.
    @Test func aRefreshThatThrowsAfterSuspendingRollsTheTriggersBack() throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try t.importer(bulk: false).run(.orders, path: try t.file("o1.csv", "order_id,buyer_id,paid_at,amount\n1,a,2026-01-02 10:00:00,1.00\n"))
        struct Killed: Error {}
        #expect(throws: Killed.self) {
            try t.store.pool.write { db in
                _ = try ListOrders.suspend(db)
                try db.execute(sql: "UPDATE member_stats SET paid_sum = paid_sum + 1")
                throw Killed()
            }
        }
        try t.store.pool.write { try $0.execute(sql: "UPDATE member_stats SET paid_sum = paid_sum + 7, last_paid_at = '2026-05-05 05:05:05'") }
        try Self.expectListsMatchStats(t.store, "an update after the rolled-back refresh")
    }

    /// A store whose tables were emptied or lost a trigger (not something ecrm does) gets them
    /// rebuilt from member_stats by its next bulk load, also one of members only.
    @Test(arguments: ["DELETE FROM member_list_spend", "DROP TRIGGER member_list_last_update", "DROP TRIGGER member_list_insert; DROP TRIGGER member_list_delete; DROP TRIGGER member_list_last_update; DROP TRIGGER member_list_spend_update; DROP TABLE member_list_last"])
    func theNextBulkLoadHealsListOrdersThatWentWrong(damage: String) throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try t.importer(bulk: false).run(.orders, path: try t.file("o1.csv", "order_id,buyer_id,paid_at,amount\n1,a,2026-01-02 10:00:00,1.00\n2,b,2026-01-03 10:00:00,3.00\n"))
        try t.store.pool.write { db in
            try db.execute(sql: damage)
            try db.execute(sql: "UPDATE member_stats SET last_paid_at = '2026-06-06 06:06:06' WHERE member_id = 1")
        }
        let healthy = try t.store.pool.read { try ListOrders.intact($0) }
        #expect(!healthy || damage.hasPrefix("DELETE"))
        if damage.hasPrefix("DELETE") {
            // Tables and triggers there, contents wrong: only a rebuild finds it.
            try t.store.pool.write { db in
                let pending = try ListOrders.suspend(db)
                pending.rebuild = true
                try pending.resume(db)
            }
        } else {
            _ = try t.importer(bulk: true).run(.members, path: try t.file("m.csv", "buyer_id,nick\nc,丙\n"))
        }
        try Self.expectListsMatchStats(t.store, damage)
    }

    /// The demo shop (a bulk load of its own) and a store migrated to v25 from v23 with data.
    @Test func theDemoShopAndMigrationV25FillTheOrders() throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try DemoShop(members: 300, orders: 1200, seed: 3, endDay: Day(year: 2026, month: 6, day: 1)!).generate(into: t.store)
        try Self.expectListsMatchStats(t.store, "the demo shop")

        let old = try OldStore(upTo: "v23-search-extra-stale"); defer { old.cleanup() }
        try old.queue.write { db in
            try db.execute(sql: "INSERT INTO member(id, buyer_id) VALUES (1, 'a'), (2, 'b'), (3, 'c')")
            try db.execute(sql: """
                INSERT INTO member_stats(member_id, last_paid_at, paid_count, paid_sum) VALUES
                (1, '2026-01-01 10:00:00', 1, 500), (2, NULL, 0, 0), (3, '2026-01-01 10:00:00', 2, 500)
                """)
        }
        try Schema.migrator.migrate(old.queue)
        let l = try old.queue.read { try Self.lists($0) }
        #expect(l.last == ["2026-01-01 10:00:00|1", "2026-01-01 10:00:00|3"] && l.last == l.wantLast)
        #expect(l.spend == ["0|2", "500|1", "500|3"] && l.spend == l.wantSpend)
        let indexes = try old.queue.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE name IN ('member_stats_last', 'member_stats_spend')") }
        #expect(indexes.isEmpty)
    }
}
