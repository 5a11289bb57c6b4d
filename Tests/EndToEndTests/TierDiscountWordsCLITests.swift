import Foundation
import Testing

/// Review mend: `tiers show` and `tiers draft` word discounts with the domain's discountText in the
/// operator's language ("9.5折" / "95% of price") beside the per-mille, not Chinese in both.
@Suite struct TierDiscountWordsCLITests {
    @Test func showAndDraftInBothLanguages() throws {
        let dir = NSTemporaryDirectory() + "ecrm-tier-words-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/shop.sqlite"
        try Data("order_id,buyer_id,paid_at,amount,status\n1,b1,2026-01-05 10:00:00,150,paid\n".utf8).write(to: URL(fileURLWithPath: dir + "/o.csv"))
        #expect(try runEcrm(["import", "orders", dir + "/o.csv", "--db", db]).status == 0)
        #expect(try runEcrm(["tiers", "draft", "--level", "1", "--enable", "--threshold", "100", "--discount", "950", "--db", db]).status == 0)
        #expect(try runEcrm(["tiers", "publish", "--yes", "--db", db]).status == 0)
        for command in [["tiers", "show"], ["tiers", "draft"]] {
            let zh = try runEcrm(command + ["--db", db, "--lang", "zh"]).stdout
            let en = try runEcrm(command + ["--db", db, "--lang", "en"]).stdout
            let zhRow = zh.split(separator: "\n").first { $0.hasPrefix("1 ") }.map(String.init) ?? zh
            let enRow = en.split(separator: "\n").first { $0.hasPrefix("1 ") }.map(String.init) ?? en
            #expect(zhRow.contains("9.5折") && zhRow.contains("950‰"), "\(command): \(zhRow)")
            #expect(enRow.contains("95% of price") && enRow.contains("950‰") && !enRow.contains("折"), "\(command): \(enRow)")
        }
    }
}
