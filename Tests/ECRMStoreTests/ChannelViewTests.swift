import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// Issue 19 items 6-7 (and issue 18 item 6): export's `channels` column and `--channel` filter, the
/// channel member set lists and tags use, and the channels overview.
@Suite struct ChannelViewTests {
    /// alice (Taobao, linked JD by phone, 2 paid orders), bob (Taobao), jd_c (JD only, 1 order),
    /// sp (Shopify only, refunded order), carol (Taobao, offline card by hand).
    func shop() throws -> TempStore {
        let t = try TempStore()
        _ = try t.importer(bulk: false).run(.members, path: try t.file("m.csv", "buyer_id,nick,phone\nalice,阿丽,13800000001\nbob,小波,13800000002\ncarol,卡,\n"))
        _ = try t.importer(bulk: false).run(.orders, path: try t.file("o.csv", """
            order_id,buyer_id,paid_at,amount,status
            1,alice,2026-06-01 10:00:00,100,paid
            2,bob,2026-06-02 10:00:00,50,paid
            3,bob,2026-06-03 10:00:00,7,refunded

            """))
        _ = try t.importer(bulk: false).run(.members, path: try t.file("jd.csv", "buyer_id,phone\njd_a,13800000001\njd_c,13900000003\n"), channel: .jd)
        _ = try t.importer(bulk: false).run(.orders, path: try t.file("jdo.csv", "order_id,buyer_id,paid_at,amount\nJ1,jd_a,2026-06-05 10:00:00,30\nJ2,jd_c,2026-06-06 10:00:00,20\n"), channel: .jd)
        _ = try t.importer(bulk: false).run(.orders, path: try t.file("sp.csv", "order_id,buyer_id,paid_at,amount,status\n#1,sp@x.com,2026-06-07 10:00:00,9,refunded\n"), channel: .shopify)
        _ = try Identities.link(t.store, member: "carol", channel: .offline, externalId: "CARD-1")
        return t
    }

    @Test func exportAddsChannelsAndFiltersByChannel() throws {
        let t = try shop(); defer { t.cleanup() }
        let out = t.dir + "/e.csv"
        let settings = RFMSettings(asOf: Day.parse("2026-06-30")!)
        #expect(try Exporter(store: t.store).export(to: out, settings: settings, set: .all, reveal: false) == 5)
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines[0].hasSuffix(",tags,channels"))
        let channels = Dictionary(uniqueKeysWithValues: lines.dropFirst().map { l in (String(l.prefix { $0 != "," }), String(l.split(separator: ",", omittingEmptySubsequences: false).last!)) })
        #expect(channels == ["alice": "taobao|jd", "bob": "taobao", "carol": "taobao|offline", "jd_c": "jd", "sp@x.com": "shopify"])
        #expect(try Exporter(store: t.store).export(to: out, settings: settings, set: .channel(.jd), reveal: false) == 2)
        let jd = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").dropFirst().map { String($0.prefix { $0 != "," }) }
        #expect(jd == ["alice", "jd_c"])
        #expect(try Exporter(store: t.store).export(to: out, settings: settings, set: .channel(.taobao), reveal: false) == 3)
        #expect(try Exporter(store: t.store).export(to: out, settings: settings, set: .channel(.tiktok), reveal: false) == 0)
    }

    @Test func theChannelSetListsTagsAndFiltersAList() throws {
        let t = try shop(); defer { t.cleanup() }
        let buyers = { (ids: [Int64]) in try t.store.pool.read { db in try ids.map { try String.fetchOne(db, sql: "SELECT buyer_id FROM member WHERE id = ?", arguments: [$0])! } } }
        #expect(Set(try buyers(try t.store.pool.read { try MemberSetSQL.orderedIds($0, .channel(.taobao)) })) == ["alice", "bob", "carol"])
        #expect(Set(try buyers(try t.store.pool.read { try MemberSetSQL.orderedIds($0, .channel(.jd)) })) == ["alice", "jd_c"])
        #expect(try buyers(try t.store.pool.read { try MemberSetSQL.orderedIds($0, .channel(.offline)) }) == ["carol"])
        // Bulk tag through the set, as `ecrm tags bulk --channel jd` does.
        let action = try BulkTagger(store: t.store).apply("京东客", to: .channel(.jd), createIfMissing: true)
        #expect(action.changed == 2)
        // The console's filter: a list's members, in the list's order, narrowed to the channel.
        #expect(try ChannelFilter.present(t.store) == [.taobao, .jd, .shopify, .offline])
        let all = try t.store.pool.read { try Int64.fetchAll($0, sql: "SELECT id FROM member ORDER BY id DESC") }
        #expect(try buyers(MemberSets.allIds(t.store, MemberSet.ids(all).narrowed(to: .jd))) == ["alice", "jd_c"])
        #expect(try buyers(MemberSets.allIds(t.store, MemberSet.tier(0).narrowed(to: .offline))) == ["carol"])
        #expect(try MemberSets.count(t.store, MemberSet(MemberRule(channels: [.jd, .offline]))) == 3)
        // The channel is one condition of the rule: stored as such, and the identities branch's
        // stored form ({"channel":{"_0":"jd"}}) still decodes.
        #expect(MemberSet.channel(.jd).description == "channel jd")
        let stored = String(decoding: try JSONEncoder().encode(MemberSet.channel(.jd)), as: UTF8.self)
        #expect(stored == #"{"channels":["jd"]}"#)
        #expect(try JSONDecoder().decode(MemberSet.self, from: Data(stored.utf8)) == .channel(.jd))
        #expect(try JSONDecoder().decode(MemberSet.self, from: Data(#"{"channel":{"_0":"offline"}}"#.utf8)) == .channel(.offline))
    }

    @Test func theOverviewCountsMembersLinksAndSpendPerChannel() throws {
        let t = try shop(); defer { t.cleanup() }
        let o = try ChannelOverview.compute(t.store)
        #expect(o.channels.map { "\($0.channel) \($0.members) \($0.paidOrders) \($0.spend)" } == [
            "taobao 3 2 15000", "jd 2 2 5000", "shopify 1 0 0", "offline 1 0 0",
        ])
        #expect(o.members == 5 && o.multiChannel == 2)
        #expect(o.links.total == 2 && o.links.phone == 1 && o.links.manual == 1)
        // A link older than 30 days is not counted.
        try t.store.pool.write { try $0.execute(sql: "UPDATE member_identity SET linked_at = '2000-01-01 00:00:00' WHERE how = 'manual'") }
        #expect(try ChannelOverview.compute(t.store).links.total == 1)
    }
}
