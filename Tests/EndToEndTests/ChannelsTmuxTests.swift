import Foundation
import Testing

/// Issue 19 item 7 in a real pty at 80x24: `v` on the Members pane opens the channels view with
/// every figure of the ChannelsCLITests shop, the whole view fits, Enter on a channel lists its
/// members, `q` goes back, and `:channels` opens it from another pane; `:lang en` words it in English.
@Suite(.serialized) struct ChannelsTmuxTests {
    @Test func channelsViewFromTheMembersPane() throws {
        let shop = try ChannelsCLITests.Shop()
        try shop.ok(["import", "members", shop.dir + "/m.csv", "orders", shop.dir + "/o.csv"])
        try shop.ok(["import", "members", shop.dir + "/jdm.csv", "--channel", "jd"])
        try shop.ok(["import", "orders", shop.dir + "/jdo.csv", "--channel", "jd"])
        try shop.ok(["member", "link", "bob", "--channel", "offline", "--id", "VIP-7"])
        try shop.ok(["import", "orders", shop.dir + "/pos.csv", "--channel", "offline"])

        let t = try Tmux(consoleCommand(shop.db), width: 80, height: 24)
        try t.waitFor(text: "累计消费")
        try t.keys("v")
        try t.waitFor("the channels view", timeout: 30) { $0.contains("渠道概览") && $0.contains("合计") }
        let screen = try t.settledCapture()
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(screen.contains("会员 4 人 · 跨两个及以上渠道 2 人（50.0%）"), "\(screen)")
        #expect(screen.contains("近30天关联 2 个：手机号 1 · 手动 1 · 合并 0"), "\(screen)")
        #expect(screen.contains("待处理疑似重复 3 对"), "\(screen)")
        func row(_ name: String) -> [String] {
            (lines.first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(name + " ") } ?? "").split(separator: " ").map(String.init)
        }
        #expect(row("渠道") == ["渠道", "会员数", "占比", "近30天关联", "已付订单", "消费额"], "\(screen)")
        #expect(row(">") == [">", "淘宝", "3", "75.0%", "0", "2", "¥1,150.00"], "\(screen)")   // the member list's "> " marker
        #expect(row("京东") == ["京东", "2", "50.0%", "1", "1", "¥30.00"], "\(screen)")
        #expect(row("门店") == ["门店", "1", "25.0%", "1", "1", "¥20.50"], "\(screen)")
        #expect(row("合计") == ["合计", "4", "2", "4", "¥1,200.50"], "\(screen)")
        // Nothing cut at 80 columns: the note ends the view, above the status and hint lines.
        #expect(screen.contains("消费额只算已付订单。"), "\(screen)")
        #expect(lines.allSatisfy { columns($0) <= 80 })
        // j, Enter: JD's members (alice by her JD account, and jd_b), then back to the view, then the list.
        try t.keys("j", "Enter")
        let jd = try t.waitFor("JD's members") { $0.contains("累计消费") && $0.contains("京东波") }
        #expect(jd.contains("阿丽") && !jd.contains("小波"), "\(jd)")
        try t.keys("q")
        try t.waitFor(text: "渠道概览")
        try t.keys("q")
        try t.waitFor("the member list again") { $0.contains("累计消费") && !$0.contains("渠道概览") }
        // From the Segments pane, `:channels` shows it over the Members pane; English labels too.
        try t.keys("2")
        try t.waitFor(text: "R×F人数")
        try t.keys(":")
        try t.type("lang en")
        try t.keys("Enter")
        try t.keys(":")
        try t.type("channels")
        try t.keys("Enter")
        let en = try t.waitFor("the English channels view") { $0.contains("Channels · as of") && $0.contains("Total") }
        #expect(en.contains("4 members · 2 in two or more channels (50.0%)"), "\(en)")
        #expect(en.contains("Links in 30 days: 2 (phone 1 · manual 1 · merge 0"), "\(en)")
        #expect(en.contains("Offline") && en.contains("¥1,200.50"), "\(en)")
        try t.keys("Q")
    }
}
