import Foundation
import Testing
import GRDB
@testable import ECRMStore

/// The fold of the search delta built off the write lock (SearchFold, issue 15): the same tables as
/// a rebuild in place, given up when something was committed after its snapshot, and harmless when
/// it fails or dies at any point.
@Suite struct SearchFoldTests {
    /// Every search table's rows, in key order, as text (the delta by its count).
    static func tables(_ db: Database) throws -> [String] {
        var out: [String] = []
        for (name, key) in [("search_rank", "rk"), ("search_small", "bucket"), ("search_large", "gram, first_rk"),
                            ("search_member_rank", "chunk"), ("search_moved", "member_id"), ("search_meta", "key")] {
            for row in try Row.fetchAll(db, sql: "SELECT * FROM \(name) ORDER BY \(key)") { out.append("\(name) \(row)") }
        }
        out.append("delta \(try Int.fetchOne(db, sql: "SELECT count(*) FROM search_delta") ?? -1)")
        return out
    }

    /// Every query's members in the order search gives them.
    static func ordered(_ s: SearchShop) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for q in SearchRefreshTests.queries { out[q] = try s.ids(q, limit: 1_000) }
        return out
    }

    /// A shop with a search delta from a small import; the limits that make it due.
    static func shopWithDelta() throws -> (SearchShop, SearchIndex.RefreshLimits) {
        let s = try SearchShop(rebuilt: true)
        let o = """
            order_id,buyer_id,buyer_nick,paid_at,amount,status,items
            7100000000000001,m01,,2026-06-01 10:00:00,1.00,paid,1
            7100000000000002,k7,,2026-06-02 10:00:00,1.00,paid,1
            7100000000000003,n9,新来的,2026-06-03 10:00:00,1.00,paid,1

            """
        _ = try Importer(store: s.t.store).run(.orders, path: try s.t.file("o.csv", o))
        _ = try Importer(store: s.t.store).run(.members, path: try s.t.file("m.csv", "buyer_id,nick\nm02,张三的新店\nzz,新来的二号\n"))
        let rows = try s.t.store.pool.read { try SearchRefreshTests.deltaRows($0) }
        #expect(rows[0] > 0)
        return (s, SearchIndex.RefreshLimits(deltaPerMember: 0, minDelta: Int(rows[0])))
    }

    @Test(arguments: [SearchIndexBuilder.defaultPartitionMax, 64])
    func theFoldWritesWhatARebuildWrites(partitionMax: Int) throws {
        let (s, limits) = try Self.shopWithDelta(); defer { s.t.cleanup() }
        let found = try SearchRefreshTests.found(s)
        #expect(try SearchAdmin.foldIfDue(s.t.store, limits: limits, partitionMax: partitionMax))
        let folded = try s.t.store.pool.read { try Self.tables($0) }
        let foldedOrder = try Self.ordered(s)
        #expect(folded.last == "delta 0")
        #expect(try s.t.store.pool.read { try SearchRefreshTests.deltaRows($0) } == [0, 0])
        #expect(try SearchRefreshTests.found(s) == found)
        try s.t.store.pool.write { _ = try SearchIndex.rebuildAll($0, partitionMax: partitionMax) }
        #expect(try s.t.store.pool.read { try Self.tables($0) } == folded)
        #expect(try Self.ordered(s) == foldedOrder)
        #expect(try s.t.store.pool.read { try SearchRefreshTests.mismatches($0) } == [])
        #expect(!FileManager.default.fileExists(atPath: SearchFold.scratchPath(s.t.store)))
        #expect(try !SearchAdmin.foldIfDue(s.t.store, limits: limits))   // nothing left to fold
    }

    /// An import committed after the fold's snapshot: the fold drops its work, the delta (now
    /// holding that import's pairs too) stays and search finds the import's members; the next fold folds.
    @Test func aCommitAfterTheSnapshotMakesTheFoldGiveUp() throws {
        let (s, limits) = try Self.shopWithDelta(); defer { s.t.cleanup() }
        let before = try s.t.store.pool.read { try Self.tables($0) }
        var committed = false
        let folded = try SearchAdmin.foldIfDue(s.t.store, limits: limits, beforeInstall: {
            _ = try Importer(store: s.t.store).run(.members, path: try s.t.file("m2.csv", "buyer_id,nick\nlate1,迟到的会员\n"))
            committed = true
        })
        #expect(committed && !folded)
        let after = try s.t.store.pool.read { try Self.tables($0) }
        #expect(after != before)   // the late import's own refresh, not the fold's tables
        #expect(try s.t.store.pool.read { try SearchRefreshTests.deltaRows($0) }[0] > 0)
        #expect(try s.ids("迟到") == ["late1"])
        #expect(try s.t.store.pool.read { try SearchRefreshTests.mismatches($0) } == [])
        let found = try SearchRefreshTests.found(s)
        #expect(try SearchAdmin.foldIfDue(s.t.store, limits: limits))
        #expect(try SearchRefreshTests.found(s) == found)
        #expect(try s.ids("迟到") == ["late1"])
        #expect(!FileManager.default.fileExists(atPath: SearchFold.scratchPath(s.t.store)))
    }

    struct Died: Error {}

    /// A fold that stops before the lock, or inside its transaction after emptying the search
    /// tables, leaves the store as it was; a scratch file a killed fold left is removed by the next.
    @Test func aFoldThatDiesLeavesTheStoreAsItWas() throws {
        let (s, limits) = try Self.shopWithDelta(); defer { s.t.cleanup() }
        let before = try s.t.store.pool.read { try Self.tables($0) }
        let found = try Self.ordered(s)
        let sets = try SearchRefreshTests.found(s)
        #expect(throws: Died.self) { try SearchFold.run(s.t.store, beforeInstall: { throw Died() }) }
        #expect(throws: Died.self) {
            try SearchFold.run(s.t.store, afterClear: { db in
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM search_rank") == 0)
                throw Died()
            })
        }
        try s.t.store.pool.read { (db: Database) throws in
            #expect(try Self.tables(db) == before)
            #expect(try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok")
            #expect(try SearchRefreshTests.mismatches(db) == [])
        }
        #expect(try Self.ordered(s) == found)
        // A killed fold's scratch file (its process gone) goes with the next fold; a live one stays.
        let dead = SearchFold.scratchPath(s.t.store, pid: Int32.max - 1)
        let live = SearchFold.scratchPath(s.t.store, pid: getppid())
        for p in [dead, live] { #expect(FileManager.default.createFile(atPath: p, contents: Data("x".utf8))) }
        #expect(try SearchAdmin.foldIfDue(s.t.store, limits: limits))
        #expect(!FileManager.default.fileExists(atPath: dead))
        #expect(FileManager.default.fileExists(atPath: live))
        try? FileManager.default.removeItem(atPath: live)
        #expect(try SearchRefreshTests.found(s) == sets)
        #expect(try s.t.store.pool.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    }
}
