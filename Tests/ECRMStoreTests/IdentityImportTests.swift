import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// Issue 18 (what was left) and issue 19 items 1-2: imports key buyers by their channel's identity,
/// and link a new identity to an existing member by phone exactly as PRODUCT.md says.
@Suite struct IdentityImportTests {
    func member(_ t: TempStore, _ c: Channel, _ id: String) throws -> Int64? {
        try t.store.pool.read { try Identities.find($0, channel: c, externalId: id)?.member }
    }

    func count(_ t: TempStore, _ sql: String) throws -> Int {
        try t.store.pool.read { try Int.fetchOne($0, sql: sql)! }
    }

    func identities(_ t: TempStore, _ member: Int64) throws -> [String] {
        try t.store.pool.read { try Identities.list($0, member: member) }.map { "\($0.channel):\($0.externalId)\($0.home ? "*" : "")/\($0.how)/\($0.orders)/\($0.spend)" }
    }

    @Test(arguments: [false, true])
    func aJDBuyerIsNotTheTaobaoBuyerOfTheSameName(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        let tb = try t.file("tb.csv", "order_id,buyer_id,paid_at,amount\n101,alice,2026-01-01 10:00:00,10.00\n102,bob,2026-01-02 10:00:00,20.00\n")
        #expect(try t.importer(bulk: bulk).run(.orders, path: tb).added == 2)
        let jd = try t.file("jd.csv", "order_id,buyer_id,paid_at,amount\n101,alice,2026-02-01 10:00:00,30.00\n9,carol,2026-02-02 10:00:00,40.00\n")
        let r = try t.importer(bulk: bulk).run(.orders, path: jd, channel: .jd)
        #expect(r.added == 2 && r.membersCreated == 2 && r.channel == "jd")
        let tbAlice = try #require(try member(t, .taobao, "alice")), jdAlice = try #require(try member(t, .jd, "alice"))
        #expect(tbAlice != jdAlice)
        #expect(try member(t, .jd, "bob") == nil && member(t, .taobao, "carol") == nil)
        // Handles: the JD alice cannot be buyer_id "alice" (Taobao's), carol can.
        let handles = try t.store.pool.read { try Row.fetchAll($0, sql: "SELECT buyer_id, channel FROM member ORDER BY id").map { "\($0[0] as String)|\(($0[1] as String?) ?? "-")" } }
        #expect(handles == ["alice|-", "bob|-", "jd:alice|jd", "carol|jd"])
        #expect(try identities(t, jdAlice) == ["jd:alice*/new/1/3000"])
        #expect(try identities(t, tbAlice) == ["taobao:alice*/new/1/1000"])
        // Orders through an identity row name it; Taobao's implicit ones stay NULL.
        #expect(try count(t, "SELECT count(*) FROM orders WHERE identity_id IS NULL") == 2)
        #expect(try count(t, "SELECT count(*) FROM orders o JOIN member_identity i ON i.id = o.identity_id AND i.member_id = o.member_id") == 2)
        // Re-importing changes nothing.
        let again = try t.importer(bulk: bulk).run(.orders, path: jd, channel: .jd)
        #expect(again.added == 0 && again.updated == 0 && again.skipped == 2 && again.membersCreated == 0)
        #expect(try count(t, "SELECT count(*) FROM member") == 4 && count(t, "SELECT count(*) FROM member_identity") == 2)
        // Now Taobao's carol: a Taobao identity whose buyer_id JD's carol already holds.
        let tb2 = try t.file("tb2.csv", "order_id,buyer_id,paid_at,amount\n103,carol,2026-03-01 10:00:00,50.00\n")
        #expect(try t.importer(bulk: bulk).run(.orders, path: tb2).membersCreated == 1)
        let tbCarol = try #require(try member(t, .taobao, "carol"))
        #expect(try tbCarol != member(t, .jd, "carol"))
        #expect(try identities(t, tbCarol) == ["taobao:carol*/new/1/5000"])
        #expect(try t.store.pool.read { try String.fetchOne($0, sql: "SELECT buyer_id FROM member WHERE id = ?", arguments: [tbCarol]) } == "taobao:carol")
        let again2 = try t.importer(bulk: bulk).run(.orders, path: tb2)
        #expect(again2.added == 0 && again2.skipped == 1 && again2.membersCreated == 0)
        // Search and member show find each by any identity.
        try t.store.pool.read { (db: Database) throws in
            #expect(try MemberQueries.resolve(db, "jd:alice") == jdAlice)
            #expect(try MemberSearch.search(db, "carol").map(\.id).contains(tbCarol))
        }
    }

    /// Members files in another channel: fields go to the right member; a linked identity only
    /// fills its member's empty fields.
    static let taobaoMembers = """
        buyer_id,nick,name,phone
        alice,阿丽,李丽,13800000001
        bob,小波,王波,13800000002
        bob2,波波,王波,13800000002
        dave,大卫,,138****0004

        """

    static let jdMembers = """
        buyer_id,nick,name,phone
        jdA,京东阿丽,Other Name,+86 138-0000-0001
        jdB,京东波,,13800000002
        jdC,京东C,,138****0001
        jdD,京东D,,13800000001
        jdE,京东E,,0571-88888888
        jdF,京东F,,13800000004

        """

    @Test(arguments: [false, true])
    func phoneLinksFollowEveryRule(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        let first = try t.importer(bulk: bulk).run(.members, path: try t.file("tb.csv", Self.taobaoMembers))
        // bob2 shares bob's phone in the same channel: a candidate, never a link.
        #expect(first.added == 4 && first.identitiesLinked == 0 && first.candidates == 1)
        let alice = try #require(try member(t, .taobao, "alice")), bob = try #require(try member(t, .taobao, "bob"))
        let bob2 = try #require(try member(t, .taobao, "bob2"))
        let r = try t.importer(bulk: bulk).run(.members, path: try t.file("jd.csv", Self.jdMembers), channel: .jd)
        #expect(r.added + r.updated == 6)
        // jdA: +86, spaces and dashes dropped, the one member with it, no JD identity yet → linked.
        #expect(try member(t, .jd, "jdA") == alice)
        // jdB: a phone two members have → a member of its own, a candidate with each.
        let jdB = try #require(try member(t, .jd, "jdB"))
        #expect(jdB != bob && jdB != bob2)
        // jdC: a masked phone never links (nor makes a candidate).
        let jdC = try #require(try member(t, .jd, "jdC"))
        #expect(jdC != alice)
        // jdD: alice's phone, but alice has a JD identity now (jdA) → its own member, a candidate.
        let jdD = try #require(try member(t, .jd, "jdD"))
        #expect(jdD != alice)
        // jdE: a landline never links. jdF: dave's phone is only a masked hint → no link.
        let jdE = try #require(try member(t, .jd, "jdE")), jdF = try #require(try member(t, .jd, "jdF"))
        let dave = try member(t, .taobao, "dave")
        #expect(jdE != alice && jdF != dave)
        #expect(r.identitiesLinked == 1 && r.candidates == 3)
        let pairs = try t.store.pool.read {
            try Row.fetchAll($0, sql: "SELECT member_a, member_b, evidence, detail, state FROM duplicate_candidate ORDER BY member_a, member_b")
                .map { "\($0[0] as Int64)-\($0[1] as Int64) \($0[2] as String) \($0[3] as String) \($0[4] as String)" }
        }
        #expect(pairs == [
            "\(alice)-\(jdD) phone 138****0001 jd:jdD open",
            "\(bob)-\(bob2) phone 138****0002 taobao:bob2 open",
            "\(bob)-\(jdB) phone 138****0002 jd:jdB open",
            "\(bob2)-\(jdB) phone 138****0002 jd:jdB open",
        ])
        // The link only filled what alice lacked: her name stays hers.
        try t.store.pool.read { (db: Database) throws in
            #expect(try String.fetchOne(db, sql: "SELECT name FROM member WHERE id = ?", arguments: [alice]) == "李丽")
            #expect(try Identities.list(db, member: alice).map { "\($0.channel):\($0.externalId):\($0.how):\($0.home)" }
                    == ["taobao:alice:new:true", "jd:jdA:phone:false"])
            #expect(try String.fetchOne(db, sql: "SELECT name FROM member WHERE id = ?", arguments: [jdB]) == "")
        }
        // Re-importing changes nothing: no new link, member or candidate.
        let members = try count(t, "SELECT count(*) FROM member")
        let again = try t.importer(bulk: bulk).run(.members, path: try t.file("jd.csv", Self.jdMembers), channel: .jd)
        #expect(again.added == 0 && again.identitiesLinked == 0 && again.candidates == 0)
        #expect(try count(t, "SELECT count(*) FROM member") == members && count(t, "SELECT count(*) FROM duplicate_candidate") == 4)
        // Orders through the linked identity go to alice and name it.
        let o = try t.importer(bulk: bulk).run(.orders, path: try t.file("jdo.csv", "order_id,buyer_id,paid_at,amount\nJ1,jdA,2026-04-01 10:00:00,12.00\n"), channel: .jd)
        #expect(o.added == 1 && o.membersCreated == 0)
        #expect(try identities(t, alice) == ["taobao:alice*/new/0/0", "jd:jdA/phone/1/1200"])
    }

    /// A dismissed pair does not come back when the same phone is seen again.
    @Test func aDismissedPairStaysDismissed() throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try t.importer(bulk: false).run(.members, path: try t.file("tb.csv", Self.taobaoMembers))
        try t.store.pool.write { try $0.execute(sql: "UPDATE duplicate_candidate SET state = 'dismissed'") }
        try t.store.pool.write { (db: Database) throws in
            let a = try Int64.fetchOne(db, sql: "SELECT member_a FROM duplicate_candidate")!, b = try Int64.fetchOne(db, sql: "SELECT member_b FROM duplicate_candidate")!
            #expect(try !IdentityTables.addCandidate(db, b, a, evidence: "phone", detail: "x", at: "2026-01-01 00:00:00"))
        }
        #expect(try count(t, "SELECT count(*) FROM duplicate_candidate WHERE state = 'open'") == 0)
    }

    /// Orders files link new buyers by the phone they carry (the Taobao report's 联系手机, Shopify's
    /// Phone, TikTok's Phone #), and key Shopify buyers by e-mail, TikTok's by Buyer Username.
    @Test(arguments: [false, true])
    func lineItemExportsKeyBuyersByTheirChannelAndLinkByPhone(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try t.importer(bulk: bulk).run(.members, path: try t.file("tb.csv", "buyer_id,nick,phone\nann,安,13812345678\nzed,泽,13900000009\n"))
        let ann = try #require(try member(t, .taobao, "ann"))
        let shopify = """
            Name,Email,Financial Status,Paid at,Lineitem quantity,Total,Phone,Billing Name
            #1001,ann@example.com,paid,2024-03-01 10:00:00,2,40.00,+8613812345678,Ann Li
            #1002,ann@example.com,paid,2024-03-02 10:00:00,1,10.00,,Ann Li
            #1003,zed,paid,2024-03-02 10:00:00,1,10.00,,Zed

            """
        var i = t.importer(bulk: bulk)
        i.today = Day(year: 2024, month: 12, day: 31)!
        let r = try i.run(.orders, path: try t.file("orders_export.csv", shopify))
        #expect(r.channel == "shopify" && r.added == 3 && r.identitiesLinked == 1 && r.membersCreated == 1)
        #expect(try member(t, .shopify, "ann@example.com") == ann)
        // A Shopify buyer called "zed" is not Taobao's zed.
        #expect(try member(t, .shopify, "zed") != member(t, .taobao, "zed"))
        #expect(try identities(t, ann) == ["taobao:ann*/new/0/0", "shopify:ann@example.com/phone/2/5000"])
        let tiktok = """
            Order ID,Order Status,Paid Time,Order Amount,Buyer Username,Phone #,Quantity
            T1,Completed,2024-03-05 10:00:00,15.00,ann_tt,13812345678,1

            """
        let k = try i.run(.orders, path: try t.file("tiktok.csv", tiktok))
        #expect(k.channel == "tiktok" && k.identitiesLinked == 1)
        #expect(try member(t, .tiktok, "ann_tt") == ann)
        #expect(try i.run(.orders, path: try t.file("tiktok.csv", tiktok)).skipped == 1)
        #expect(try i.run(.orders, path: try t.file("orders_export.csv", shopify)).skipped == 3)
        #expect(try identities(t, ann).count == 3)
    }

    /// A Taobao report's 联系手机 links its buyer, a JD buyer in a generic file into a store whose
    /// member came from a members file.
    @Test(arguments: [false, true])
    func aTaobaoReportLinksItsNewBuyerToAJDMember(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try t.importer(bulk: bulk).run(.members, path: try t.file("jd.csv", "buyer_id,nick,phone\njd_li,李,13712345678\n"), channel: .jd)
        let li = try #require(try member(t, .jd, "jd_li"))
        let report = try t.gbkFile("report.csv", [
            ["订单编号", "买家会员名", "买家实际支付金额", "订单状态", "订单付款时间", "收货人姓名", "收货地址", "联系手机", "宝贝总数量"],
            ["=\"5001\"", "淘宝李", "88.00", "交易成功", "2026-05-01 10:00:00", "李四", "浙江省 杭州市 西湖区", "'13712345678", "1"],
        ])
        let r = try t.importer(bulk: bulk).run(.orders, path: report)
        #expect(r.identitiesLinked == 1 && r.membersCreated == 0)
        #expect(try member(t, .taobao, "淘宝李") == li)
        #expect(try identities(t, li) == ["jd:jd_li*/new/0/0", "taobao:淘宝李/phone/1/8800"])
        // Filled what the JD member lacked (name, province) from the report.
        let filled = try t.store.pool.read { try String.fetchOne($0, sql: "SELECT name || '|' || province FROM member WHERE id = ?", arguments: [li]) }
        #expect(filled == "李四|浙江")
    }

    /// A profile with a phone column links its new buyers too (here a JD export in GBK).
    @Test(arguments: [false, true])
    func aProfilesPhoneColumnLinksItsBuyers(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try t.importer(bulk: bulk).run(.members, path: try t.file("tb.csv", "buyer_id,nick,phone\nzhang,张,13612345678\n"))
        let config = """
            [profiles.jd]
            channel = "jd"
            order_id = "订单号"
            buyer_id = "下单帐号"
            paid_at = "付款时间"
            amount = "应付金额"
            phone = "收货人手机"
            """
        let jd = try #require(try ImportProfile.parseAll(config, path: "config.toml")["jd"])
        let path = try t.gbkFile("jd.csv", [
            ["订单号", "下单帐号", "应付金额", "付款时间", "收货人手机"],
            ["28001", "jd_张三", "88.00", "2026-01-05 10:00:00", "136-1234-5678"],
            ["28002", "jd_李四", "12.50", "2026-01-06 11:30:00", "136****0000"],
        ])
        let r = try t.importer(bulk: bulk).run([(.orders, path)], profile: jd)[0]
        #expect(r.added == 2 && r.identitiesLinked == 1 && r.membersCreated == 1)
        #expect(try member(t, .jd, "jd_张三") == member(t, .taobao, "zhang"))
        #expect(try identities(t, try #require(try member(t, .taobao, "zhang"))) == ["taobao:zhang*/new/0/0", "jd:jd_张三/phone/1/8800"])
    }
}
