import Foundation
import Testing

/// Issue 19 items 2, 5, 6 through the real binary and the real console: the import report counts
/// links and candidates, `member link|unlink`, `member show` and search by any identity, the card's
/// identity list and its link form.
@Suite(.serialized) struct IdentityCLITests {
    final class Shop {
        let dir: String
        var db: String { dir + "/shop.sqlite" }

        init() throws {
            dir = NSTemporaryDirectory() + "ecrm-ident-cli-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try write("m.csv", "buyer_id,nick,name,phone\nalice,阿丽,李丽,13800000001\nbob,小波,王波,13800000002\nbob2,波波,王波,13800000002\n")
            try write("o.csv", "order_id,buyer_id,paid_at,amount\n1,alice,2026-06-01 10:00:00,100\n2,bob,2026-06-02 10:00:00,50\n")
            try write("jdm.csv", "buyer_id,nick,phone\njd_al,京东阿丽,+86 138 0000 0001\njd_b,京东波,13800000002\n")
            try write("jdo.csv", "order_id,buyer_id,paid_at,amount\nJ1,jd_al,2026-06-03 10:00:00,30\n")
        }

        deinit { try? FileManager.default.removeItem(atPath: dir) }

        func write(_ name: String, _ text: String) throws {
            try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/" + name))
        }

        func run(_ args: [String]) throws -> CLIResult { try runEcrm(args + ["--db", db, "--lang", "en"]) }

        @discardableResult
        func ok(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> CLIResult {
            let r = try run(args)
            #expect(r.status == 0, "ecrm \(args.joined(separator: " ")) exited \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
            return r
        }
    }

    @Test func importLinkUnlinkAndShowThroughTheCommandLine() throws {
        let shop = try Shop()
        let first = try shop.ok(["import", "members", shop.dir + "/m.csv", "orders", shop.dir + "/o.csv"]).stdout
        #expect(first.contains("1 duplicate candidates"), "\(first)")
        let jd = try shop.ok(["import", "members", shop.dir + "/jdm.csv", "--channel", "jd"]).stdout
        #expect(jd.contains("1 identities linked to existing members by phone") && jd.contains("2 duplicate candidates"), "\(jd)")
        #expect(try shop.ok(["import", "orders", shop.dir + "/jdo.csv", "--channel", "jd"]).stdout.contains("1 added"))
        // The card lists both identities with their orders and spend; found by the JD account.
        let card = try shop.ok(["member", "show", "jd_al"]).stdout
        #expect(card.contains("(alice)") && card.contains("taobao:alice *  1 笔  ¥100.00") && card.contains("jd:jd_al  1 笔  ¥30.00  (phone"), "\(card)")
        let json = try shop.ok(["member", "show", "alice", "--json"]).stdout
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let ids = try #require(obj["identities"] as? [[String: Any]])
        #expect(ids.map { "\($0["channel"]!):\($0["externalId"]!)" } == ["taobao:alice", "jd:jd_al"])
        // Link an offline card; search finds alice by it; a second link elsewhere is refused, naming alice.
        #expect(try shop.ok(["member", "link", "alice", "--channel", "offline", "--id", "VIP-0042"]).stdout == "linked offline:VIP-0042 to member alice\n")
        #expect(try shop.ok(["search", "VIP-0042"]).stdout.contains("alice"))
        let taken = try shop.run(["member", "link", "bob", "--channel", "offline", "--id", "VIP-0042"])
        #expect(taken.status == 1 && taken.stderrLines == ["ecrm: identity offline:VIP-0042 belongs to another member, alice: if they are one person, merge the two members (ecrm member merge)"])
        let missing = try shop.run(["member", "unlink", "bob", "--channel", "jd", "--id", "nobody"])
        #expect(missing.status == 1 && missing.stderrLines == ["ecrm: no identity jd:nobody in this store"])
        let badChannel = try shop.run(["member", "link", "bob", "--channel", "ebay", "--id", "x"])
        #expect(badChannel.status == 1 && badChannel.stderr.contains("unknown channel 'ebay'"))
        #expect(try shop.ok(["member", "unlink", "alice", "--channel", "offline", "--id", "VIP-0042"]).stdout == "unlinked offline:VIP-0042 from member alice\n")
        let audit = try shop.ok(["audit", "--json", "--limit", "20"]).stdout
        #expect(audit.contains("identity.link") && audit.contains("identity.unlink") && audit.contains("refused"))
    }

    @Test func theCardListsIdentitiesAndLinksOneFromItsForm() throws {
        let shop = try Shop()
        try shop.ok(["import", "members", shop.dir + "/m.csv", "orders", shop.dir + "/o.csv"])
        try shop.ok(["import", "members", shop.dir + "/jdm.csv", "--channel", "jd"])
        let t = try Tmux(consoleCommand(shop.db))
        try t.waitFor(text: "累计消费")
        try t.paste("jd_al")
        let card = try t.waitFor(text: "最近订单")
        #expect(card.contains("身份 (2)") && card.contains("jd_al") && card.contains("手机号关联"), "\(card)")
        try t.keys("L")
        try t.waitFor(text: "关联身份")
        try t.keys("Enter")          // channel: offline, as filled in
        try t.type("VIP-7")
        try t.keys("Enter")
        try t.waitFor(text: "已关联 offline:VIP-7")
        let linked = try t.waitFor(text: "身份 (3)")
        #expect(linked.contains("身份 (3)") && linked.contains("offline"), "\(linked)")
        // The form refuses another member's identity in its own line and changes nothing.
        try t.keys("L")
        try t.waitFor(text: "关联身份")
        try t.keys("C-u")
        try t.type("taobao")
        try t.keys("Enter")
        try t.type("bob")
        try t.keys("Enter")
        try t.waitFor(text: "属于另一位会员 bob")
        try t.keys("Escape")
        let after = try shop.ok(["member", "show", "alice"]).stdout
        #expect(after.contains("offline:VIP-7") && !after.contains("taobao:bob"), "\(after)")
    }

    @Test func channelsExportAndTheConsolesChannelFilterAndView() throws {
        let shop = try Shop()
        try shop.ok(["import", "members", shop.dir + "/m.csv", "orders", shop.dir + "/o.csv"])
        try shop.ok(["import", "members", shop.dir + "/jdm.csv", "--channel", "jd"])
        try shop.ok(["import", "orders", shop.dir + "/jdo.csv", "--channel", "jd"])
        let text = try shop.ok(["channels"]).stdout
        #expect(text.contains("Taobao") && text.contains("JD") && text.contains("4 members, 1 in two or more channels (25.0%)")
                && text.contains(": 1 (phone 1, manual 0, merge 0)") && text.contains("Open duplicate candidates: 3 pairs"), "\(text)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try shop.ok(["channels", "--json"]).stdout.utf8)) as? [String: Any])
        let lines = try #require(json["channels"] as? [[String: Any]])
        #expect(lines.map { "\($0["channel"]!) \($0["members"]!) \($0["spend"]!)" } == ["taobao 3 150.00", "jd 2 30.00"])   // Money.yuanString
        // Export: channels at the end; --channel jd keeps alice (linked) and jd_b.
        let out = shop.dir + "/jd.csv"
        #expect(try shop.ok(["export", out, "--channel", "jd"]).stdout == "exported 2 members to \(out)\n")
        let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(rows[0].hasSuffix(",tags,channels") && rows.dropFirst().map { String($0.prefix { $0 != "," }) } == ["alice", "jd_b"] && rows[1].hasSuffix(",taobao|jd"), "\(rows)")
        #expect(try shop.run(["export", out, "--channel", "ebay"]).stderr.contains("unknown channel 'ebay'"))
        // The console: `c` narrows the member list to the next channel, `v` opens the Channels view.
        let t = try Tmux(consoleCommand(shop.db))
        try t.waitFor(text: "累计消费")
        try t.keys("c")
        try t.waitFor(text: "渠道：taobao")
        try t.keys("c")
        let jdList = try t.waitFor(text: "渠道：jd")
        #expect(jdList.contains("阿丽") && jdList.contains("京东波") && !jdList.contains("小波"), "\(jdList)")
        try t.keys("c")
        try t.waitFor(text: "渠道：全部渠道")
        try t.keys("v")
        try t.waitFor(text: "渠道概览")
        let view = try t.waitFor(text: "¥150.00")
        #expect(view.contains("跨两个及以上渠道 1 人"), "\(view)")
        try t.keys("j", "Enter")
        try t.waitFor(text: "京东波")
    }
}
