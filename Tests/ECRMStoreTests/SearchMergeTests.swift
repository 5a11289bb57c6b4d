import Foundation
import Testing
import GRDB
import PropertyBased
@testable import ECRMStore
import ECRMDomain

/// A large refresh merged into the built postings (SearchMerge) writes exactly what a rebuild of the
/// same store writes, and search finds the same members in the same order: random stores, random
/// large refreshes (new members, changed nicks and phones, members moving forward and back in the
/// recency order, members merged away), through bulk imports into a store that had members and
/// through the refresh itself.
@Suite struct SearchMergeTests {
    /// A few characters, so that grams are shared by many members (small and chunked postings) and
    /// whole nicks repeat (exact lookups).
    static let alphabet: [String] = ["张", "王", "小", "明", "店", "的", "a", "B", "7"]

    static func nick(_ rnd: inout SplitMix64) -> String {
        let n = 1 + Int(rnd.next() % 4)
        return (0..<n).map { _ in alphabet[Int(rnd.next() % UInt64(alphabet.count))] }.joined()
    }

    static func phone(_ rnd: inout SplitMix64) -> String {
        switch rnd.next() % 5 {
        case 0: ""
        case 1: "12"   // too short for a tail key
        default: String(format: "138%08d", Int(rnd.next() % 40) * 1_111)
        }
    }

    static func paidAt(_ rnd: inout SplitMix64) -> String {
        // Few distinct moments: ties are broken by member id.
        String(format: "2025-%02d-%02d 10:00:00", 1 + Int(rnd.next() % 12), 1 + Int(rnd.next() % 3))
    }

    static var queries: [String] {
        var out = alphabet
        for a in alphabet.prefix(5) { for b in alphabet.prefix(5) { out.append(a + b) } }
        out += ["张小明", "a7", "明店的", "1111", "3333", "13800002222", "138"]
        return out
    }

    /// Every query's members, in the order search gives them.
    static func ordered(_ db: Database) throws -> [String: [Int64]] {
        var out: [String: [Int64]] = [:]
        for q in queries { out[q] = try MemberSearch.search(db, q, limit: 5_000).map(\.id) }
        return out
    }

    /// The merged index against a rebuild of the same store: every table, every query's order.
    /// With an extra posting set beside the postings (SearchExtra: a large refresh now builds one)
    /// the tables differ from a rebuild's by design: then only the search order is compared.
    static func expectRebuildEqual(_ db: Database, _ context: String) throws {
        let merged = try SearchFoldTests.tables(db)
        let found = try ordered(db)
        let extra = try SearchExtra.Info.load(db) != nil
        try SearchIndex.rebuildAll(db)
        let rebuilt = try SearchFoldTests.tables(db)
        if !extra {
            #expect(merged.count == rebuilt.count, "\(context): \(merged.count) rows against \(rebuilt.count)")
            if let k = merged.indices.first(where: { $0 < rebuilt.count && merged[$0] != rebuilt[$0] }) {
                Issue.record("\(context): first difference at row \(k): \(merged[k]) ≠ \(rebuilt[k])")
            }
        }
        #expect(try ordered(db) == found, "\(context): search order differs from a rebuild's")
        #expect(try SearchRefreshTests.mismatches(db) == [], "\(context)")
    }

    /// Members 1...n with random texts and, for most, a paid order (stats written as the import
    /// would), indexed by a bulk import.
    static func shop(_ rnd: inout SplitMix64, members n: Int) throws -> TempStore {
        let t = try TempStore()
        var m = "buyer_id,nick,name,phone\n", o = "order_id,buyer_id,paid_at,amount,status\n"
        for i in 0..<n {
            m += "b\(i),\(nick(&rnd)),\(rnd.next() % 3 == 0 ? nick(&rnd) : ""),\(phone(&rnd))\n"
            if rnd.next() % 4 != 0 { o += "\(1_000_000 + i),b\(i),\(paidAt(&rnd)),1.00,paid\n" }
        }
        _ = try t.importer(bulk: true).run([(.members, try t.file("m.csv", m)), (.orders, try t.file("o.csv", o))])
        return t
    }

    /// A bulk import (members and orders files) into a store that has members: new members, members
    /// renamed or given a new phone, new paid orders for old and new members, older orders too.
    static func bulkRound(_ t: TempStore, _ rnd: inout SplitMix64, round: Int) throws {
        let existing = try t.store.pool.read { try String.fetchAll($0, sql: "SELECT buyer_id FROM member") }
        var m = "buyer_id,nick,name,phone\n", o = "order_id,buyer_id,buyer_nick,paid_at,amount,status\n"
        let added = Int(rnd.next() % UInt64(existing.count / 2 + 1))
        for i in 0..<added { m += "r\(round)n\(i),\(nick(&rnd)),,\(phone(&rnd))\n" }
        for b in existing where rnd.next() % 6 == 0 { m += "\(b),\(nick(&rnd)),\(nick(&rnd)),\(phone(&rnd))\n" }
        var k = 0
        // Orders for old members (a buyer nick fills an empty nick), new ones, and buyers no file named.
        for b in existing where rnd.next() % 5 == 0 {
            o += "\(2_000_000 + round * 100_000 + k),\(b),\(rnd.next() % 2 == 0 ? nick(&rnd) : ""),\(paidAt(&rnd)),1.00,paid\n"; k += 1
        }
        for i in 0..<added where rnd.next() % 2 == 0 { o += "\(2_000_000 + round * 100_000 + k),r\(round)n\(i),,\(paidAt(&rnd)),1.00,paid\n"; k += 1 }
        for i in 0..<Int(rnd.next() % 20) { o += "\(2_000_000 + round * 100_000 + k),r\(round)o\(i),\(nick(&rnd)),\(paidAt(&rnd)),1.00,paid\n"; k += 1 }
        let reports = try t.importer(bulk: true).run([(.members, try t.file("m\(round).csv", m)), (.orders, try t.file("o\(round).csv", o))])
        // Beside the postings (SearchExtra), or merged into them once the extra set passes half of them.
        #expect(["extra", "merged"].contains(reports.last?.searchBuild ?? ""), "round \(round): \(reports.last?.searchBuild ?? "")")
    }

    /// Straight edits and a refresh told about them: members added, renamed, re-phoned, moved in
    /// the recency order either way (some not named as touched: the merge finds them out), and
    /// merged away. Returns whether the merge took it (merged, or rebuilt itself; false: it declined and nothing was written).
    static func directRound(_ db: Database, _ rnd: inout SplitMix64, round: Int) throws -> Bool {
        let ids = try Int64.fetchAll(db, sql: "SELECT id FROM member ORDER BY id")
        var touched = Set<Int64>(), text = Set<Int64>()
        let maxId = ids.last ?? 0
        for i in 0..<Int(rnd.next() % UInt64(ids.count / 3 + 1)) {
            let id = maxId + 1 + Int64(i)
            try db.execute(sql: "INSERT INTO member(id, buyer_id, nick, name, phone) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, "d\(round)n\(i)", nick(&rnd), "", phone(&rnd)])
            if rnd.next() % 2 == 0 {
                try db.execute(sql: "INSERT INTO member_stats(member_id, last_paid_at, paid_count) VALUES (?, ?, 1)", arguments: [id, paidAt(&rnd)])
            }
            text.insert(id)
        }
        for id in ids {
            switch rnd.next() % 12 {
            case 0:
                try db.execute(sql: "UPDATE member SET nick = ?, phone = ? WHERE id = ?", arguments: [nick(&rnd), phone(&rnd), id])
                text.insert(id)
            case 1:
                try db.execute(sql: "UPDATE member SET nick = '', name = '', phone = '' WHERE id = ?", arguments: [id])
                text.insert(id)
            case 2, 3:   // a newer or an older last order (a refund)
                try db.execute(sql: "INSERT OR REPLACE INTO member_stats(member_id, last_paid_at, paid_count) VALUES (?, ?, 1)",
                               arguments: [id, paidAt(&rnd)])
                if rnd.next() % 2 == 0 { touched.insert(id) }
            case 4 where try Int.fetchOne(db, sql: "SELECT count(*) FROM orders WHERE member_id = ?", arguments: [id]) == 0:   // merged away
                try db.execute(sql: "DELETE FROM member_stats WHERE member_id = ?; DELETE FROM member WHERE id = ?", arguments: [id, id])
                touched.insert(id)
            default: break
            }
        }
        return try SearchMerge.run(db, touched: touched, textChanged: text) != .declined
    }

    static func check(seed: UInt64) throws {
        var rnd = SplitMix64(seed: seed)
        let t = try shop(&rnd, members: 150 + Int(rnd.next() % 500)); defer { t.cleanup() }
        try t.store.pool.read { try expectRanksConsistent($0, "seed \(seed) base") }
        for round in 0..<3 {
            if rnd.next() % 2 == 0 {
                try bulkRound(t, &rnd, round: round)
                try t.store.pool.write { try expectRebuildEqual($0, "seed \(seed) bulk round \(round)") }
            } else {
                try t.store.pool.write { (db: Database) throws in
                    if try directRound(db, &rnd, round: round) {
                        try expectRebuildEqual(db, "seed \(seed) direct round \(round)")
                    } else {
                        try SearchIndex.rebuildAll(db)   // declined (fewer rank bits, or mostly new members)
                    }
                }
            }
        }
    }

    /// The base index (a bulk build): every member's rank as MemberRanks gives it matches
    /// search_rank (no rebuild is compared here: the store is only read).
    static func expectRanksConsistent(_ db: Database, _ context: String) throws {
        #expect(try SearchRefreshTests.mismatches(db) == [], "\(context)")
    }

    @Test func largeRefreshesMergeToWhatARebuildWrites() async throws {
        await propertyCheck(count: 16, input: Gen.int(in: 0...1_000_000)) { seed in
            try Self.check(seed: UInt64(seed))
        }
    }

    /// The refresh of a large share goes through the merge, not a rebuild, when the postings are a
    /// rebuild's; with a delta it rebuilds, and afterwards merges again.
    @Test func theRefreshMergesUnlessThereIsADelta() throws {
        let s = try SearchShop(rebuilt: true); defer { s.t.cleanup() }
        var large = SearchIndex.RefreshLimits(share: 1_000_000, minMembers: 1)
        large.extraSet = false   // the merge itself (the extra set: SearchExtraTests)
        try s.t.store.pool.write { (db: Database) throws in
            try db.execute(sql: "UPDATE member SET nick = '张三的新店' WHERE buyer_id = 'm03'")
            try db.execute(sql: "INSERT INTO member(buyer_id, nick) VALUES ('new1', '小明新来')")
            let ids = Set(try Int64.fetchAll(db, sql: "SELECT id FROM member WHERE buyer_id IN ('m03', 'new1')"))
            #expect(try SearchIndex.refresh(db, members: ids, limits: large) == .merged)
            #expect(try SearchRefreshTests.deltaRows(db) == [0, 0])
            try Self.expectRebuildEqual(db, "refresh")
            // A small refresh leaves a delta: the next large one cannot merge into it, and rebuilds.
            try db.execute(sql: "UPDATE member SET nick = '王小明二' WHERE buyer_id = 'm04'")
            let m04 = try #require(try Int64.fetchOne(db, sql: "SELECT id FROM member WHERE buyer_id = 'm04'"))
            #expect(try SearchIndex.refresh(db, members: [m04]) == .members)
            #expect(try SearchRefreshTests.deltaRows(db)[0] > 0)
            #expect(try SearchMerge.run(db, touched: [m04], textChanged: [m04]) == .declined)
            #expect(try SearchIndex.refresh(db, members: [m04], limits: large) == .rebuilt)
            #expect(try SearchRefreshTests.deltaRows(db) == [0, 0])
            #expect(try SearchMerge.run(db, touched: [m04], textChanged: [m04]) == .merged)
            try Self.expectRebuildEqual(db, "after the delta")
        }
        #expect(try s.ids("小明新").first == "new1")
    }

    /// A small refresh that empties a member's text adds no delta row but leaves its old grams in
    /// the postings: the merge declines until a rebuild.
    @Test func aTextWithNoGramsBlocksTheMergeUntilARebuild() throws {
        let s = try SearchShop(rebuilt: true); defer { s.t.cleanup() }
        try s.t.store.pool.write { (db: Database) throws in
            try db.execute(sql: "UPDATE member SET nick = '', name = '', phone = '' WHERE buyer_id = 'm03'")
            let m03 = try #require(try Int64.fetchOne(db, sql: "SELECT id FROM member WHERE buyer_id = 'm03'"))
            #expect(try SearchIndex.refresh(db, members: [m03]) == .members)
            #expect(try SearchRefreshTests.deltaRows(db) == [0, 0])
            #expect(try SearchMerge.run(db, touched: [m03], textChanged: [m03]) == .declined)
            try SearchIndex.rebuildAll(db)
            #expect(try SearchMerge.run(db, touched: [m03], textChanged: [m03]) == .merged)
            try Self.expectRebuildEqual(db, "after the rebuild")
        }
    }

    /// Postings naming a rank no member had (not a rebuild's after all): the merge rebuilds instead.
    @Test func aPostingWithAnUnknownRankRebuilds() throws {
        let s = try SearchShop(rebuilt: true); defer { s.t.cleanup() }
        try s.t.store.pool.write { (db: Database) throws in
            try db.execute(sql: "INSERT INTO search_large(gram, first_rk, data) VALUES (12345, 999999, x'01')")
            let m03 = try #require(try Int64.fetchOne(db, sql: "SELECT id FROM member WHERE buyer_id = 'm03'"))
            try db.execute(sql: "UPDATE member SET nick = '老张头' WHERE id = ?", arguments: [m03])
            #expect(try SearchMerge.run(db, touched: [m03], textChanged: [m03]) == .rebuilt)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM search_large WHERE gram = 12345") == 0)
            try Self.expectRebuildEqual(db, "after the fallback")
        }
        #expect(try s.ids("老张头") == ["m03"])
    }
}
