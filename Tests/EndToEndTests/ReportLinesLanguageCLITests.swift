import Foundation
import Testing

/// The demo, export, birthdays, search and `tiers show` report lines follow `--lang` (else LANG),
/// counts grouped by thousands.
@Suite struct ReportLinesLanguageCLITests {
    @Test func reportLinesInChineseAndEnglish() throws {
        let dir = NSTemporaryDirectory() + "ecrm-report-lang-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/shop.sqlite"
        func out(_ args: [String], _ lang: String) throws -> String {
            let r = try runEcrm(args + ["--db", db, "--lang", lang])
            #expect(r.status == 0, "ecrm \(args.joined(separator: " ")): \(r.stderr)")
            return r.stdout
        }
        let demo = try out(["demo", "--members", "2000", "--seed", "5", "--end", "2026-06-30"], "zh")
        #expect(demo.hasPrefix("演示店铺 \(db)：2,000 位会员，10,000 笔订单，"), "\(demo)")

        let file = dir + "/all.csv"
        #expect(try out(["export", file], "zh") == "已导出 2,000 位会员到 \(file)\n")
        #expect(try out(["export", file], "en") == "exported 2,000 members to \(file)\n")
        #expect(try out(["search", "无此会员zz"], "zh") == "没有会员符合“无此会员zz”\n")
        #expect(try out(["search", "无此会员zz"], "en") == "no member matches '无此会员zz'\n")
        #expect(try out(["birthdays", "--from", "2026-06-30", "--days", "7"], "zh").hasPrefix("自 2026-06-30 起 7 天内有 "))

        let zh = try out(["tiers", "show"], "zh")
        #expect(zh.hasPrefix("升级依据：累计消费"), "\(zh)")
        #expect(zh.contains(" 位会员"), "\(zh)")
        let en = try out(["tiers", "show"], "en")
        #expect(en.hasPrefix("metric: cumulative paid "), "\(en)")
        #expect(en.range(of: #"\d{1,3}(,\d{3})+ members"#, options: .regularExpression) != nil, "a tier of over 1,000 members, grouped: \(en)")
    }
}
