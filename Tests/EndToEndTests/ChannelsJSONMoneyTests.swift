import Foundation
import Testing

/// Review mend: `ecrm channels --json` writes money as the other --json outputs do
/// (Money.yuanString: a string with exactly two decimals), not as a binary floating-point number.
@Suite(.serialized) struct ChannelsJSONMoneyTests {
    @Test func spendIsYuanWithTwoDecimals() throws {
        let shop = try ChannelsCLITests.Shop()
        try shop.ok(["import", "members", shop.dir + "/m.csv", "orders", shop.dir + "/o.csv"])
        try shop.ok(["import", "orders", shop.dir + "/pos.csv", "--channel", "offline"])
        let json = try shop.ok(["channels", "--json"]).stdout
        let o = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], "\(json)")
        #expect(o["spend"] as? String == "1170.50", "\(json)")
        let rows = try #require(o["channels"] as? [[String: Any]])
        #expect(rows.map { "\($0["channel"]!) \($0["spend"]!)" } == ["taobao 1150.00", "offline 20.50"], "\(json)")
        #expect(json.contains("\"spend\" : \"20.50\""), "\(json)")
    }

    @Test func noOrdersIsZeroYuan() throws {
        let shop = try ChannelsCLITests.Shop()
        try shop.ok(["import", "members", shop.dir + "/m.csv"])
        let o = try #require(try JSONSerialization.jsonObject(with: Data(try shop.ok(["channels", "--json"]).stdout.utf8)) as? [String: Any])
        #expect(o["spend"] as? String == "0.00")
    }
}
