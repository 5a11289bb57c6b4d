import Foundation
import Testing
import GRDB
import PropertyBased
@testable import ECRMStore
import ECRMDomain

/// The extra posting set of a large refresh (SearchExtra): built from the refreshed members only,
/// beside postings it leaves as they are, and read with them as one stream in the rebuild's order.
/// Random shops through random sequences of channel imports (new and phone-linked members), large
/// refreshes of edits, daily small refreshes and text edits: after each step with only large
/// refreshes since the last rebuild, every query lists what a rebuild lists in the same order;
/// otherwise the same members (a small refresh keeps an older order's rank until the rebuild).
@Suite struct SearchExtraTests {
    /// Undoes v22-search-extra exactly (a store of the release before it).
    static func undoExtra(_ db: Database) throws {
        try ListOrdersTests.undoListOrders(db)   // the later migrations first
        try ExtraRanksTests.undoChunks(db)
        try SearchExtraStaleTests.undoStale(db)
        try db.execute(sql: """
            DROP TABLE search_extra_small; DROP TABLE search_extra_large; DROP TABLE search_extra_rank; DROP TABLE search_extra_member;
            DELETE FROM search_meta WHERE key IN ('extra_shift', 'extra_rk_bits', 'extra_bucket_bits');
            DELETE FROM grdb_migrations WHERE identifier = 'v22-search-extra';
            """)
    }

    static let large = SearchIndex.RefreshLimits(share: 1_000_000, minMembers: 1)
    static let small = SearchIndex.RefreshLimits(share: 1, minMembers: 1_000_000, deltaPerMember: 1_000, minDelta: 1_000_000)

    /// The built postings' tables (which the extra set leaves alone).
    static func mainTables(_ db: Database) throws -> [String] {
        var out: [String] = []
        for (name, key) in [("search_rank", "rk"), ("search_small", "bucket"), ("search_large", "gram, first_rk"), ("search_member_rank", "chunk")] {
            for row in try Row.fetchAll(db, sql: "SELECT * FROM \(name) ORDER BY \(key)") { out.append("\(name) \(row)") }
        }
        return out
    }

    /// Every query's members as a rebuild of the store lists them (the rebuild rolled back).
    static func rebuilt(_ db: Database) throws -> [String: [Int64]] {
        var out: [String: [Int64]] = [:]
        try db.inSavepoint {
            try SearchIndex.rebuildAll(db)
            out = try SearchMergeTests.ordered(db)
            return .rollback
        }
        return out
    }

    /// `ordered`: the same order as a rebuild's, else the same members.
    static func expectLikeARebuild(_ db: Database, ordered: Bool, _ context: String) throws {
        let got = try SearchMergeTests.ordered(db)
        let want = try rebuilt(db)
        for q in SearchMergeTests.queries {
            if ordered {
                #expect(got[q] == want[q], "\(context): '\(q)' \(got[q] ?? []) against a rebuild's \(want[q] ?? [])")
            } else {
                #expect(Set(got[q] ?? []) == Set(want[q] ?? []), "\(context): '\(q)'")
                #expect(Set(got[q] ?? []).count == (got[q] ?? []).count, "\(context): '\(q)' lists a member twice")
            }
        }
        #expect(try SearchRefreshTests.mismatches(db) == [], "\(context)")
    }

    /// A channel's members file and orders (JD or offline): new members, some with a phone an
    /// existing member has (linked to it), orders for some of them and for existing members.
    static func channelImport(_ t: TempStore, _ rnd: inout SplitMix64, round: Int, bulk: Bool) throws -> String {
        let channel: Channel = rnd.next() % 2 == 0 ? .jd : .offline
        let phones = try t.store.pool.read { try String.fetchAll($0, sql: "SELECT phone FROM member WHERE length(phone) = 11") }
        var m = "buyer_id,nick,name,phone\n", o = "order_id,buyer_id,buyer_nick,paid_at,amount,status\n"
        let n = 5 + Int(rnd.next() % 40)
        var k = 0
        for i in 0..<n {
            let phone = !phones.isEmpty && rnd.next() % 3 == 0 ? phones[Int(rnd.next() % UInt64(phones.count))] : SearchMergeTests.phone(&rnd)
            m += "c\(round)x\(i),\(SearchMergeTests.nick(&rnd)),,\(phone)\n"
            if rnd.next() % 3 != 0 { o += "C\(round)-\(k),c\(round)x\(i),,\(SearchMergeTests.paidAt(&rnd)),1.00,paid\n"; k += 1 }
        }
        let report = try t.importer(bulk: bulk).run([(.members, try t.file("cm\(round).csv", m)), (.orders, try t.file("co\(round).csv", o))],
                                                    channel: channel).last
        return report?.searchBuild ?? ""
    }

    /// Straight edits told to a refresh: new members (some buyers), renames, new and older last
    /// orders (some not named: the refresh finds them moved), members of the extra set edited too.
    static func edits(_ db: Database, _ rnd: inout SplitMix64, round: Int, adding: Bool, rate: UInt64 = 15) throws -> (members: Set<Int64>, text: Set<Int64>) {
        let ids = try Int64.fetchAll(db, sql: "SELECT id FROM member ORDER BY id")
        var touched = Set<Int64>(), text = Set<Int64>()
        let maxId = ids.last ?? 0
        if adding {
            for i in 0..<Int(rnd.next() % 8) {
                let id = maxId + 1 + Int64(i)
                try db.execute(sql: "INSERT INTO member(id, buyer_id, nick, name, phone) VALUES (?, ?, ?, ?, ?)",
                               arguments: [id, "e\(round)n\(i)", SearchMergeTests.nick(&rnd), "", SearchMergeTests.phone(&rnd)])
                if rnd.next() % 2 == 0 {
                    try db.execute(sql: "INSERT INTO member_stats(member_id, last_paid_at, paid_count) VALUES (?, ?, 1)", arguments: [id, SearchMergeTests.paidAt(&rnd)])
                }
                text.insert(id)
            }
        }
        for id in ids {
            switch rnd.next() % rate {
            case 0:
                try db.execute(sql: "UPDATE member SET nick = ?, phone = ? WHERE id = ?", arguments: [SearchMergeTests.nick(&rnd), SearchMergeTests.phone(&rnd), id])
                text.insert(id)
            case 1, 2:   // a new order (a large refresh: newer, as a channel's; else any, a refund too)
                let paid = rate > 15 ? "2026" + SearchMergeTests.paidAt(&rnd).dropFirst(4) : SearchMergeTests.paidAt(&rnd)
                try db.execute(sql: "INSERT OR REPLACE INTO member_stats(member_id, last_paid_at, paid_count) VALUES (?, ?, 1)",
                               arguments: [id, paid])
                if rnd.next() % 3 != 0 { touched.insert(id) }
            default: break
            }
        }
        return (touched.union(text), text)
    }

    static func check(seed: UInt64) throws {
        var rnd = SplitMix64(seed: seed)
        let t = try SearchMergeTests.shop(&rnd, members: 60 + Int(rnd.next() % 140)); defer { t.cleanup() }
        var ordered = true   // no small refresh since the last rebuild
        for round in 0..<5 {
            // The first two rounds are large (a second large refresh merges into the extra set).
            let step = round < 2 ? [0, 2][Int(rnd.next() % 2)] : rnd.next() % 8
            var context = "seed \(seed) round \(round)"
            switch step {
            case 0, 1, 5:   // a channel import: bulk (the extra set) or not (a small refresh in these small shops)
                let bulk = step != 5
                let build = try channelImport(t, &rnd, round: round, bulk: bulk)
                context += " channel import (\(bulk ? "bulk" : "small"), \(build))"
                // (Only a bulk load reports its search build; a small one refreshes members: the delta.)
                if bulk {
                    #expect(["extra", "merged", "table", "early"].contains(build), "\(context)")
                    ordered = true
                } else {
                    ordered = false
                }
            case 2, 3:   // a large refresh of edits
                try t.store.pool.write { (db: Database) throws in
                    let e = try edits(db, &rnd, round: round, adding: true, rate: 40)
                    let r = try SearchIndex.refresh(db, members: e.members, textChanged: e.text, limits: large)
                    context += " large refresh (\(r))"
                    ordered = true
                }
            case 7:   // members merged away (deleted; their refresh leaves no delta), built or extra ones
                try t.store.pool.write { (db: Database) throws in
                    let free = try Int64.fetchAll(db, sql: "SELECT id FROM member m WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.member_id = m.id) ORDER BY id")
                    let ids = free.isEmpty ? [] : Array(Set((0..<2).map { _ in free[Int(rnd.next() % UInt64(free.count))] }))
                    for id in ids {
                        try db.execute(sql: "DELETE FROM member_stats WHERE member_id = ?; DELETE FROM member_identity WHERE member_id = ?; DELETE FROM member WHERE id = ?",
                                       arguments: [id, id, id])
                    }
                    #expect(try SearchIndex.refresh(db, members: Set(ids), limits: small) == .members)
                    context += " \(ids.count) merged away"
                }
            default:   // a small refresh of edits (the daily import)
                try t.store.pool.write { (db: Database) throws in
                    let e = try edits(db, &rnd, round: round, adding: rnd.next() % 2 == 0)
                    #expect(try SearchIndex.refresh(db, members: e.members, textChanged: e.text, limits: small) == .members)
                    context += " small refresh"
                    ordered = false
                }
            }
            try t.store.pool.write { try expectLikeARebuild($0, ordered: ordered, context) }
        }
    }

    @Test func searchListsWhatARebuildListsThroughRandomRefreshes() async throws {
        await propertyCheck(count: 6, input: Gen.int(in: 0...1_000_000)) { seed in
            try Self.check(seed: UInt64(seed))
        }
    }

    /// A channel import into a built index writes the extra tables only: the built postings and
    /// ranks stay byte for byte, and search lists the new and linked members in the rebuild's order.
    /// (Before, the import merged: every posting re-encoded, every rank renumbered.)
    @Test func aChannelImportLeavesTheBuiltPostingsAsTheyAre() throws {
        var rnd = SplitMix64(seed: 7)
        let t = try SearchMergeTests.shop(&rnd, members: 300); defer { t.cleanup() }
        let before = try t.store.pool.read { try Self.mainTables($0) }
        let phone = try #require(try t.store.pool.read { try String.fetchOne($0, sql: "SELECT phone FROM member WHERE length(phone) = 11 ORDER BY id") })
        let m = "buyer_id,nick,name,phone\njd1,京东新客,,13999990000\njd2,京东老客,,\(phone)\njd3,京东无单,,\n"
        let o = "order_id,buyer_id,buyer_nick,paid_at,amount,status\nJ1,jd1,,2025-06-02 10:00:00,1.00,paid\nJ2,jd2,,2026-01-01 10:00:00,1.00,paid\n"
        let report = try t.importer(bulk: true).run([(.members, try t.file("m.csv", m)), (.orders, try t.file("o.csv", o))], channel: .jd).last
        #expect(report?.searchBuild == "extra")
        try t.store.pool.write { (db: Database) throws in
            #expect(try Self.mainTables(db) == before)
            #expect(try SearchExtra.count(db) >= 3)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM search_extra_small") ?? 0 > 0)
            try Self.expectLikeARebuild(db, ordered: true, "after the channel import")
        }
        let ids = try t.store.pool.read { try MemberSearch.search($0, "京东", limit: 10).map(\.buyerId) }
        #expect(Set(ids).isSuperset(of: ["jd1", "jd3"]))
        #expect(try t.store.pool.read { try MemberSearch.search($0, "京东新客", limit: 10).map(\.buyerId) } == ["jd1"])
    }

    /// The daily refresh after an extra set: a member of the set renamed keeps its place and is
    /// found by its new name only; one with a newer order goes to the front; one merged away is
    /// gone; a fold (rebuild) empties the set.
    @Test func theDailyRefreshMovesMembersOfTheExtraSet() throws {
        var rnd = SplitMix64(seed: 11)
        let t = try SearchMergeTests.shop(&rnd, members: 200); defer { t.cleanup() }
        try t.store.pool.write { (db: Database) throws in
            let maxId = try #require(try Int64.fetchOne(db, sql: "SELECT max(id) FROM member"))
            for i in 1...20 {
                try db.execute(sql: "INSERT INTO member(id, buyer_id, nick) VALUES (?, ?, ?)", arguments: [maxId + Int64(i), "x\(i)", "外来客\(i)号"])
                try db.execute(sql: "INSERT INTO member_stats(member_id, last_paid_at, paid_count) VALUES (?, '2025-03-02 10:00:00', 1)", arguments: [maxId + Int64(i)])
            }
            let new = Set((1...20).map { maxId + Int64($0) })
            #expect(try SearchIndex.refresh(db, members: new, limits: Self.large) == .extra)
            try Self.expectLikeARebuild(db, ordered: true, "extra set")
            let x3 = maxId + 3, x4 = maxId + 4, x5 = maxId + 5
            let order = try MemberSearch.search(db, "外来客", limit: 50).map(\.id)
            try db.execute(sql: "UPDATE member SET nick = '改名了' WHERE id = ?", arguments: [x3])
            try db.execute(sql: "UPDATE member_stats SET last_paid_at = '2027-01-01 10:00:00' WHERE member_id = ?", arguments: [x4])
            try db.execute(sql: "DELETE FROM member_stats WHERE member_id = ?; DELETE FROM member WHERE id = ?", arguments: [x5, x5])
            #expect(try SearchIndex.refresh(db, members: [x3, x4, x5], textChanged: [x3], limits: Self.small) == .members)
            #expect(try MemberSearch.search(db, "改名了", limit: 5).map(\.id) == [x3])
            #expect(try MemberSearch.search(db, "外来客3号", limit: 5).map(\.id) == [])
            #expect(try MemberSearch.search(db, "外").first?.id == x4)
            #expect(try MemberSearch.search(db, "外来客", limit: 50).map(\.id) == [x4] + order.filter { $0 != x3 && $0 != x4 && $0 != x5 })
            try Self.expectLikeARebuild(db, ordered: false, "after the daily refresh")
            // A large refresh now (a delta): rebuilt, and the extra set is gone.
            #expect(try SearchIndex.refresh(db, members: new, limits: Self.large) == .rebuilt)
            #expect(try SearchExtra.count(db) == 0)
            #expect(try SearchExtra.Info.load(db) == nil)
        }
    }

    /// A second large refresh adds to the set; one that would take it past half the built members
    /// merges everything into the postings (SearchMerge) and empties it.
    @Test func theSetGrowsThenIsMergedPastHalf() throws {
        var rnd = SplitMix64(seed: 13)
        let t = try SearchMergeTests.shop(&rnd, members: 100); defer { t.cleanup() }
        try t.store.pool.write { (db: Database) throws in
            var added: Set<Int64> = []
            func add(_ n: Int) throws -> Set<Int64> {
                let maxId = try #require(try Int64.fetchOne(db, sql: "SELECT max(id) FROM member"))
                let ids = Set((1...n).map { maxId + Int64($0) })
                for id in ids { try db.execute(sql: "INSERT INTO member(id, buyer_id, nick) VALUES (?, ?, ?)", arguments: [id, "y\(id)", "新人\(id)"]) }
                added.formUnion(ids)
                return ids
            }
            #expect(try SearchIndex.refresh(db, members: add(10), limits: Self.large) == .extra)
            #expect(try SearchExtra.count(db) == 10)
            #expect(try SearchIndex.refresh(db, members: add(20), limits: Self.large) == .extra)
            #expect(try SearchExtra.count(db) == 30)
            try Self.expectLikeARebuild(db, ordered: true, "grown")
            #expect(try SearchIndex.refresh(db, members: add(30), limits: Self.large) == .merged)
            #expect(try SearchExtra.count(db) == 0)
            try Self.expectLikeARebuild(db, ordered: true, "merged")
            try SearchMergeTests.expectRebuildEqual(db, "merged past half")
        }
    }

    /// The fold after an import (SearchFold: a rebuild off the write lock) also empties the extra
    /// set: the store's search tables become exactly a rebuild's.
    @Test func theFoldEmptiesTheExtraSet() throws {
        var rnd = SplitMix64(seed: 17)
        let t = try SearchMergeTests.shop(&rnd, members: 150); defer { t.cleanup() }
        let m = "buyer_id,nick,name,phone\njx1,京东甲,,\njx2,京东乙,,\n"
        let o = "order_id,buyer_id,buyer_nick,paid_at,amount,status\nJX1,jx1,,2025-06-02 10:00:00,1.00,paid\n"
        #expect(try t.importer(bulk: true).run([(.members, try t.file("m.csv", m)), (.orders, try t.file("o.csv", o))], channel: .jd).last?.searchBuild == "extra")
        // A daily import then leaves a delta (in ordering keys), which the fold takes in too.
        _ = try t.importer(bulk: false).run(.orders, path: try t.file("o2.csv", "order_id,buyer_id,paid_at,amount\nJX2,jx2,2026-06-01 10:00:00,1.00\n"), channel: .jd)
        let found = try t.store.pool.read { try SearchMergeTests.ordered($0) }
        #expect(try SearchAdmin.foldIfDue(t.store, limits: SearchIndex.RefreshLimits(deltaPerMember: 0, minDelta: 1)))
        try t.store.pool.write { (db: Database) throws in
            #expect(try SearchExtra.Info.load(db) == nil)
            #expect(try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM search_extra_member_chunk) + (SELECT count(*) FROM search_extra_small) + (SELECT count(*) FROM search_extra_large) + (SELECT count(*) FROM search_extra_rank_chunk)") == 0)
            for q in SearchMergeTests.queries { #expect(Set(try SearchMergeTests.ordered(db)[q] ?? []) == Set(found[q] ?? []), "'\(q)'") }
            try SearchMergeTests.expectRebuildEqual(db, "after the fold")
        }
        #expect(try t.store.pool.read { try MemberSearch.search($0, "京东", limit: 5).map(\.buyerId) }.first == "jx2")
    }
}
