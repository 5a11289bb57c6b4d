import Foundation
import Testing

/// What the campaign and operators commands report is in the operator's language (`--lang`, else
/// LANG), counts grouped by thousands.
@Suite struct CampaignOperatorLanguageCLITests {
    @Test func campaignAndOperatorLinesInChineseAndEnglish() throws {
        let shop = try DemoCLIShop(prefix: "ecrm-result-lang-", members: 4_000, seed: 7)
        func out(_ args: [String], _ lang: String) throws -> String { try shop.expectOK(args + ["--lang", lang]).stdout }

        #expect(try out(["campaign", "list"], "zh") == "还没有活动（新建：ecrm campaign create NAME --segment K）\n")
        #expect(try out(["campaign", "list"], "en") == "no campaigns yet (create one: ecrm campaign create NAME --segment K)\n")
        // Tier 1 of this shop has over 1,000 members: the count is grouped.
        let made = try out(["campaign", "create", "七月回访", "--tier", "1", "--seed", "3", "--start", "2026-06-01"], "zh")
        let first = try #require(made.split(separator: "\n").first.map(String.init))
        #expect(first.hasPrefix("已创建活动 七月回访（#1）："), "\(first)")
        #expect(first.range(of: #"：\d{1,3}(,\d{3})+ 位会员（"#, options: .regularExpression) != nil, "\(first)")
        let file = shop.dir + "/send.csv"
        let exported = try out(["campaign", "export", "七月回访", file], "zh")
        #expect(exported.hasPrefix("已将 七月回访 的 ") && exported.hasSuffix(" 位实验组会员导出到 \(file)\n"), "\(exported)")
        #expect(try out(["campaign", "close", "七月回访"], "en") == "closed campaign 七月回访 (#1)\n")

        #expect(try out(["operators", "add", "clerk"], "zh") == "clerk 现为 staff\n")
        #expect(try out(["operators", "list"], "zh").contains("clerk\tstaff\t"))
        #expect(try out(["operators", "list"], "zh").contains(" 由 root 添加"))
        #expect(try out(["operators", "remove", "clerk"], "zh") == "已移除 clerk\n")
        #expect(try out(["operators", "add", "clerk"], "en") == "clerk is now staff\n")
    }
}
