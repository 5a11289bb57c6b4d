import Foundation
import Testing
import TerminalKit
import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// Golden screens of the Tiers pane on the CSV-imported GoldenFixture (live v1: 9.8/9.5/9.2/8.8折,
/// floor 8.5折; as-of pinned): the pane, edit mode with a violation beside its field while typing,
/// the publish preview and the typed confirmation.
@Suite(.serialized) struct TierPaneGoldenTests {
    let h: Harness
    init() throws { h = Harness(store: try GoldenFixture.make()) }

    func openPane(_ w: Int = 80, _ height: Int = 24) {
        h.keys("4")
        #expect(h.pump { h.screen(w, height).text().contains("黑名单") })
    }

    @Test func pane80x24() {
        openPane()
        expectGolden(h.screen(), "tiers-80x24", TierGoldens.pane80)
    }

    @Test func pane120x40() {
        openPane(120, 40)
        expectGolden(h.screen(120, 40), "tiers-120x40", TierGoldens.pane120)
    }

    /// Level 4's discount typed as 900 (live 880): "折扣 ≤ 880" appears beside it before Enter.
    @Test func editModeShowsTheViolationWhileTyping() throws {
        openPane()
        h.keys("e", "j", "j", "j", "Tab", "Tab", "Tab", "Enter", "C-u")
        h.type("900")
        let s = h.screen()
        #expect(s.text().contains("折扣 ≤ 880"))
        expectGolden(s, "tiers-edit-violation-80x24", TierGoldens.editViolation80)
        // Nothing is saved until Enter.
        #expect(try TierService.draft(h.store).ladder[4].discount == 880)
    }

    @Test func previewShowsDiffAndImpact() throws {
        try TierService.editDraft(h.store) { $0[4].discount = 860; $0[3].threshold = 200_000 }
        openPane()
        h.keys("p")
        #expect(h.pump { !h.screen().text().contains("计算中") })
        expectGolden(h.screen(), "tiers-preview-80x24", TierGoldens.preview80)
    }

    @Test func typedConfirmationDialog() throws {
        try TierService.editDraft(h.store) { $0[4].discount = 860 }
        openPane()
        h.keys("p")
        #expect(h.pump { !h.screen().text().contains("计算中") })
        h.keys("P")
        h.type("pub")
        expectGolden(h.screen(), "tiers-confirm-80x24", TierGoldens.confirm80)
    }
}
