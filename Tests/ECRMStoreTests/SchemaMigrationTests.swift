import Foundation
import Testing
import GRDB
@testable import ECRMStore

@Suite struct SchemaMigrationTests {
    /// v5 rebuilds `orders` with its status rule written as ORs: a store made before keeps every order
    /// and stays listed by member, the rule still refuses an unknown status, and an insert no longer builds an
    /// ephemeral table per row (what made a 5M-order import twice as slow).
    @Test func ordersStatusCheckMigrationKeepsOrdersAndTheRule() throws {
        let old = try OldStore(upTo: "v4-tier-baseline"); defer { old.cleanup() }
        let queue = old.queue
        try queue.write { db in
            try db.execute(sql: "INSERT INTO member(id, buyer_id) VALUES (1, 'b1')")
            for (i, s) in ["paid", "refunded", "closed", "unpaid"].enumerated() {
                try db.execute(sql: "INSERT INTO orders(order_id, member_id, paid_at, amount, status) VALUES (?, 1, '2026-01-0\(i + 1) 10:00:00', 100, ?)",
                               arguments: [i + 1, s])
            }
        }
        try Schema.migrator.migrate(queue)
        try queue.write { db in
            #expect(try String.fetchAll(db, sql: "SELECT status FROM orders ORDER BY order_id") == ["paid", "refunded", "closed", "unpaid"])
            // Orders by member are listed in member_orders (v8) now, not indexed.
            #expect(try MemberOrderLists.ids(of: 1, db) == [1, 2, 3, 4])
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "INSERT INTO orders(order_id, member_id, amount, status) VALUES (9, 1, 1, 'lost')")
            }
            let plan = try Row.fetchAll(db, sql: "EXPLAIN INSERT INTO orders(order_id, member_id, paid_at, amount, status, items) VALUES (7, 1, '', 1, 'paid', 1)")
                .map { $0["opcode"] as String }
            #expect(plan.contains("Insert"))
            #expect(!plan.contains("OpenEphemeral"))
        }
    }
}
