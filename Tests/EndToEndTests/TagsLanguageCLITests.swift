import Foundation
import Testing

/// What `ecrm tags …` reports is in the operator's language (`--lang`, else LANG), with member
/// counts grouped by thousands, on a 4,000-member demo shop (over 1,000 of them in tier 1).
@Suite struct TagsLanguageCLITests {
    @Test func everyTagsLineInChineseAndEnglishWithGroupedCounts() throws {
        let shop = try DemoCLIShop(prefix: "ecrm-tags-lang-", members: 4_000, seed: 7)
        func out(_ args: [String], _ lang: String) throws -> String { try shop.expectOK(args + ["--lang", lang]).stdout }
        func hasChinese(_ s: String) -> Bool { s.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } }

        #expect(try out(["tags", "create", "直播"], "zh") == "已创建标签 直播\n")
        #expect(try out(["tags", "create", "老客"], "en") == "created tag 老客\n")
        let buyer = try #require((try shop.json(["search", "tb", "--limit", "1"]) as? [[String: Any]])?.first?["buyerId"] as? String)
        #expect(try out(["tags", "add", "直播", buyer], "zh") == "已给 \(buyer) 打上 直播\n")
        #expect(try out(["tags", "add", "直播", buyer], "en") == "\(buyer) already has 直播\n")

        // Tier 1, over 1,000 members: grouped in both languages.
        let zh = try out(["tags", "apply", "全店", "--tier", "1", "--yes", "--create"], "zh")
        let zhLines = zh.split(separator: "\n").map(String.init)
        #expect(zhLines.count == 2, "\(zh)")
        for line in zhLines { #expect(hasChinese(line.replacingOccurrences(of: "全店", with: "")), "\(line)") }
        let tagged = try #require(zhLines.last)
        #expect(tagged.hasPrefix("已为 ") && tagged.contains(" 位会员打上 全店（操作 #"), "\(tagged)")
        let undo = try out(["tags", "undo"], "en")
        #expect(undo.hasPrefix("undid #") && undo.contains(": removed 全店 from "), "\(undo)")
        let count = try #require(tagged.split(separator: " ").dropFirst().first.map(String.init))
        #expect(undo.contains("from \(count) members"), "zh said \(count), en said: \(undo)")
        let n = try #require(Int(count.replacingOccurrences(of: ",", with: "")), "\(count)")
        #expect(n >= 1_000 && count.contains(","), "\(count)")

        let members = try out(["tags", "members", "直播"], "zh")
        #expect(members.hasPrefix("1 位会员有全部标签 直播\n"), "\(members)")
        #expect(try out(["tags", "remove", "直播", buyer], "zh") == "已去掉 \(buyer) 的 直播\n")
        #expect(try out(["tags", "remove", "直播", buyer], "en") == "\(buyer) does not have 直播\n")
        #expect(try out(["tags", "delete", "直播"], "zh").hasPrefix("已删除 直播（0 位会员有此标签"))
        #expect(try out(["tags", "restore", "直播"], "en") == "restored 直播 on 0 members\n")
    }
}
