import Foundation
import Testing
import GRDB
@testable import ECRMStore

/// The search refresh of a small load: members' ranks found without a pass over search_rank
/// (MemberRanks), no delta for a member whose rank and text both stay, and a rebuild instead when
/// the refresh is large or the delta has grown past its bound (SearchIndex.RefreshLimits).
@Suite struct SearchRefreshTests {
    /// Every member's rank as MemberRanks gives it, against search_rank's current rows (one per
    /// ranked member; the rows refreshes superseded are skipped, and each belongs to a member
    /// ranked elsewhere now or gone).
    static func mismatches(_ db: Database) throws -> [String] {
        var lookup = try MemberRankLookup(db)
        var out: [String] = []
        let rows = try Row.fetchAll(db, sql: "SELECT member_id, rk FROM search_rank r WHERE \(MemberRanks.current("r"))")
        let ranked = Dictionary(rows.map { ($0[0] as Int64, $0[1] as Int64) }, uniquingKeysWith: { a, _ in
            out.append("a member ranked twice"); return a
        })
        for row in try Row.fetchAll(db, sql: "SELECT member_id, rk FROM search_rank r WHERE NOT \(MemberRanks.current("r"))") {
            let member: Int64 = row[0], rk: Int64 = row[1]
            if try lookup.rank(of: member) == rk { out.append("superseded rank \(rk) still member \(member)'s") }
        }
        for id in try Int64.fetchAll(db, sql: "SELECT id FROM member ORDER BY id") + [999_999] {
            let got = try lookup.rank(of: id)
            if got != ranked[id] { out.append("member \(id): \(got.map(String.init) ?? "nil") ≠ \(ranked[id].map(String.init) ?? "nil")") }
        }
        return out
    }

    /// [rows in search_delta, the count search_meta keeps]
    static func deltaRows(_ db: Database) throws -> [Int64] {
        [try Int64.fetchOne(db, sql: "SELECT count(*) FROM search_delta") ?? 0,
         try Int64.fetchOne(db, sql: "SELECT value FROM search_meta WHERE key = 'delta_rows'") ?? 0]
    }

    static let queries = ["张", "小明", "同名", "amy", "客户1", "客户39", "号", "6666", "尾号", "王小明", "新来的", "李", "9999"]

    /// The members each query finds (as sets: a refresh keeps an older back-filled order's rank
    /// until the rebuild, so only the order may differ).
    static func found(_ s: SearchShop) throws -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        for q in queries { out[q] = Set(try s.ids(q, limit: 1_000)) }
        return out
    }

    @Test func ranksStayFoundThroughRefreshes() throws {
        let s = try SearchShop(rebuilt: true); defer { s.t.cleanup() }
        try s.t.store.pool.read { (db: Database) throws in #expect(try Self.mismatches(db) == []) }
        // Movers (newer orders), a back-filled older order (no move), a renamed member, a new one.
        let o = """
            order_id,buyer_id,buyer_nick,paid_at,amount,status,items
            6000000000000001,m01,,2026-06-01 10:00:00,1.00,paid,1
            6000000000000002,k7,,2026-06-02 10:00:00,1.00,paid,1
            6000000000000003,k12,,2020-01-01 10:00:00,1.00,paid,1
            6000000000000004,n9,新来的,2026-06-03 10:00:00,1.00,paid,1

            """
        _ = try Importer(store: s.t.store).run(.orders, path: try s.t.file("o.csv", o))
        _ = try Importer(store: s.t.store).run(.members, path: try s.t.file("m.csv", "buyer_id,nick\nm02,张三的新店\nzz,新来的二号\n"))
        // A second move for the same member, and a member merged away (deleted) with its orders.
        _ = try Importer(store: s.t.store).run(.orders, path: try s.t.file("o2.csv", "order_id,buyer_id,paid_at,amount\n6000000000000005,m01,2026-07-01 10:00:00,1.00\n"))
        try s.t.store.pool.write { (db: Database) throws in
            let k5 = try #require(try Int64.fetchOne(db, sql: "SELECT id FROM member WHERE buyer_id = 'k5'"))
            try db.execute(sql: "DELETE FROM member_tag WHERE member_id = ?; DELETE FROM member WHERE id = ?", arguments: [k5, k5])
            try SearchIndex.refresh(db, members: [k5])
        }
        try s.t.store.pool.read { (db: Database) throws in
            #expect(try Self.mismatches(db) == [])
            let d = try Self.deltaRows(db)
            #expect(d[0] == d[1] && d[0] > 0)
            // The movers' old rank rows are still there, skipped.
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM search_rank r WHERE NOT \(MemberRanks.current("r"))")! >= 3)
        }
        #expect(try s.ids("同名").count == 3)
        #expect(try s.ids("张").first == "m01")   // moved to the front twice
        #expect(try s.ids("新来的") == ["zz", "n9"] || s.ids("新来的") == ["n9", "zz"])
        #expect(!(try s.ids("客户5号")).contains("k5"))
        // What each query finds is what a rebuild of the same store finds.
        let refreshed = try Self.found(s)
        _ = try s.t.store.pool.write { try SearchIndex.rebuildAll($0) }
        #expect(try Self.found(s) == refreshed)
        try s.t.store.pool.read { (db: Database) throws in
            #expect(try Self.mismatches(db) == [])
            #expect(try Self.deltaRows(db) == [0, 0])
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM search_moved") == 0)
        }
    }

    /// A member given an older order than the front's keeps its rank, and its text is already in
    /// the postings at that rank: nothing goes to the delta, and it is still found.
    @Test func anOrderThatMovesNobodyAddsNoDelta() throws {
        let s = try SearchShop(rebuilt: true); defer { s.t.cleanup() }
        let before = try Self.found(s)
        let order = try s.ids("客户", limit: 1_000)
        _ = try Importer(store: s.t.store).run(.orders, path: try s.t.file("o.csv", """
            order_id,buyer_id,paid_at,amount
            7000000000000001,k10,2020-01-01 10:00:00,1.00
            7000000000000002,m03,2020-01-02 10:00:00,1.00

            """))
        try s.t.store.pool.read { (db: Database) throws in
            #expect(try Self.deltaRows(db) == [0, 0])
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM search_moved") == 0)
        }
        #expect(try Self.found(s) == before)
        #expect(try s.ids("客户", limit: 1_000) == order)
        // The same member renamed by an orders file's nick goes to the delta (its text changed).
        _ = try Importer(store: s.t.store).run(.orders, path: try s.t.file("o2.csv", """
            order_id,buyer_id,buyer_nick,paid_at,amount
            7000000000000003,nonick1,起名了,2020-01-03 10:00:00,1.00

            """))
        #expect(try s.ids("起名") == ["nonick1"])
    }

    /// A refresh of a large share of the members, or one that finds the delta past its bound,
    /// rebuilds: no delta is left, and search finds the same members.
    @Test func largeRefreshesAndABigDeltaRebuild() throws {
        let s = try SearchShop(rebuilt: true); defer { s.t.cleanup() }
        let (ids, movers) = try s.t.store.pool.read { (db: Database) throws in
            (Set(try Int64.fetchAll(db, sql: "SELECT id FROM member")),
             Set(try Int64.fetchAll(db, sql: "SELECT id FROM member WHERE buyer_id IN ('m01', 'm02', 'k1')")))
        }
        let before = try Self.found(s)
        let few = SearchIndex.RefreshLimits(share: 4, minMembers: 1, deltaPerMember: 1_000, minDelta: 1_000_000)
        try s.t.store.pool.write { (db: Database) throws in
            #expect(try SearchIndex.refresh(db, members: movers, limits: few) == .members)
            #expect(try Self.deltaRows(db)[0] > 0)
            #expect(try SearchIndex.refresh(db, members: ids, limits: few) == .rebuilt)   // all of them (a delta: no merge)
            #expect(try Self.deltaRows(db) == [0, 0])
            #expect(try Self.mismatches(db) == [])
        }
        #expect(try Self.found(s) == before)
        let small = SearchIndex.RefreshLimits(share: 1_000_000, minMembers: 1_000_000, deltaPerMember: 0, minDelta: 1)
        try s.t.store.pool.write { (db: Database) throws in
            #expect(try SearchIndex.refresh(db, members: movers, textChanged: movers, limits: small) == .members)
            let rows = try Self.deltaRows(db)
            #expect(rows[0] == rows[1] && rows[0] > 0)
            #expect(try SearchIndex.refresh(db, members: movers, limits: small) == .rebuilt)   // past the bound: rebuilt
            #expect(try Self.deltaRows(db) == [0, 0])
            #expect(try Self.mismatches(db) == [])
        }
        #expect(try Self.found(s) == before)
    }

    /// An import whose refresh leaves the delta past its bound folds it afterwards, in a
    /// transaction of its own; below the bound nothing is folded.
    @Test func theDeltaIsFoldedAfterAnImportPastItsBound() throws {
        let s = try SearchShop(rebuilt: true); defer { s.t.cleanup() }
        let before = try Self.found(s)
        _ = try Importer(store: s.t.store).run(.orders, path: try s.t.file("o.csv", "order_id,buyer_id,paid_at,amount\n8100000000000001,m01,2026-06-01 10:00:00,1.00\n"))
        let rows = try s.t.store.pool.read { try Self.deltaRows($0) }
        #expect(rows[0] > 0 && rows[0] == rows[1])   // far below the standard bound: kept
        #expect(try !SearchAdmin.foldIfDue(s.t.store))
        let tight = SearchIndex.RefreshLimits(deltaPerMember: 0, minDelta: Int(rows[0]))
        #expect(try SearchAdmin.foldIfDue(s.t.store, limits: tight))
        try s.t.store.pool.read { (db: Database) throws in
            #expect(try Self.deltaRows(db) == [0, 0])
            #expect(try Self.mismatches(db) == [])
        }
        #expect(try Self.found(s) == before)
        #expect(try s.ids("张").first == "m01")
        #expect(try !SearchAdmin.foldIfDue(s.t.store, limits: tight))
    }

    /// A bulk load's build (from its early pairs, or from the table) writes every member's rank
    /// chunk, which the next small load's refresh reads.
    @Test(arguments: [true, false])
    func bulkBuildsWriteTheMemberRanks(bothFiles: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        var m = "buyer_id,nick,name,phone\n"
        for i in 0..<2_500 { m += "b\(i),会员\(i),王\(i % 13),1380000\(String(format: "%04d", i))\n" }
        var o = "order_id,buyer_id,paid_at,amount,status\n"
        for i in 0..<1_200 { o += "\(9_000_000 + i),b\(i * 7 % 2_500),2025-\(String(format: "%02d", 1 + i % 12))-01 10:00:00,1.00,paid\n" }
        let importer = t.importer(bulk: true)
        if bothFiles {
            let r = try importer.run([(.members, try t.file("m.csv", m)), (.orders, try t.file("o.csv", o))])
            #expect(r.last?.searchBuild == "early")
        } else {
            _ = try importer.run(.members, path: try t.file("m.csv", m))
            _ = try importer.run(.orders, path: try t.file("o.csv", o))
        }
        try t.store.pool.read { (db: Database) throws in
            #expect(try Self.mismatches(db) == [])
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM search_member_rank") == 3)   // ids 1...2,500 in chunks of 1,000
        }
        _ = try Importer(store: t.store).run(.orders, path: try t.file("o2.csv", "order_id,buyer_id,paid_at,amount\n9100000,b1999,2026-06-01 10:00:00,1.00\n"))
        try t.store.pool.read { (db: Database) throws in
            #expect(try Self.mismatches(db) == [])
            #expect(try MemberSearch.search(db, "会员", limit: 1).first?.buyerId == "b1999")
        }
    }

    /// Undoes v17-search-member-ranks exactly (the release before kept one rank row per member).
    static func undoMemberRanks(_ db: Database) throws {
        try RFMWindowExitMigrationTests.undoWindowExit(db)   // the later migration first
        // (MemberRanks.current as v17 had it: v22's extra set is undone by now.)
        try db.execute(sql: """
            DELETE FROM search_rank WHERE rk IN (SELECT rk FROM search_rank r WHERE EXISTS (SELECT 1 FROM search_moved v WHERE v.member_id = r.member_id AND v.rk IS NOT r.rk));
            DROP TABLE search_member_rank;
            DROP TABLE search_moved;
            DELETE FROM search_meta WHERE key = 'delta_rows';
            DELETE FROM grdb_migrations WHERE identifier = 'v17-search-member-ranks';
            """)
    }

    /// A store of the release before v17 (refreshed ranks in it) opens with every member's rank
    /// found, its delta counted, and search as it was.
    @Test func aStoreOfThePreviousReleaseGetsItsMemberRanks() throws {
        let s = try SearchShop(rebuilt: false); defer { s.t.cleanup() }
        _ = try Importer(store: s.t.store).run(.orders, path: try s.t.file("o.csv", "order_id,buyer_id,paid_at,amount\n8000000000000001,k3,2026-06-01 10:00:00,1.00\n"))
        let before = try Self.found(s)
        let path = s.t.path
        let q = try DatabaseQueue(path: path)
        try q.writeWithoutTransaction { try Self.undoMemberRanks($0) }
        let old = try DatabaseQueue()
        try Schema.migrator.migrate(old, upTo: "v16-campaign-lists")
        let schema = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
        #expect(try q.read { try Row.fetchAll($0, sql: schema).map(\.description) } == old.read { try Row.fetchAll($0, sql: schema).map(\.description) })
        try q.close()
        let store = try Store(path: path, operatorName: "owner1")
        try store.pool.read { (db: Database) throws in
            #expect(try Self.mismatches(db) == [])
            let d = try Self.deltaRows(db)
            #expect(d[0] == d[1] && d[0] > 0)
        }
        let found = try Dictionary(uniqueKeysWithValues: Self.queries.map { q in
            (q, Set(try store.pool.read { try MemberSearch.search($0, q, limit: 1_000) }.map(\.buyerId)))
        })
        #expect(found == before)
        #expect(try store.pool.read { try MemberSearch.search($0, "客户3号", limit: 5) }.first?.buyerId == "k3")
    }

    /// A store indexed before v17 gets its member → rank chunks from search_rank as it stands.
    @Test func ranksFilledFromAnOlderStoresRankTable() throws {
        let s = try SearchShop(rebuilt: false); defer { s.t.cleanup() }
        try s.t.store.pool.write { (db: Database) throws in
            try db.execute(sql: "DELETE FROM search_rank WHERE rk IN (SELECT rk FROM search_rank r WHERE NOT \(MemberRanks.current("r")))")
            try db.execute(sql: "DELETE FROM search_member_rank; DELETE FROM search_moved")
            try MemberRanks.fillFromRankTable(db)
            #expect(try Int.fetchOne(db, sql: "SELECT min(rk) FROM search_rank")! < 0)   // refreshed ranks among them
            #expect(try Self.mismatches(db) == [])
        }
    }
}
