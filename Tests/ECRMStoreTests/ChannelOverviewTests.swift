import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// Issue 19 item 7: the channels view's figures on a small real store — imports in Taobao, JD and
/// offline, a phone link, manual links — each number pinned, and the spend per channel checked
/// against the plain aggregate over every order (which the view avoids at 5M orders).
@Suite struct ChannelOverviewTests {
    static let taobaoMembers = """
        buyer_id,nick,name,phone
        alice,阿丽,李丽,13800000001
        bob,小波,王波,13800000002
        carol,卡罗,,

        """
    /// 103 refunded and 105 closed count nowhere; TB-104 is a Taobao order with a text number
    /// (kept under a store key, channel 'taobao'), the rest plain Taobao numbers (channel NULL).
    static let taobaoOrders = """
        order_id,buyer_id,paid_at,amount,status
        101,alice,2026-01-01 10:00:00,10.00,paid
        102,bob,2026-01-02 10:00:00,"1,020.00",paid
        103,carol,2026-01-03 10:00:00,5.00,refunded
        TB-104,alice,2026-01-04 10:00:00,8.00,paid
        105,carol,2026-01-05 10:00:00,3.00,closed
        106,carol,2026-01-06 10:00:00,0,paid

        """
    /// jdA has alice's phone (+86, dashes): linked to her; jdX is a JD-only member.
    static let jdMembers = """
        buyer_id,nick,name,phone
        jdA,京东阿丽,,+86 138-0000-0001
        jdX,京东X,,13900000009

        """
    static let jdOrders = """
        order_id,buyer_id,paid_at,amount,status
        J1,jdA,2026-02-01 10:00:00,30.00,paid
        5002,jdX,2026-02-02 10:00:00,40.00,paid
        J3,jdX,2026-02-03 10:00:00,7.00,closed

        """
    static let offlineOrders = """
        order_id,buyer_id,paid_at,amount,status
        S01-000001,C001,2026-03-01 10:00:00,12.50,paid

        """

    /// The store every test starts from; returns the member ids by handle.
    func shop(bulk: Bool) throws -> TempStore {
        let t = try TempStore()
        _ = try t.importer(bulk: bulk).run(.members, path: try t.file("tb.csv", Self.taobaoMembers))
        _ = try t.importer(bulk: bulk).run(.orders, path: try t.file("tbo.csv", Self.taobaoOrders))
        let jd = try t.importer(bulk: bulk).run(.members, path: try t.file("jd.csv", Self.jdMembers), channel: .jd)
        #expect(jd.identitiesLinked == 1)
        _ = try t.importer(bulk: bulk).run(.orders, path: try t.file("jdo.csv", Self.jdOrders), channel: .jd)
        _ = try t.importer(bulk: bulk).run(.orders, path: try t.file("off.csv", Self.offlineOrders), channel: .offline)
        // By hand: bob's offline card, and a second Taobao nick of alice's (a member whose Taobao
        // identity is implicit, with a Taobao row too: still one Taobao member).
        _ = try Identities.link(t.store, member: "bob", channel: .offline, externalId: "C002")
        _ = try Identities.link(t.store, member: "alice", channel: .taobao, externalId: "alice_alt")
        return t
    }

    func row(_ o: ChannelOverview, _ c: Channel) -> String {
        guard let r = o.channels.first(where: { $0.channel == c.rawValue }) else { return "-" }
        return "\(r.members) \(r.linked) \(r.paidOrders) \(r.spend)"
    }

    @Test(arguments: [false, true])
    func everyFigureOfASmallShop(bulk: Bool) throws {
        let t = try shop(bulk: bulk); defer { t.cleanup() }
        let today = Clock.today()
        let o = try ChannelOverview.compute(t.store, asOf: today)
        // alice, bob, carol (Taobao), jdX (JD), C001 (offline).
        #expect(o.members == 5)
        #expect(o.asOf == today && o.since == today.adding(days: -29))
        // Taobao: alice, bob, carol; JD: alice (jdA), jdX; offline: bob (C002), C001.
        // Links: jdA by phone, C002 and alice_alt by hand. Orders: paid only (zero amount counts).
        #expect(o.channels.map(\.channel) == ["taobao", "jd", "offline"])
        #expect(row(o, .taobao) == "3 1 4 103800")
        #expect(row(o, .jd) == "2 1 2 7000")
        #expect(row(o, .offline) == "2 1 1 1250")
        #expect(o.multiChannel == 2)
        #expect(o.links == ChannelOverview.Links(phone: 1, manual: 2, merge: 0))
        #expect(o.paidOrders == 7 && o.spend == 112050)
        // The same spend as the plain aggregate over every order.
        let plain = try t.store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT coalesce(channel, 'taobao'), count(*), sum(amount) FROM orders WHERE status = 'paid' GROUP BY 1 ORDER BY 1")
                .map { "\($0[0] as String) \($0[1] as Int64) \($0[2] as Int64)" }
        }
        let mine = o.channels.map { "\($0.channel) \($0.paidOrders) \($0.spend)" }.sorted()
        #expect(mine == plain)
    }

    /// "The last 30 days" is as-of and the 29 days before it, both whole days; a merge counts as a link.
    @Test func theLinkWindowIsThirtyDays() throws {
        let t = try shop(bulk: false); defer { t.cleanup() }
        let asOf = Day(year: 2026, month: 6, day: 30)!
        // 2026-06-01 00:00:00 is the window's first second; the day before is out, as is after as-of.
        try t.store.pool.write { db in
            try db.execute(sql: "UPDATE member_identity SET linked_at = '2026-06-01 00:00:00' WHERE external_id = 'jdA'")
            try db.execute(sql: "UPDATE member_identity SET linked_at = '2026-05-31 23:59:59' WHERE external_id = 'C002'")
            try db.execute(sql: "UPDATE member_identity SET linked_at = '2026-06-30 23:59:59', how = 'merge' WHERE external_id = 'alice_alt'")
            try db.execute(sql: "UPDATE member_identity SET linked_at = '2026-06-15 12:00:00' WHERE how = 'new'")
        }
        var o = try ChannelOverview.compute(t.store, asOf: asOf)
        #expect(o.since == Day(year: 2026, month: 6, day: 1)!)
        #expect(o.links == ChannelOverview.Links(phone: 1, manual: 0, merge: 1))
        #expect(row(o, .jd) == "2 1 2 7000" && row(o, .offline) == "2 0 1 1250" && row(o, .taobao) == "3 1 4 103800")
        // A day earlier the window starts on 05-31 (C002 is in) and alice_alt is not made yet.
        o = try ChannelOverview.compute(t.store, asOf: Day(year: 2026, month: 6, day: 29)!)
        #expect(o.links == ChannelOverview.Links(phone: 1, manual: 1, merge: 0))
        o = try ChannelOverview.compute(t.store, asOf: Day(year: 2026, month: 7, day: 1)!)
        #expect(o.links == ChannelOverview.Links(phone: 0, manual: 0, merge: 1))
    }

    /// A member whose home is another channel, with its Taobao identity a row (materialized, as a
    /// merge leaves it), counts once per channel; a store without identities is all Taobao.
    @Test func homesInOtherChannelsAndMaterializedTaobao() throws {
        let t = try shop(bulk: false); defer { t.cleanup() }
        try t.store.pool.write { db in
            let bob = try #require(try Identities.find(db, channel: .taobao, externalId: "bob")?.member)
            try Identities.materialize(db, member: bob, by: "owner1")
        }
        let o = try ChannelOverview.compute(t.store)
        #expect(row(o, .taobao) == "3 1 4 103800" && row(o, .offline) == "2 1 1 1250")
        #expect(o.members == 5 && o.multiChannel == 2)

        let empty = try TempStore(); defer { empty.cleanup() }
        let e = try ChannelOverview.compute(empty.store)
        #expect(e.members == 0 && e.channels.isEmpty && e.links.total == 0 && e.spend == 0)
        _ = try empty.importer(bulk: true).run(.orders, path: try empty.file("o.csv", Self.taobaoOrders))
        let tb = try ChannelOverview.compute(empty.store)
        #expect(tb.channels.count == 1 && row(tb, .taobao) == "3 0 4 103800" && tb.multiChannel == 0)
    }

    /// Staff may look; a user the store does not know is refused in one line, and it is logged.
    @Test func staffLookAndStrangersAreRefused() throws {
        let t = try shop(bulk: false); defer { t.cleanup() }
        try t.store.addOperator("clerk", role: "staff")
        let clerk = try Store(path: t.path, operatorName: "clerk")
        #expect(try ChannelOverview.compute(clerk).members == 5)
        let stranger = try Store(path: t.path, operatorName: "mallory")
        #expect(throws: StoreError.self) { try ChannelOverview.compute(stranger) }
        let refusals = try t.store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit WHERE operator = 'mallory' AND action = 'refused'") }
        #expect(refusals == 1)
    }
}
