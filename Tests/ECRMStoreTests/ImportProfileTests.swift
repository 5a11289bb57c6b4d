import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// Issue 18 part 5: import profiles from the config file, tried on a JD-style export in GBK.
@Suite struct ImportProfileTests {
    static let config = """
        [profiles.jd]
        channel = "jd"
        time_format = "yyyy/MM/dd HH:mm:ss"
        order_id = "订单号"
        buyer_id = "下单帐号"
        paid_at = "付款时间"
        amount = "应付金额"
        status = "订单状态"
        items = "订购数量"
        [profiles.jd.status_words]
        "等待出库" = "paid"
        "完成" = "paid"
        "已取消" = "closed"
        """

    @Test(arguments: [false, true])
    func aJDExportInGBKImportsThroughItsProfile(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        let jd = try #require(try ImportProfile.parseAll(Self.config, path: "config.toml")["jd"])
        let path = try t.gbkFile("jd.csv", [
            ["订单号", "商品名称", "订购数量", "下单帐号", "应付金额", "付款时间", "订单状态"],
            ["281234567890", "茶叶", "2", "jd_张三", "88.00", "2026/01/05 10:00:00", "完成"],
            ["281234567891", "茶杯", "1", "jd_李四", "12.50", "2026/01/06 11:30:00", "等待出库"],
            ["281234567892", "茶壶", "1", "jd_李四", "30.00", "2026/01/07 09:00:00", "已取消"],
            ["281234567893", "茶壶", "1", "jd_王五", "30.00", "2026-13-07", "完成"],
        ])
        var importer = t.importer(bulk: bulk)
        importer.today = Day(year: 2026, month: 2, day: 1)!
        let r = try importer.run([(.orders, path)], profile: jd)[0]
        #expect(r.encoding == "GB18030" && r.channel == "jd" && r.format == "profile")
        #expect(r.added == 3 && r.problems.map(\.line) == [5])
        let rows = try t.store.pool.read {
            try String.fetchAll($0, sql: "SELECT o.channel || '|' || o.order_no || '|' || m.buyer_id || '|' || o.paid_at || '|' || o.amount || '|' || o.status || '|' || o.items FROM orders o JOIN member m ON m.id = o.member_id ORDER BY o.order_no")
        }
        #expect(rows == ["jd|281234567890|jd_张三|2026-01-05 10:00:00|8800|paid|2",
                         "jd|281234567891|jd_李四|2026-01-06 11:30:00|1250|paid|1",
                         "jd|281234567892|jd_李四|2026-01-07 09:00:00|3000|closed|1"])
        #expect(try importer.run([(.orders, path)], profile: jd)[0].skipped == 3)
    }

    @Test func aBadProfileIsRefusedInOneLineThatSaysWhich() throws {
        func refusal(_ text: String) -> String {
            do { _ = try ImportProfile.parseAll(text, path: "c.toml"); return "" } catch { return "\(error)" }
        }
        let base = "[profiles.x]\nchannel = \"jd\"\norder_id = \"a\"\nbuyer_id = \"b\"\npaid_at = \"c\"\namount = \"d\"\n"
        #expect(refusal(base.replacingOccurrences(of: "\"jd\"", with: "\"jingdong\"")).contains("[profiles.x] names an unknown channel 'jingdong'"))
        #expect(refusal(base + "items = \"a\"\n").contains("[profiles.x] maps header 'a' to two fields"))
        #expect(refusal(base + "colour = \"z\"\n").contains("unknown field 'colour'"))
        #expect(refusal(base.replacingOccurrences(of: "amount = \"d\"\n", with: "")).contains("needs amount"))
        for text in [base + "items = \"a\"\n", base + "colour = \"z\"\n"] { #expect(!refusal(text).contains("\n")) }
        // A header the file lacks is refused when the file is read, naming it.
        let t = try TempStore(); defer { t.cleanup() }
        let p = try #require(try ImportProfile.parseAll(base, path: "c.toml")["x"])
        let f = try t.file("o.csv", "a,b,c\n1,2,3\n")
        #expect(throws: StoreError.invalid("profile x: \(f) has no header 'd' (for amount)")) { try Importer(store: t.store).run([(.orders, f)], profile: p) }
        #expect(try t.store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM orders") } == 0)
    }
}
