import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// member_orders replaces an index on orders(member_id): every path that writes orders must leave
/// each member's list equal to the orders the table holds for that member.
@Suite struct MemberOrderListsTests {
    /// Lists that disagree with the orders table, as "member: listed vs stored" lines (empty = all agree).
    static func mismatches(_ db: Database) throws -> [String] {
        var stored: [Int64: [Int64]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT member_id, order_id FROM orders ORDER BY member_id, order_id") {
            stored[row[0], default: []].append(row[1])
        }
        var listed: [Int64: [Int64]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT member_id, order_ids FROM member_orders") {
            let blob: Data = row[1]
            listed[row[0]] = stride(from: 0, to: blob.count, by: 8).map { k in
                blob[k..<k + 8].enumerated().reduce(Int64(0)) { $0 | Int64($1.element) << (8 * Int64($1.offset)) }
            }
        }
        return Set(stored.keys).union(listed.keys).sorted().compactMap { m in
            stored[m] == listed[m] ? nil : "\(m): listed \(listed[m] ?? []) vs stored \(stored[m] ?? [])"
        }
    }

    /// Orders listed by buyer, as the card and stats read them.
    static func listsByBuyer(_ db: Database) throws -> [String] {
        try Row.fetchAll(db, sql: "SELECT buyer_id, id FROM member ORDER BY buyer_id").map { row in
            let buyer: String = row[0], id: Int64 = row[1]
            return buyer + ":" + (try MemberOrderLists.ids(of: id, db)).map(String.init).joined(separator: ",")
        }
    }

    /// Two order files, the second out of id order, with unknown buyers and every status, loaded in
    /// bulk and row by row: the same lists, equal to the table.
    @Test func bulkAndRowByRowLoadsListEveryOrderOfEveryMember() throws {
        var members = "buyer_id,nick\n"
        for i in 0..<50 { members += "m\(i),会员\(i)\n" }
        let statuses = ["paid", "refunded", "closed", "unpaid", "paid"]
        var first = "order_id,buyer_id,paid_at,amount,status\n", second = first
        for j in 0..<400 {
            let time = statuses[j % 5] == "unpaid" ? "" : "2026-0\(1 + j % 9)-1\(j % 10) 10:00:00"
            first += "\(7_000_000_000 + j * 5_000_000_000),m\(j * 7 % 60),\(time),\(j % 30).00,\(statuses[j % 5])\n"
        }
        // Descending ids: every step is negative and is kept whole.
        for j in (0..<300).reversed() { second += "\(1000 + j * 3),m\(j % 55),2025-12-0\(1 + j % 9) 09:00:00,1.00,paid\n" }
        func load(bulk: Bool) throws -> [String] {
            let t = try TempStore(); defer { t.cleanup() }
            let importer = t.importer(bulk: bulk)
            _ = try importer.run(.members, path: try t.file("m.csv", members))
            let r1 = try importer.run(.orders, path: try t.file("o1.csv", first))
            let r2 = try importer.run(.orders, path: try t.file("o2.csv", second))
            #expect(r1.added == 400 && r2.added == 300 && r1.membersCreated == 10)
            return try t.store.pool.read { db in
                #expect(try Self.mismatches(db) == [])
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM member_orders") == 60)
                return try Self.listsByBuyer(db)
            }
        }
        let bulk = try load(bulk: true)
        #expect(bulk == (try load(bulk: false)))
        // m0 has orders 0, 60, 120, … of the first file (j*7 ≡ 0 mod 60) and 0, 55, … of the second.
        #expect(bulk.first { $0.hasPrefix("m0:") }?.hasPrefix("m0:1000,1165,") == true)
    }

    /// A re-import that gives an existing order to another buyer moves it between lists, and both
    /// members' stats and cards follow.
    @Test func anOrderGivenToAnotherBuyerMovesBetweenLists() throws {
        for bulk in [false, true] {
            let t = try TempStore(); defer { t.cleanup() }
            let importer = t.importer(bulk: bulk)
            let orders = "order_id,buyer_id,paid_at,amount,status\n1,a,2026-01-01 10:00:00,10.00,paid\n2,a,2026-01-02 10:00:00,20.00,paid\n3,b,2026-01-03 10:00:00,5.00,paid\n"
            _ = try importer.run(.orders, path: try t.file("o.csv", orders))
            let r = try importer.run(.orders, path: try t.file("o2.csv", "order_id,buyer_id,paid_at,amount,status\n2,b,2026-01-02 10:00:00,20.00,paid\n"))
            #expect(r.updated == 1)
            try t.store.pool.read { (db: Database) throws in
                #expect(try Self.mismatches(db) == [])
                #expect(try Self.listsByBuyer(db) == ["a:1", "b:2,3"])
                let stats = try String.fetchAll(db, sql: "SELECT m.buyer_id || ':' || s.paid_count || ':' || s.paid_sum FROM member m JOIN member_stats s ON s.member_id = m.id ORDER BY m.buyer_id")
                #expect(stats == ["a:1:1000", "b:2:2500"])
                let b = try #require(try MemberQueries.resolve(db, "b"))
                #expect(try MemberQueries.detail(db, id: b)?.recentOrders.map(\.orderId) == ["3", "2"])
            }
            // Moved back and its only remaining order refunded: a keeps both lists' worth, b keeps 3.
            _ = try importer.run(.orders, path: try t.file("o3.csv", "order_id,buyer_id,paid_at,amount,status\n2,a,2026-01-02 10:00:00,20.00,paid\n3,b,2026-01-03 10:00:00,5.00,refunded\n"))
            try t.store.pool.read { (db: Database) throws in
                #expect(try Self.mismatches(db) == [])
                #expect(try Self.listsByBuyer(db) == ["a:1,2", "b:3"])
                #expect(try Int.fetchOne(db, sql: "SELECT paid_count FROM member_stats WHERE member_id = (SELECT id FROM member WHERE buyer_id = 'b')") == 0)
            }
        }
    }

    /// An amount too big for the compact columns sends the load down the full rebuild: lists too.
    @Test func theOverflowFallbackRebuildsTheListsFromTheTable() throws {
        for bulk in [false, true] {
            let t = try TempStore(); defer { t.cleanup() }
            let importer = t.importer(bulk: bulk)
            _ = try importer.run(.orders, path: try t.file("o.csv", "order_id,buyer_id,paid_at,amount,status\n9,a,2026-01-01 10:00:00,1.00,paid\n"))
            let csv = "order_id,buyer_id,paid_at,amount,status\n12,a,2026-01-02 10:00:00,30000000.00,paid\n11,b,2026-01-03 10:00:00,1.00,closed\n10,a,2026-01-04 10:00:00,2.00,paid\n"
            _ = try importer.run(.orders, path: try t.file("o2.csv", csv))
            try t.store.pool.read { (db: Database) throws in
                #expect(try Self.mismatches(db) == [])
                #expect(try Self.listsByBuyer(db) == ["a:9,10,12", "b:11"])
            }
        }
    }

    /// Ids in load order come back from their 32-bit steps, out-of-order ones included; a load far
    /// from id order stops keeping ids (memory stays at 16 bytes an order) and says so.
    @Test func newOrdersKeepIdsAsStepsAndDropThemWhenMostlyOutOfOrder() {
        let time = LocalTime(day: Day(year: 2026, month: 1, day: 1)!, secondOfDay: 3600)
        var ids: [Int64] = []
        for k in 0..<5000 { ids.append(k % 10 == 3 ? 9_000_000_000_000 - Int64(k) : 1_000_000_000 + Int64(k) * 7919) }
        ids += [Int64.min, Int64.max, 0, -5]
        var orders = NewOrders()
        for (k, id) in ids.enumerated() { orders.append(member: Int64(k % 7), orderId: id, paid: k % 2 == 0 ? (time, 100) : nil) }
        var back: [Int64] = []
        orders.forEachId { _, id in back.append(id) }
        #expect(back == ids)
        #expect(!orders.idsDropped && orders.paidCount == (ids.count + 1) / 2)

        var descending = NewOrders()
        let n = NewOrders.farIdLimit * 2
        for k in 0..<n { descending.append(member: 1, orderId: Int64(n - k), paid: (time, 5)) }
        #expect(descending.idsDropped)
        #expect(descending.count == n && descending.paidCount == n && descending.farIds.isEmpty && descending.idSteps.isEmpty)
    }

    /// A big file in descending id order: the ids are dropped mid-load and the lists come from the table.
    @Test func aFileFarFromIdOrderStillListsEveryOrder() throws {
        let t = try TempStore(); defer { t.cleanup() }
        let importer = t.importer(bulk: true)
        let n = NewOrders.farIdLimit + 5000
        var csv = "order_id,buyer_id,paid_at,amount,status\n"
        csv.reserveCapacity(n * 48)
        for k in 0..<n { csv += "\(10_000_000_000 - k * 3),b\(k % 97),2026-01-0\(1 + k % 9) 10:00:00,1.00,\(k % 5 == 0 ? "closed" : "paid")\n" }
        let r = try importer.run(.orders, path: try t.file("o.csv", csv))
        #expect(r.added == n && r.rejected == 0)
        try t.store.pool.read { (db: Database) throws in
            #expect(try Self.mismatches(db) == [])
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM member_orders") == 97)
        }
    }

    /// The rebuild from the table, in one pass or in member ranges of a few orders each, gives the
    /// lists the loads wrote.
    @Test(arguments: [1, 7, 4 << 20])
    func rebuildingFromTheTableGivesTheSameLists(chunk: Int) throws {
        let t = try TempStore(); defer { t.cleanup() }
        var csv = "order_id,buyer_id,paid_at,amount,status\n"
        for k in 0..<300 { csv += "\(5_000 + (k * 37) % 300),b\(k % 23 == 0 ? 0 : k % 11),2026-01-0\(1 + k % 9) 10:00:00,1.00,paid\n" }
        _ = try Importer(store: t.store).run(.orders, path: try t.file("o.csv", csv))
        try t.store.pool.write { db in
            let loaded = try Self.listsByBuyer(db)
            #expect(try Self.mismatches(db) == [])
            try MemberOrderLists.rebuildAll(db, chunk: chunk)
            #expect(try Self.listsByBuyer(db) == loaded)
            #expect(try Self.mismatches(db) == [])
        }
    }

    /// Member ids too large for a count per member, or outside the member table, are rebuilt through
    /// SQLite's sort instead.
    @Test func hugeMemberIdsAreRebuiltBySorting() throws {
        let t = try TempStore(); defer { t.cleanup() }
        try t.store.pool.write { db in
            try db.execute(sql: "INSERT INTO member(id, buyer_id) VALUES (3, 'a'), (1 << 40, 'b')")
            for (order, member) in [(9, 1 << 40), (4, 3), (7, 1 << 40), (2, 3)] as [(Int64, Int64)] {
                try db.execute(sql: "INSERT INTO orders(order_id, member_id, amount, status) VALUES (?, ?, 1, 'paid')", arguments: [order, member])
            }
            try MemberOrderLists.rebuildAll(db)
            #expect(try MemberOrderLists.ids(of: 1 << 40, db) == [7, 9])
            #expect(try MemberOrderLists.ids(of: 3, db) == [2, 4])
            #expect(try Self.mismatches(db) == [])
        }
        // An order naming no member (foreign keys were off) is listed too, through the same fallback.
        let u = try TempStore(); defer { u.cleanup() }
        try u.store.pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "INSERT INTO member(id, buyer_id) VALUES (1, 'a')")
            try db.execute(sql: "INSERT INTO orders(order_id, member_id, amount, status) VALUES (5, 1, 1, 'paid'), (6, 99, 1, 'paid')")
            try MemberOrderLists.rebuildAll(db)
            #expect(try MemberOrderLists.ids(of: 99, db) == [6])
            #expect(try Self.mismatches(db) == [])
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
    }

    /// The card shows the ten latest orders by paid time, never-paid ones (no time) last.
    @Test func theCardListsTheLatestTenOrdersNewestFirst() throws {
        let t = try TempStore(); defer { t.cleanup() }
        var csv = "order_id,buyer_id,paid_at,amount,status\n"
        csv += "100,a,,3.00,unpaid\n"
        // Ids and times in opposite orders: the card sorts by time, not by id.
        for k in 0..<12 { csv += "\(200 - k),a,2026-02-\(String(format: "%02d", 1 + k)) 10:00:00,1.00,\(k == 5 ? "refunded" : "paid")\n" }
        _ = try Importer(store: t.store).run(.orders, path: try t.file("o.csv", csv))
        let lines = try t.store.pool.read { db in
            let a = try #require(try MemberQueries.resolve(db, "a"))
            return try #require(try MemberQueries.detail(db, id: a)).recentOrders
        }
        #expect(lines.map(\.orderId) == (0..<10).map { String(189 + $0) })
        #expect(lines.first?.paidAt == "2026-02-12 10:00:00")
        #expect(lines.contains { $0.status == "refunded" })
        let all = try t.store.pool.read { db in try MemberQueries.recentOrders(db, member: try #require(try MemberQueries.resolve(db, "a")), limit: 50) }
        #expect(all.count == 13 && all.last?.orderId == "100" && all.last?.paidAt == "")
    }

    /// The demo shop loads through the same loader: its lists agree with its orders.
    @Test func theDemoShopsListsAgreeWithItsOrders() throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try DemoShop(members: 400, seed: 3, endDay: Day(year: 2026, month: 6, day: 30)!).generate(into: t.store)
        try t.store.pool.read { (db: Database) throws in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM orders") ?? 0 > 400)
            #expect(try Self.mismatches(db) == [])
        }
    }

    /// A store made before member_orders gets its lists filled from its orders, and the orders
    /// index it replaces is gone.
    @Test func migrationFillsTheListsOfAnExistingStore() throws {
        let old = try OldStore(upTo: "v7-exact-lookups-from-postings"); defer { old.cleanup() }
        let queue = old.queue
        try queue.write { db in
            try db.execute(sql: "INSERT INTO member(id, buyer_id) VALUES (1, 'a'), (2, 'b'), (3, 'c')")
            for (order, member) in [(30, 1), (10, 2), (20, 1), (40, 2), (5, 1)] {
                try db.execute(sql: "INSERT INTO orders(order_id, member_id, paid_at, amount, status) VALUES (?, ?, '2026-01-01 10:00:00', 100, 'paid')",
                               arguments: [order, member])
            }
        }
        try Schema.migrator.migrate(queue)
        try queue.read { (db: Database) throws in
            #expect(try Self.mismatches(db) == [])
            #expect(try MemberOrderLists.ids(of: 1, db) == [5, 20, 30])
            #expect(try MemberOrderLists.ids(of: 3, db) == [])
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN ('orders_member', 'member_nick', 'member_phone')") == 0)
        }
    }
}
