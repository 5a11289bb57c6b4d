import Foundation
import Testing

/// `ecrm import` with a channel's name before its pairs loads several channels' files in one
/// import: `ecrm import jd members … orders … offline orders …`. Each file's report names its
/// channel; a JD buyer links to a Taobao member by phone and the till's orders are offline orders.
/// A channel's name with no pair after it is one line in the operator's language, nothing stored.
@Suite(.serialized) struct ImportChannelsTogetherCLITests {
    @Test func channelsBeforeTheirPairs() throws {
        let shop = try ChannelsCLITests.Shop()
        try shop.ok(["import", "members", shop.dir + "/m.csv", "orders", shop.dir + "/o.csv"])
        let r = try shop.ok(["import", "jd", "members", shop.dir + "/jdm.csv", "orders", shop.dir + "/jdo.csv",
                             "offline", "orders", shop.dir + "/pos.csv"])
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(r.stdout)")
        #expect(lines.first?.contains("jd") == true && lines.first?.contains("1 identities linked") == true, "\(r.stdout)")
        #expect(lines.last?.contains("offline") == true, "\(r.stdout)")
        let json = try shop.ok(["channels", "--json"]).stdout
        let o = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], "\(json)")
        let rows = try #require(o["channels"] as? [[String: Any]])
        #expect(rows.map { "\($0["channel"]!) \($0["paidOrders"]!) \($0["spend"]!)" } == ["taobao 2 1150.00", "jd 1 30.00", "offline 1 20.50"], "\(json)")
    }

    @Test func aChannelWithNoFileIsRefused() throws {
        let shop = try ChannelsCLITests.Shop()
        for (lang, line) in [("en", "ecrm: channel `offline` needs `members FILE` or `orders FILE` after it"),
                             ("zh", "ecrm: 渠道 `offline` 后面要跟 `members 文件` 或 `orders 文件`")] {
            for args in [["import", "jd", "members", shop.dir + "/jdm.csv", "offline"], ["import", "offline", "jd", "orders", shop.dir + "/jdo.csv"]] {
                let r = try runEcrm(args + ["--db", shop.db, "--lang", lang])
                #expect(r.status == 1 && r.stderrLines == [line], "\(args) \(lang): \(r.stderr)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: shop.db))
    }
}
