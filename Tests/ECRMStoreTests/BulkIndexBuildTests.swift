import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// The bulk indexes (Schema.bulkIndexes) after a bulk load: whatever the sorter was given
/// (Maintenance.sortThreads), every one exists and agrees with its table, the connection's sorter
/// threads and page cache are as they were, and a store that lost some (a load killed between the
/// drop and the rebuild, when those were separate transactions) gets them back.
@Suite struct BulkIndexBuildTests {
    let members = "buyer_id,nick,phone\nb1,一,13800000001\nb2,二,13800000002\nb3,三,\n"
    let orders = """
        order_id,buyer_id,paid_at,amount
        1,b1,2026-01-01 10:00:00,5
        2,b2,2026-02-01 10:00:00,7
        3,b1,2026-03-01 10:00:00,9
        4,b3,2026-03-02 10:00:00,1

        """

    /// The bulk indexes the store lacks.
    func missing(_ t: TempStore) throws -> [String] {
        try t.store.pool.read { db in
            let names = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index'"))
            return Schema.bulkIndexes.map(\.name).filter { !names.contains($0) }
        }
    }

    /// Every bulk index present, integrity_check "ok" (it compares each index with its table), and
    /// the member list's spend order read through its table (ListOrders).
    func check(_ t: TempStore) throws -> (missing: [String], integrity: String, bySpend: [String]) {
        let missing = try missing(t)
        return try t.store.pool.read { db in
            (missing, try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "",
                    try String.fetchAll(db, sql: """
                        SELECT m.buyer_id FROM member_list_spend l JOIN member m ON m.id = l.member_id
                        ORDER BY l.paid_sum DESC
                        """))
        }
    }

    @Test func theSorterGetsTheCoresNoOtherThreadOfTheLoadUses() {
        #expect(Maintenance.sortThreads(othersBusy: false, cores: 2) == 2)
        #expect(Maintenance.sortThreads(othersBusy: false, cores: 8) == 2)
        #expect(Maintenance.sortThreads(othersBusy: true, cores: 1) == 0)
        #expect(Maintenance.sortThreads(othersBusy: true, cores: 2) == 0)
        #expect(Maintenance.sortThreads(othersBusy: true, cores: 3) == 1)
        #expect(Maintenance.sortThreads(othersBusy: true, cores: 8) == 2)
    }

    /// A bulk load into an empty store builds its search pairs meanwhile (EarlyPairs: the index
    /// builds sort with the cores left over); one into a store with members does not. Both leave
    /// every bulk index whole, and the writer's sorter threads and page cache as they were.
    @Test func bulkLoadsLeaveEveryBulkIndexWholeAndTheConnectionAsItWas() throws {
        let t = try TempStore(); defer { t.cleanup() }
        try t.store.pool.write { try $0.execute(sql: "PRAGMA threads = 1") }
        let first = try t.importer(bulk: true).run([(.members, try t.file("m.csv", members)), (.orders, try t.file("o.csv", orders))])
        #expect(first.last?.searchBuild == "early")
        var got = try check(t)
        #expect(got.missing.isEmpty && got.integrity == "ok" && got.bySpend == ["b1", "b2", "b3"])
        let more = """
            order_id,buyer_id,paid_at,amount
            5,b3,2026-04-01 10:00:00,30
            6,b4,2026-04-02 10:00:00,2

            """
        let second = try t.importer(bulk: true).run(.orders, path: try t.file("o2.csv", more))
        #expect(second.added == 2 && second.searchBuild != "early")
        got = try check(t)
        #expect(got.missing.isEmpty && got.integrity == "ok" && got.bySpend == ["b3", "b1", "b2", "b4"])
        let pragmas = try t.store.pool.write { db in
            (try Int.fetchOne(db, sql: "PRAGMA threads"), try Int.fetchOne(db, sql: "PRAGMA cache_size"))
        }
        #expect(pragmas.0 == 1)
        #expect(pragmas.1.map(String.init) == Maintenance.usualCacheSize)
    }

    /// A store without member_rfm's bulk indexes (as a load killed between its drop and its
    /// rebuild could leave one, when those were separate transactions) gets them back from its
    /// next bulk load, even one of members only, which drops none of them.
    @Test func aStoreMissingBulkIndexesGetsThemBackFromTheNextBulkLoad() throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try t.importer(bulk: false).run([(.members, try t.file("m.csv", members)), (.orders, try t.file("o.csv", orders))])
        try t.store.pool.write { try $0.execute(sql: "DROP INDEX member_rfm_segment; DROP INDEX member_rfm_cell") }
        #expect(try missing(t) == ["member_rfm_segment", "member_rfm_cell"])
        _ = try t.importer(bulk: true).run(.members, path: try t.file("m2.csv", "buyer_id,nick\nb5,五\n"))
        let got = try check(t)
        #expect(got.missing.isEmpty && got.integrity == "ok" && got.bySpend == ["b1", "b2", "b3"])
    }
}
