import Foundation
import Testing
import TerminalKit
import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// Review mend: the tier history list words its discounts as every other screen does (the domain's
/// discountShort: "9.8折" in Chinese, "98%" of the price in English), not as bare per-mille.
@Suite struct TierHistoryDiscountWordsTests {
    func historyRow(_ language: MessageLanguage) throws -> String {
        let h = Harness(store: try GoldenFixture.make(), language: language)
        h.keys("4", "v")
        let screen = h.screen(100, 24).text()
        return try #require(screen.split(separator: "\n").first { $0.contains("v1") }.map(String.init), "\(screen)")
    }

    @Test func chineseAndEnglish() throws {
        let zh = try historyRow(.zh)
        #expect(zh.contains("9.8折 9.5折 9.2折 8.8折"), "\(zh)")
        let en = try historyRow(.en)
        #expect(en.contains("98% 95% 92% 88%"), "\(en)")
        #expect(!en.contains("折") && !en.contains("980"), "\(en)")
    }
}
