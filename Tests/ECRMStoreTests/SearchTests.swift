import Foundation
import Testing
import GRDB
@testable import ECRMStore

/// A shop with tricky names, built through the real importer (small files: the refresh path).
/// `rebuilt` additionally runs the bulk rebuild, so both the delta and the built postings are tested.
struct SearchShop {
    let t: TempStore

    static let members = """
        buyer_id,nick,name,phone,card_no
        m01,张三,张三丰,13800001111,
        m02,张三的店,李四,13900002222,
        m03,老张,王五,13700003333,
        m04,王小明,王小明,13600004444,
        m05,小明同学,赵六,13500005555,
        m06,小明,孙七,13500015555,
        m07,娜Amy,李娜,15000006666,
        m08,amy,周八,15100006666,
        m09,AMY_shop,吴九,15200006666,
        m10,小娜amy88,郑十,15300007777,
        m11,"a""b*c(d-e:f",特殊,15400008888,
        m12,NEAR AND OR NOT,特殊二,15400008889,
        m13,back\\slash%_it's,特殊三,15400008887,
        m14,同名,甲,15500000001,
        m15,同名,乙,15500000002,
        m16,同名,丙,15500000003,
        m17,卡主,丁,15500000004,VIP0001
        m18,abcxbcd,戊,15500000005,

        """

    static let orders = """
        order_id,buyer_id,buyer_nick,paid_at,amount,status,items
        2000000000000123,m05,,2025-01-10 10:00:00,10.00,paid,1
        2000000000000124,m15,,2025-03-01 10:00:00,10.00,paid,1
        2000000000000125,m16,,2025-05-01 10:00:00,10.00,paid,1
        2000000000000126,m08,,2025-06-01 10:00:00,10.00,paid,1
        2000000000000127,m07,,2025-04-01 10:00:00,10.00,paid,1

        """

    init(rebuilt: Bool) throws {
        t = try TempStore()
        var m = SearchShop.members
        // 60 members sharing a phone tail, 400 sharing characters: long postings (chunked when rebuilt).
        for i in 0..<60 { m += String(format: "t%02d,尾号%d,,1860000%04d,\n", i, i, i * 10_000 % 10_000 + 9999) }
        for i in 0..<400 { m += "k\(i),客户\(i)号,,,\n" }
        var o = SearchShop.orders
        for i in 0..<60 { o += String(format: "30000000000%05d,t%02d,,2024-%02d-%02d 09:00:00,1.00,paid,1\n", i, i, 1 + i % 12, 1 + i % 28) }
        for i in stride(from: 0, to: 400, by: 3) { o += String(format: "40000000000%05d,k%d,,2023-%02d-%02d 08:00:%02d,1.00,paid,1\n", i, i, 1 + i % 12, 1 + i % 28, i % 60) }
        _ = try Importer(store: t.store).run(.members, path: try t.file("m.csv", m))
        _ = try Importer(store: t.store).run(.orders, path: try t.file("o.csv", o))
        if rebuilt { try t.store.pool.write { try SearchIndex.rebuildAll($0) } }
    }

    func search(_ q: String, limit: Int = 50) throws -> [MemberSummary] {
        try t.store.pool.read { try MemberSearch.search($0, q, limit: limit) }
    }

    func ids(_ q: String, limit: Int = 50) throws -> [String] { try search(q, limit: limit).map(\.buyerId) }
}

@Suite struct SearchTests {
    @Test(arguments: [false, true])
    func chineseOneAndTwoCharactersRankExactThenPrefixThenContains(rebuilt: Bool) throws {
        let s = try SearchShop(rebuilt: rebuilt); defer { s.t.cleanup() }
        let zhang = try s.search("张")
        #expect(Set(zhang.map(\.buyerId)) == ["m01", "m02", "m03"])
        #expect(zhang.last?.buyerId == "m03" && zhang.last?.matchedBy == "contains")
        #expect(try s.search("张三").map { "\($0.buyerId):\($0.matchedBy)" } == ["m01:exact", "m02:prefix"])
        let xm = try s.search("小明")
        #expect(xm.map(\.buyerId) == ["m06", "m05", "m04"])   // 小明, 小明同学, 王小明
        #expect(xm.map(\.matchedBy) == ["exact", "prefix", "contains"])
        #expect(try s.ids("王小明") == ["m04"])
        #expect(try s.search("王小明").first?.matchedBy == "exact")
        #expect(try s.ids("没有").isEmpty)
        #expect(try s.ids("明同学") == ["m05"])
    }

    @Test(arguments: [false, true])
    func duplicateNicksRankByLastPaidOrderAndNeverBoughtLast(rebuilt: Bool) throws {
        let s = try SearchShop(rebuilt: rebuilt); defer { s.t.cleanup() }
        #expect(try s.ids("同名") == ["m16", "m15", "m14"])
    }

    @Test(arguments: [false, true])
    func phoneOrderBuyerIdAndCard(rebuilt: Bool) throws {
        let s = try SearchShop(rebuilt: rebuilt); defer { s.t.cleanup() }
        let tail = try s.search("6666")
        #expect(tail.map(\.buyerId) == ["m08", "m07", "m09"])   // paid 06-01, 04-01, never
        #expect(tail.allSatisfy { $0.matchedBy == "phone tail" })
        #expect(try s.ids("06666") == ["m08", "m07", "m09"])
        #expect(try s.ids("5200006666") == ["m09"])
        let full = try s.search("15000006666")
        #expect(full.map { "\($0.buyerId):\($0.matchedBy)" } == ["m07:phone"])
        #expect(try s.ids("150-0000-6666") == ["m07"])
        #expect(try s.search("2000000000000123").map { "\($0.buyerId):\($0.matchedBy)" } == ["m05:order"])
        #expect(try s.search("m07").first.map { "\($0.buyerId):\($0.matchedBy)" } == "m07:buyer_id")
        #expect(try s.search("VIP0001").map { "\($0.buyerId):\($0.matchedBy)" } == ["m17:card"])
        #expect(try s.ids("2999999999999999").isEmpty)
    }

    @Test(arguments: [false, true])
    func phoneTailSharedByManyHonoursLimitAndRecency(rebuilt: Bool) throws {
        let s = try SearchShop(rebuilt: rebuilt); defer { s.t.cleanup() }
        let all = try s.search("9999", limit: 100)
        #expect(all.count == 60)
        let paid = all.compactMap(\.lastPaidAt)
        #expect(paid == paid.sorted(by: >))
        #expect(try s.search("9999").count == 50)
        #expect(try s.ids("9999", limit: 5) == Array(all.prefix(5).map(\.buyerId)))
        #expect(try s.search("客", limit: 7).count == 7)
    }

    @Test(arguments: [false, true])
    func typedCharactersAreLiteral(rebuilt: Bool) throws {
        let s = try SearchShop(rebuilt: rebuilt); defer { s.t.cleanup() }
        for q in ["\"", "*", "(", "-", ":", "a\"b", "b*c(d-e:f", "d-e"] { #expect(try s.ids(q) == ["m11"], "\(q)") }
        for q in ["NEAR", "AND", "OR NOT", "near and"] { #expect(try s.ids(q) == ["m12"], "\(q)") }
        for q in ["\\", "%", "'", "%_it's", "back\\slash"] { #expect(try s.ids(q) == ["m13"], "\(q)") }
        #expect(Set(try s.ids("_")) == ["m09", "m13"])
        for q in ["\"\"", "**", "NEAR(", "a OR b", "^张", "张*", "%%", "__", "'--", ")", "\"张三\""] {
            #expect(try s.ids(q).isEmpty, "\(q)")
        }
    }

    @Test(arguments: [false, true])
    func latinCaseIsIgnoredAndMixedTextMatches(rebuilt: Bool) throws {
        let s = try SearchShop(rebuilt: rebuilt); defer { s.t.cleanup() }
        let lower = try s.search("amy")
        #expect(lower.map { "\($0.buyerId):\($0.matchedBy)" } == ["m08:exact", "m09:prefix", "m07:contains", "m10:contains"])
        #expect(try s.ids("AMY") == lower.map(\.buyerId))
        #expect(try s.ids("aMy") == lower.map(\.buyerId))
        #expect(try s.search("娜Amy").map { "\($0.buyerId):\($0.matchedBy)" } == ["m07:exact", "m10:contains"])
        #expect(try s.ids("娜AMY") == ["m07", "m10"])
        #expect(try s.ids("娜") == ["m07", "m10"])   // nick 娜Amy prefix; 李娜 is m07's name too
    }

    @Test(arguments: [false, true])
    func threeOrMoreCharactersAcrossLongPostingsMatchBruteForce(rebuilt: Bool) throws {
        let s = try SearchShop(rebuilt: rebuilt); defer { s.t.cleanup() }
        for q in ["户12", "客户1", "户39", "9号", "户7号", "客户399号", "户0号"] {
            let got = try s.search(q, limit: 500)
            let expected = (0..<400).filter { "客户\($0)号".contains(q) }.map { "k\($0)" }
            #expect(Set(got.map(\.buyerId)) == Set(expected), "\(q)")
            let paid = got.filter { $0.matchedBy == "contains" }.map { $0.lastPaidAt ?? "" }
            #expect(paid == paid.sorted(by: >), "\(q)")
        }
        #expect(try s.search("客户399号").first?.matchedBy == "exact")
        // Both trigrams of "abcd" occur in "abcxbcd", but not as one substring.
        #expect(try s.ids("abcd").isEmpty)
        #expect(try s.ids("xbcd") == ["m18"])
    }

    @Test func smallImportRefreshesSearch() throws {
        let s = try SearchShop(rebuilt: true); defer { s.t.cleanup() }
        #expect(try s.ids("新来的").isEmpty)
        _ = try Importer(store: s.t.store).run(.members, path: try s.t.file("n.csv", "buyer_id,nick,phone\nn1,新来的,18712344321\nm03,老张改名,\n"))
        #expect(try s.ids("新来的") == ["n1"])
        #expect(try s.ids("4321") == ["n1"])
        #expect(try s.ids("改名") == ["m03"])
        #expect(try s.search("老张").map { "\($0.buyerId):\($0.matchedBy)" } == ["m03:prefix"])   // no longer exact
        #expect(try s.search("老张改名").first?.matchedBy == "exact")
        // A new paid order makes m14 the most recent 同名.
        _ = try Importer(store: s.t.store).run(.orders, path: try s.t.file("o2.csv", "order_id,buyer_id,paid_at,amount\n5000000000000001,m14,2026-01-01 10:00:00,5.00\n"))
        #expect(try s.ids("同名") == ["m14", "m16", "m15"])
        #expect(try s.ids("5000000000000001") == ["m14"])
        // An order for an unknown buyer creates a member that search finds.
        _ = try Importer(store: s.t.store).run(.orders, path: try s.t.file("o3.csv", "order_id,buyer_id,buyer_nick,paid_at,amount\n5000000000000002,z1,同名,2026-02-01 10:00:00,5.00\n"))
        #expect(try s.ids("同名") == ["z1", "m14", "m16", "m15"])
    }

    /// Exact nick and full phone come from the search postings (no member(nick)/member(phone) index),
    /// so they are checked on both the built postings and the refresh deltas.
    @Test(arguments: [false, true])
    func memberShowResolutionStillWorks(rebuilt: Bool) throws {
        let s = try SearchShop(rebuilt: rebuilt); defer { s.t.cleanup() }
        func resolve(_ key: String) throws -> String? {
            try s.t.store.pool.read { db in
                try MemberQueries.resolve(db, key).flatMap { try String.fetchOne(db, sql: "SELECT buyer_id FROM member WHERE id = ?", arguments: [$0]) }
            }
        }
        #expect(try resolve("m07") == "m07")
        #expect(try resolve("同名") == "m16")
        #expect(try resolve("15000006666") == "m07")
        #expect(try resolve("2000000000000123") == "m05")
        // The nick is matched exactly, case included, though the postings fold ASCII case.
        #expect(try resolve("amy") == "m08")
        #expect(try resolve("Amy") == nil)
        #expect(try resolve("AMY") == nil)
        // Three members share the tail 6666: the full number picks one.
        #expect(try resolve("15100006666") == "m08")
        #expect(try resolve("15200006666") == "m09")
        #expect(try resolve("15200016666") == nil)
        #expect(try s.search("151 0000 6666").map { "\($0.buyerId):\($0.matchedBy)" } == ["m08:phone"])
        // A small import changes nick and phone: the lookups follow at once.
        _ = try Importer(store: s.t.store).run(.members, path: try s.t.file("r.csv", "buyer_id,nick,phone\nm08,amy2,18800009999\n"))
        #expect(try resolve("amy") == nil)
        #expect(try resolve("amy2") == "m08")
        #expect(try resolve("15100006666") == nil)
        #expect(try resolve("18800009999") == "m08")
    }

    @Test func emptyAndBlankQueriesFindNothing() throws {
        let s = try SearchShop(rebuilt: false); defer { s.t.cleanup() }
        #expect(try s.ids("").isEmpty)
        #expect(try s.ids("   ").isEmpty)
        #expect(try s.ids("张", limit: 0).isEmpty)
    }
}

@Suite struct SearchBuildPartitionTests {
    /// The posting tables are the same byte for byte whether the build takes one partition or
    /// dozens (sorted on two threads, read back from the spool a run of top bytes at a time): in a
    /// small store, whose small-posting buckets span several top bytes, and in one big enough for a
    /// bucket per top byte and for long postings.
    @Test(arguments: [300, 5000])
    func postingsDoNotDependOnPartitioning(members: Int) throws {
        let t = try TempStore(); defer { t.cleanup() }
        var m = "buyer_id,nick,name,phone\n"
        for i in 0..<members { m += "b\(i),小明\(i % 97)号\(i),王\(i % 13),1380000\(String(format: "%04d", i % 10_000))\n" }
        var o = "order_id,buyer_id,paid_at,amount,status\n"
        for i in 0..<members / 2 { o += "\(9_000_000 + i),b\(i * 7 % members),2025-\(String(format: "%02d", 1 + i % 12))-01 10:00:00,1.00,paid\n" }
        let importer = t.importer(bulk: true)
        _ = try importer.run([(.members, try t.file("m.csv", m)), (.orders, try t.file("o.csv", o))])
        func tables(partitionMax: Int) throws -> [String] {
            try t.store.pool.write { db in
                try SearchIndex.rebuildAll(db, partitionMax: partitionMax)
                return try EarlyPairsTests.tables(db)
            }
        }
        let whole = try tables(partitionMax: SearchIndexBuilder.defaultPartitionMax)
        let split = try tables(partitionMax: 500)
        #expect(whole.count > members)
        #expect(whole.contains { $0.hasPrefix("l") })   // long postings (over 48 members) are in it
        #expect(split == whole)
        let last = members - 1
        let found = try t.store.pool.read { try MemberSearch.search($0, "小明\(last % 97)号\(last)", limit: 5).map(\.buyerId) }
        #expect(found.first == "b\(last)")
    }
}
