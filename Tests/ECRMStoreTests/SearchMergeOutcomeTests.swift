import Foundation
import Testing
import GRDB
import ECRMDomain
@testable import ECRMStore

/// What a large search refresh did is said as it was: merged into the built postings, rebuilt from
/// the table (the merge found postings that were not a rebuild's and rebuilt them itself), or
/// declined (nothing written; the caller rebuilds). Before, SearchMerge.run answered `true` after its
/// own rebuild, and a bulk import then reported "merged" for a rebuild.
@Suite struct SearchMergeOutcomeTests {
    /// A shop indexed by a bulk import (postings that are a rebuild's).
    static func shop() throws -> TempStore {
        var rnd = SplitMix64(seed: 19)
        return try SearchMergeTests.shop(&rnd, members: 120)
    }

    /// A posting naming a rank no member has: the postings are not a rebuild's.
    static func spoil(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO search_large(gram, first_rk, data) VALUES (12345, 999999, x'01')")
    }

    static func bulkImport(_ t: TempStore) throws -> ImportReport? {
        let m = "buyer_id,nick,name,phone\nz1,老张头,,13800001111\nb3,小明换名,,\n"
        let o = "order_id,buyer_id,buyer_nick,paid_at,amount,status\n9000001,z1,,2025-06-01 10:00:00,1.00,paid\n"
        return try t.importer(bulk: true).run([(.members, try t.file("m2.csv", m)), (.orders, try t.file("o2.csv", o))]).last
    }

    /// A bulk import whose extra set would pass half the built postings merges everything instead
    /// (SearchExtra); that merge finds the spoiled posting and rebuilds.
    @Test func aBulkImportSaysItRebuiltWhenTheMergeRebuilt() throws {
        let t = try Self.shop(); defer { t.cleanup() }
        try t.store.pool.write { try Self.spoil($0) }
        var m = "buyer_id,nick,name,phone\n"
        for i in 0..<100 { m += "many\(i),新会员\(i),,\n" }
        let report = try t.importer(bulk: true).run([(.members, try t.file("m3.csv", m)), (.orders, try t.file("o3.csv", "order_id,buyer_id,paid_at,amount\n9000009,many1,2025-06-01 10:00:00,1.00\n"))]).last
        #expect(report?.searchBuild == "table")
        try t.store.pool.write { (db: Database) throws in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM search_large WHERE gram = 12345") == 0)
            try SearchMergeTests.expectRebuildEqual(db, "after the rebuild")
        }
    }

    @Test func aBulkImportIntoABuiltIndexSaysExtra() throws {
        let t = try Self.shop(); defer { t.cleanup() }
        #expect(try Self.bulkImport(t)?.searchBuild == "extra")
        try t.store.pool.write { try SearchMergeTests.expectRebuildEqual($0, "after the extra set") }
    }

    @Test func theMergeSaysMergedRebuiltOrDeclined() throws {
        let t = try Self.shop(); defer { t.cleanup() }
        try t.store.pool.write { (db: Database) throws in
            let m = try #require(try Int64.fetchOne(db, sql: "SELECT id FROM member WHERE buyer_id = 'b3'"))
            try db.execute(sql: "UPDATE member SET nick = '老张头' WHERE id = ?", arguments: [m])
            #expect(try SearchMerge.run(db, touched: [m], textChanged: [m]) == .merged)
            // A delta (a small refresh): nothing written, the caller rebuilds.
            try db.execute(sql: "UPDATE member SET nick = '王小明' WHERE id = ?", arguments: [m])
            #expect(try SearchIndex.refresh(db, members: [m]) == .members)
            #expect(try SearchMerge.run(db, touched: [m], textChanged: [m]) == .declined)
            try SearchIndex.rebuildAll(db)
            try Self.spoil(db)
            #expect(try SearchMerge.run(db, touched: [m], textChanged: [m]) == .rebuilt)
            try SearchMergeTests.expectRebuildEqual(db, "after the merge's rebuild")
        }
    }

    /// The refresh passes the merge's own rebuild on as a rebuild.
    @Test func aLargeRefreshSaysRebuiltWhenTheMergeRebuilt() throws {
        let t = try Self.shop(); defer { t.cleanup() }
        var large = SearchIndex.RefreshLimits(share: 1_000_000, minMembers: 1)
        large.extraSet = false   // the merge's path (the extra set's: SearchExtraTests)
        try t.store.pool.write { (db: Database) throws in
            let m = try #require(try Int64.fetchOne(db, sql: "SELECT id FROM member WHERE buyer_id = 'b3'"))
            try db.execute(sql: "UPDATE member SET nick = '老张头' WHERE id = ?", arguments: [m])
            try Self.spoil(db)
            #expect(try SearchIndex.refresh(db, members: [m], limits: large) == .rebuilt)
            try db.execute(sql: "UPDATE member SET nick = '张小明' WHERE id = ?", arguments: [m])
            #expect(try SearchIndex.refresh(db, members: [m], limits: large) == .merged)
            try SearchMergeTests.expectRebuildEqual(db, "after the refreshes")
        }
    }
}
