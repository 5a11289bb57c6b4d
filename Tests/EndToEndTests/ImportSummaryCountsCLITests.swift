import Foundation
import Testing

/// An import's summary line writes its counts as people read them, thousands grouped, in both languages.
@Suite struct ImportSummaryCountsCLITests {
    @Test func countsAreGroupedInZhAndEn() throws {
        let dir = NSTemporaryDirectory() + "ecrm-summary-counts-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var csv = "buyer_id,nick\n"
        for i in 0..<1_200 { csv += "b\(i),会员\(i)\n" }
        try Data(csv.utf8).write(to: URL(fileURLWithPath: dir + "/members.csv"))
        let zh = try runEcrm(["import", "members", dir + "/members.csv", "--db", dir + "/a.sqlite", "--lang", "zh"])
        #expect(zh.status == 0 && zh.stdout.contains("新增 1,200，更新 0"), "\(zh.stdout)\(zh.stderr)")
        let en = try runEcrm(["import", "members", dir + "/members.csv", "--db", dir + "/b.sqlite", "--lang", "en"])
        #expect(en.status == 0 && en.stdout.contains(": 1,200 added, 0 updated"), "\(en.stdout)\(en.stderr)")
    }
}
