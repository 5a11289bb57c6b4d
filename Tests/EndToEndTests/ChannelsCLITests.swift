import Foundation
import Testing

/// Issue 19 item 7 through the real binary: `ecrm channels` and `--json` on a shop with Taobao, JD
/// and offline identities, a phone link and a link by hand.
@Suite(.serialized) struct ChannelsCLITests {
    final class Shop {
        let dir: String
        var db: String { dir + "/shop.sqlite" }

        init() throws {
            dir = NSTemporaryDirectory() + "ecrm-channels-cli-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try write("m.csv", "buyer_id,nick,name,phone\nalice,阿丽,李丽,13800000001\nbob,小波,王波,13800000002\nbob2,波波,王波,13800000002\n")
            try write("o.csv", "order_id,buyer_id,paid_at,amount,status\n1,alice,2026-06-01 10:00:00,100,paid\n2,bob,2026-06-02 10:00:00,\"1,050\",paid\n3,bob2,2026-06-02 11:00:00,9,refunded\n")
            try write("jdm.csv", "buyer_id,nick,phone\njd_al,京东阿丽,+86 138 0000 0001\njd_b,京东波,13800000002\n")
            try write("jdo.csv", "order_id,buyer_id,paid_at,amount\nJ1,jd_al,2026-06-03 10:00:00,30\n")
            try write("pos.csv", "order_id,buyer_id,paid_at,amount\nS01-1,VIP-7,2026-06-04 10:00:00,20.50\n")
        }

        deinit { try? FileManager.default.removeItem(atPath: dir) }

        func write(_ name: String, _ text: String) throws {
            try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/" + name))
        }

        @discardableResult
        func ok(_ args: [String], lang: String = "en", sourceLocation: SourceLocation = #_sourceLocation) throws -> CLIResult {
            let r = try runEcrm(args + ["--db", db, "--lang", lang])
            #expect(r.status == 0, "ecrm \(args.joined(separator: " ")) exited \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
            return r
        }
    }

    @Test func channelsTextAndJSON() throws {
        let shop = try Shop()
        try shop.ok(["import", "members", shop.dir + "/m.csv", "orders", shop.dir + "/o.csv"])
        // jd_al links to alice by phone; jd_b's phone has two members: a member of its own.
        #expect(try shop.ok(["import", "members", shop.dir + "/jdm.csv", "--channel", "jd"]).stdout.contains("1 identities linked"))
        try shop.ok(["import", "orders", shop.dir + "/jdo.csv", "--channel", "jd"])
        // bob's offline card by hand; the till's receipt then goes to bob.
        try shop.ok(["member", "link", "bob", "--channel", "offline", "--id", "VIP-7"])
        try shop.ok(["import", "orders", shop.dir + "/pos.csv", "--channel", "offline"])

        let json = try shop.ok(["channels", "--json"]).stdout
        let o = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], "\(json)")
        #expect(o["members"] as? Int == 4 && o["multiChannelMembers"] as? Int == 2 && o["openCandidates"] as? Int == 3, "\(json)")
        let links = try #require(o["linksLast30Days"] as? [String: Int])
        #expect(links == ["phone": 1, "manual": 1, "merge": 0, "total": 2])
        let rows = try #require(o["channels"] as? [[String: Any]])
        #expect(rows.map { "\($0["channel"]!) \($0["members"]!) \($0["linkedLast30Days"]!) \($0["paidOrders"]!) \($0["spend"]!)" }
                == ["taobao 3 0 2 1150.00", "jd 2 1 1 30.00", "offline 1 1 1 20.50"], "\(json)")
        #expect(o["paidOrders"] as? Int == 4 && o["spend"] as? String == "1200.50")
        #expect((o["since"] as? String)?.count == 10 && o["asOf"] as? String != nil)

        let en = try shop.ok(["channels"]).stdout
        #expect(en.contains(": 4 members, 2 in two or more channels (50.0%)"), "\(en)")
        #expect(en.contains("(phone 1, manual 1, merge 0)"), "\(en)")
        let lines = en.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("Taobao") && $0.contains(" 3 ") && $0.contains("75.0%") && $0.hasSuffix("¥1,150.00") }, "\(en)")
        #expect(lines.contains { $0.hasPrefix("JD ") && $0.contains("50.0%") && $0.hasSuffix("¥30.00") }, "\(en)")
        #expect(lines.contains { $0.hasPrefix("Offline") && $0.contains("25.0%") && $0.hasSuffix("¥20.50") }, "\(en)")
        #expect(lines.contains { $0.hasPrefix("total") && $0.hasSuffix("¥1,200.50") }, "\(en)")
        let zh = try shop.ok(["channels"], lang: "zh").stdout
        #expect(zh.contains("会员 4 人，跨两个及以上渠道 2 人（50.0%）") && zh.contains("手机号 1 · 手动 1 · 合并 0"), "\(zh)")
        #expect(zh.contains("淘宝") && zh.contains("京东") && zh.contains("门店") && zh.contains("合计"), "\(zh)")
    }

    @Test func aStoreWithoutOrdersAndAMissingStore() throws {
        let shop = try Shop()
        try shop.ok(["import", "members", shop.dir + "/m.csv"])
        let json = try shop.ok(["channels", "--json"]).stdout
        let o = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(o["members"] as? Int == 3 && o["spend"] as? String == "0.00")
        let missing = try runEcrm(["channels", "--db", shop.dir + "/none.sqlite", "--lang", "en"])
        #expect(missing.status != 0 && missing.stderrLines.count == 1, "\(missing.stderr)")
    }
}
