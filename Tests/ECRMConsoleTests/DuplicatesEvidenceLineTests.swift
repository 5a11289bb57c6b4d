import Foundation
import Testing
import TerminalKit
@testable import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// Review mend: the pair's evidence line is punctuated in the screen's language (an English screen
/// had a full-width "：" after "Evidence").
@Suite struct DuplicatesEvidenceLineTests {
    @Test func theEvidenceLineFollowsTheLanguage() throws {
        for language in MessageLanguage.allCases {
            let h = Harness(store: try DuplicatesPaneTests().shop(), language: language)
            _ = try DuplicatesPaneTests().openPairs(h)
            h.keys("Enter")
            let pair = h.screen(100, 24).text()
            if language == .en {
                #expect(pair.contains("Evidence: same phone 138****0001"), "\(pair)")
                #expect(!pair.contains("："), "\(pair)")
            } else {
                #expect(pair.contains("依据：同一手机号 138****0001"), "\(pair)")
            }
        }
    }
}
