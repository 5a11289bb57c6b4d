import Foundation
import Testing
import TerminalKit
import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// Issue 17, 8: the tier editor's problems read as sentences, and Tab follows the columns.
@Suite(.serialized) struct TierEditorSentenceTests {
    @Test func tabVisitsEveryFieldInColumnOrderAndDisablingReadsAsASentence() throws {
        let h = Harness(store: try GoldenFixture.make())
        h.keys("4")
        #expect(h.pump { h.screen().text().contains("黑名单") })
        // Level 3: the cursor starts on the name (the first column); Tab goes to 启用, Enter toggles it.
        h.keys("e", "j", "j", "Tab", "Enter")
        #expect(h.app.overlay == nil, "Enter on 启用 toggles, it opens no input")
        #expect(h.pump { h.app.toast != nil })
        let ladder = try TierService.draft(h.store).ladder
        #expect(!ladder[3].enabled)
        let text = h.screen(120, 40).text()   // the problems column is wide enough for the sentence
        #expect(!text.contains("启用 = 启用") && !text.contains("启用 = 停用"), "\(text)")
        #expect(text.contains("\(ladder[3].name) 已停用，但其上一级仍启用"), "\(text)")
        // At 80 columns a problem that does not fit its column is not cut: the sentences are below.
        let narrow = h.screen().text()
        #expect(!narrow.split(separator: "\n").contains { $0.contains("已停用") && $0.hasSuffix("…") }, "\(narrow)")
    }
}
