import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// MemberRefresh is the one call that brings a member's derived data up to date. Import uses it at
/// the end of every load (ImportTests, EarlyPairsTests and the rest check that path); here it is
/// used as merge and unmerge will: orders re-pointed to another member, the other member removed.
@Suite struct MemberRefreshTests {
    static let asOf = Day(year: 2026, month: 11, day: 30)!

    /// Three members with paid orders, RFM computed.
    func shop() throws -> TempStore {
        let t = try TempStore()
        let importer = t.importer(bulk: false)
        _ = try importer.run(.members, path: try t.file("m.csv", "buyer_id,nick\nalice,小明\nbob,阿强\ncarol,小红\n"))
        _ = try importer.run(.orders, path: try t.file("o.csv", """
            order_id,buyer_id,paid_at,amount,status
            11,alice,2026-11-01 10:00:00,30.00,paid
            12,alice,2026-11-02 10:00:00,20.00,refunded
            21,bob,2026-11-10 10:00:00,60.00,paid
            22,bob,2026-11-12 10:00:00,50.00,paid
            31,carol,2026-10-01 10:00:00,5.00,paid

            """))
        try t.store.pool.write { db in
            try RFMEngine.recompute(db, settings: RFMEngine.loadConfig(db).settings(asOf: Self.asOf))
        }
        return t
    }

    func id(_ db: Database, _ buyer: String) throws -> Int64 {
        try #require(try Int64.fetchOne(db, sql: "SELECT id FROM member WHERE buyer_id = ?", arguments: [buyer]))
    }

    /// Bob's orders move to alice and bob goes (a merge): lists, stats, search and RFM follow, and
    /// nothing derived is left for bob; carol's rows stay as they were.
    @Test func ordersMovedToAnotherMemberAndTheMemberRemoved() throws {
        let t = try shop(); defer { t.cleanup() }
        let carolBefore = try t.store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM member_stats s JOIN member_rfm r USING (member_id) JOIN member m ON m.id = s.member_id WHERE m.buyer_id = 'carol'")
        }
        let outcome = try t.store.pool.write { db -> MemberRefresh.Outcome in
            let alice = try id(db, "alice"), bob = try id(db, "bob")
            let moved = try MemberOrderLists.ids(of: bob, db).map { MemberRefresh.MovedOrder(order: $0, from: bob, to: alice) }
            #expect(moved.count == 2)
            try db.execute(sql: "UPDATE orders SET member_id = ? WHERE member_id = ?", arguments: [alice, bob])
            try db.execute(sql: "DELETE FROM member WHERE id = ?", arguments: [bob])
            return try MemberRefresh.refresh(db, members: [alice, bob], moved: moved, rfmAsOf: Self.asOf)
        }
        #expect(outcome.searchBuild == "members")
        try t.store.pool.read { db in
            #expect(try MemberOrderListsTests.mismatches(db) == [])
            let alice = try id(db, "alice")
            let stats = try #require(try Row.fetchOne(db, sql: "SELECT paid_count, paid_sum, last_paid_at FROM member_stats WHERE member_id = ?", arguments: [alice]))
            #expect(stats[0] as Int64 == 3)          // 30 + 60 + 50; the refund does not count
            #expect(stats[1] as Int64 == 14_000)
            #expect(stats[2] as String == "2026-11-12 10:00:00")
            // Nothing derived is left for a member who is gone.
            for table in ["member_stats", "member_orders", "member_rfm"] {
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) WHERE member_id NOT IN (SELECT id FROM member)") == 0, "\(table)")
            }
            // (A rank row a refresh superseded stays until the rebuild, and is skipped: MemberRanks.)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM search_rank r WHERE member_id NOT IN (SELECT id FROM member) AND \(MemberRanks.current("r"))") == 0)
            // Alice's RFM row is what a full computation gives her now.
            let fresh = try RFMEngine.compute(db, settings: RFMEngine.loadConfig(db).settings(asOf: Self.asOf))
            let k = try #require(fresh.ids.firstIndex(of: alice))
            let row = try #require(try Row.fetchOne(db, sql: "SELECT frequency, monetary FROM member_rfm WHERE member_id = ?", arguments: [alice]))
            #expect(row[0] as Int == fresh.measures[k].frequency && row[0] as Int == 3)
            #expect(row[1] as Int64 == fresh.measures[k].monetary)
            // Searching bob's nick finds nobody now; alice is still found by hers.
            #expect(try MemberSearch.search(db, "阿强").isEmpty)
            #expect(try MemberSearch.search(db, "小明").map(\.buyerId) == ["alice"])
            let carolAfter = try Row.fetchAll(db, sql: "SELECT * FROM member_stats s JOIN member_rfm r USING (member_id) JOIN member m ON m.id = s.member_id WHERE m.buyer_id = 'carol'")
            #expect(carolAfter == carolBefore)
        }
    }

    /// The reverse (an unmerge): the orders go back to a member made again, who is found, counted
    /// and listed as before.
    @Test func ordersMovedBackToAMemberMadeAgain() throws {
        let t = try shop(); defer { t.cleanup() }
        let before = try t.store.pool.read { db in try MemberOrderListsTests.listsByBuyer(db) }
        try t.store.pool.write { db in
            let alice = try id(db, "alice"), bob = try id(db, "bob")
            let bobs = try MemberOrderLists.ids(of: bob, db)
            try db.execute(sql: "UPDATE orders SET member_id = ? WHERE member_id = ?", arguments: [alice, bob])
            try MemberRefresh.refresh(db, members: [alice, bob], moved: bobs.map { .init(order: $0, from: bob, to: alice) }, rfmAsOf: Self.asOf)
            try db.execute(sql: "UPDATE orders SET member_id = ? WHERE order_id IN (21, 22)", arguments: [bob])
            try MemberRefresh.refresh(db, members: [alice, bob], moved: bobs.map { .init(order: $0, from: alice, to: bob) }, rfmAsOf: Self.asOf)
        }
        try t.store.pool.read { db in
            #expect(try MemberOrderListsTests.listsByBuyer(db) == before)
            #expect(try MemberOrderListsTests.mismatches(db) == [])
            let bob = try id(db, "bob")
            #expect(try Int64.fetchOne(db, sql: "SELECT paid_sum FROM member_stats WHERE member_id = ?", arguments: [bob]) == 11_000)
            #expect(try MemberSearch.search(db, "阿强").map(\.buyerId) == ["bob"])
            let fresh = try RFMEngine.compute(db, settings: RFMEngine.loadConfig(db).settings(asOf: Self.asOf))
            let stored = try Row.fetchAll(db, sql: "SELECT member_id, frequency, monetary, \(try StoredR.expr(db, "member_rfm")) AS r, f, m, segment FROM member_rfm ORDER BY member_id").map { row in
                [row[0], row[1], row[2], row[3], row[4], row[5], row[6]] as [Int64]
            }
            let computed = fresh.ids.indices.map { k in
                [fresh.ids[k], Int64(fresh.measures[k].frequency), fresh.measures[k].monetary,
                 Int64(fresh.scoring.scores[k].r), Int64(fresh.scoring.scores[k].f), Int64(fresh.scoring.scores[k].m),
                 Int64(fresh.scoring.scores[k].segment.code)]
            }
            #expect(stored == computed)
        }
    }
}
