import Foundation
import Testing
import GRDB
import ECRMDomain
@testable import ECRMStore

/// Early pairs (EarlyPairs): a fresh bulk load keeps its members' texts as it appends them, and
/// the search pairs are generated, sorted and encoded from them, ranked from the load's paid
/// orders, while stats, lists and indexes are written. The postings must be the ones a build from
/// the member table makes, byte for byte; pairs that do not cover the table exactly must not be used.
@Suite struct EarlyPairsTests {
    /// The search tables, row by row (also for SearchTests).
    static func tables(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT 's' || bucket || ':' || hex(data) FROM search_small ORDER BY bucket")
            + String.fetchAll(db, sql: "SELECT 'l' || gram || '/' || first_rk || ':' || hex(data) FROM search_large ORDER BY gram, first_rk")
            + String.fetchAll(db, sql: "SELECT rk || '=' || member_id FROM search_rank ORDER BY rk")
            + String.fetchAll(db, sql: "SELECT key || '=' || value FROM search_meta ORDER BY key")
    }

    /// A store of `members` members (ids 1...n) with orders, Chinese, Latin and empty fields.
    static func shop(members: Int) throws -> TempStore {
        let t = try TempStore()
        var m = "buyer_id,nick,name,phone\n"
        for i in 0..<members { m += "b\(i),\(i % 11 == 0 ? "" : "小明\(i % 97)号Amy\(i)"),\(i % 7 == 0 ? "" : "王\(i % 13)"),\(i % 5 == 0 ? "" : "1380000\(String(format: "%04d", i % 10_000))")\n" }
        var o = "order_id,buyer_id,paid_at,amount,status\n"
        for i in 0..<members / 2 { o += "\(9_000_000 + i),b\(i * 7 % members),2025-\(String(format: "%02d", 1 + i % 12))-01 10:00:00,1.00,paid\n" }
        _ = try t.importer(bulk: true).run([(.members, try t.file("m.csv", m)), (.orders, try t.file("o.csv", o))])
        return t
    }

    /// Texts as a load would have spooled them, read back from the member table (in id order).
    /// Runs of 97 members: the generating threads share many of them.
    static func spool(_ db: Database, dir: String, skipLast: Bool = false) throws -> MemberTextSpool {
        let texts = try MemberTextSpool(directory: dir, runLength: 97)
        var rows = try Row.fetchAll(db, sql: "SELECT id, nick, name, phone FROM member ORDER BY id")
        if skipLast { rows.removeLast() }
        for r in rows { texts.append(id: r[0], nick: r[1], name: r[2], phone: r[3]) }
        texts.finishWriting()
        return texts
    }

    /// The ranks a load works out from its paid orders (SearchRanks), here from member_stats.
    static func ranks(_ db: Database, skipLast: Bool = false) throws -> SearchRanks {
        var stamps = try String?.fetchAll(db, sql: "SELECT s.last_paid_at FROM member m LEFT JOIN member_stats s ON s.member_id = m.id ORDER BY m.id")
        if skipLast { stamps.removeLast() }
        return SearchRanks(lastStamps: stamps.map { $0.flatMap { LocalTime.parse($0) }.map { UInt32($0.stamp) } ?? 0 })
    }

    static func start(_ db: Database, dir: String, skipLast: Bool = false, directory: String? = nil, partitionMax: Int = 700) throws -> EarlyPairs {
        EarlyPairs.start(texts: try spool(db, dir: dir, skipLast: skipLast), ranks: try ranks(db, skipLast: skipLast), directory: directory ?? dir, partitionMax: partitionMax)
    }

    /// Through many partitions (700 pairs each; at 300 members a small bucket spans several, and
    /// the writer joins it), spread over both sorting threads.
    @Test(arguments: [300, 5000])
    func earlyPairsBuildTheSamePostingsAsTheTable(members: Int) throws {
        let t = try Self.shop(members: members); defer { t.cleanup() }
        try t.store.pool.write { db in
            let early = try Self.start(db, dir: t.dir)
            #expect(try SearchIndex.rebuildAll(db, early: early))
            let fromEarly = try Self.tables(db)
            #expect(try !SearchIndex.rebuildAll(db))
            let fromTable = try Self.tables(db)
            #expect(fromEarly.count > members)
            let same = fromEarly == fromTable   // (a Bool: the tables themselves are thousands of lines)
            #expect(same)
        }
    }

    /// Pairs missing a member (or failed) are not used: the build reads the table instead.
    @Test func pairsThatDoNotCoverTheTableAreNotUsed() throws {
        let t = try Self.shop(members: 300); defer { t.cleanup() }
        try t.store.pool.write { db in
            try SearchIndex.rebuildAll(db)
            let full = try Self.tables(db)
            let short = try Self.start(db, dir: t.dir, skipLast: true)
            #expect(try !SearchIndex.rebuildAll(db, early: short))
            let sameAfterShort = try Self.tables(db) == full
            #expect(sameAfterShort)
            let failed = try Self.start(db, dir: t.dir, directory: "/nonexistent-ecrm-dir/x")
            #expect(try !SearchIndex.rebuildAll(db, early: failed))
            let sameAfterFailure = try Self.tables(db) == full
            #expect(sameAfterFailure)
        }
    }

    enum LoadCase: CaseIterable { case plain, changesAMember, changesAnOrder }

    /// Through the importer: a fresh bulk load (members appended, orders creating and filling
    /// members, paid moments shared by many members or not, refunds) leaves the postings a rebuild
    /// makes. A member changed by a later row of the file, or an order listed again with another
    /// status by a second file of the same import (the stats are then recomputed from the table; a
    /// repeat within one file is a rejected row), sends the build to the table.
    @Test(arguments: LoadCase.allCases)
    func aBulkImportLeavesThePostingsARebuildMakes(_ load: LoadCase) throws {
        let t = try TempStore(); defer { t.cleanup() }
        var m = "buyer_id,nick,name,phone\n"
        for i in 0..<500 { m += "b\(i),昵称\(i),姓名\(i % 9),1390000\(String(format: "%04d", i))\n" }
        if load == .changesAMember { m += "b7,改名了,,\n" }
        var o = "order_id,buyer_id,buyer_nick,paid_at,amount,status\n"
        for i in 0..<800 {
            let paid = i % 3 == 0 ? "2025-03-01 10:00:00" : "2025-\(String(format: "%02d", 1 + i % 12))-\(String(format: "%02d", 1 + i % 28)) 0\(i % 10):00:00"
            o += "\(7_000_000 + i),\(i % 10 == 0 ? "new\(i)" : "b\(i % 500)"),新人\(i),\(paid),2.00,\(i % 17 == 0 ? "refunded" : "paid")\n"
        }
        var files: [(kind: Importer.Kind, path: String)] = [(.members, try t.file("m.csv", m)), (.orders, try t.file("o.csv", o))]
        if load == .changesAnOrder {
            files.append((.orders, try t.file("o2.csv", "order_id,buyer_id,buyer_nick,paid_at,amount,status\n7000001,b1,,2025-03-01 10:00:00,2.00,refunded\n")))
        }
        let reports = try t.importer(bulk: true).run(files)
        #expect(reports.last?.searchBuild == (load == .plain ? "early" : "table"))
        try t.store.pool.write { db in
            let imported = try Self.tables(db)
            try SearchIndex.rebuildAll(db)
            let same = try Self.tables(db) == imported
            #expect(same)
        }
        let found = try t.store.pool.read { try MemberSearch.search($0, load == .changesAMember ? "改名了" : "昵称7", limit: 5).map(\.buyerId) }
        #expect(found.first == "b7")
    }
}
