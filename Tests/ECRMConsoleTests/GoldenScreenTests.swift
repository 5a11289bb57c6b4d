import Testing
import TerminalKit
import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// Golden screens at 80x24 and 120x40 on a deterministic Chinese shop imported from CSV
/// (GoldenFixture; as-of pinned to 2026-11-20). A failing golden writes the actual screen
/// to /tmp/ecrm-goldens/ for review.
@Suite(.serialized) struct GoldenScreenTests {
    let h: Harness
    init() throws { h = Harness(store: try GoldenFixture.make()) }

    @Test func membersList80x24() {
        h.keys("j", "j")
        expectGolden(h.screen(), "members-80x24", Goldens.members80)
    }

    @Test func membersList120x40() {
        expectGolden(h.screen(120, 40), "members-120x40", Goldens.members120)
    }

    /// Member 1 has tags, two notes and a birthday four days after as-of.
    @Test func memberCard80x24() {
        _ = h.app.topView   // the Members pane root first, so the card sits on top of it
        h.app.push(MemberCardView(app: h.app, memberId: 1, list: nil))
        expectGolden(h.screen(), "card-80x24", Goldens.card80)
    }

    @Test func memberCard120x40() {
        _ = h.app.topView   // the Members pane root first, so the card sits on top of it
        h.app.push(MemberCardView(app: h.app, memberId: 1, list: nil))
        expectGolden(h.screen(120, 40), "card-120x40", Goldens.card120)
    }

    @Test func segmentsPane80x24() {
        h.keys("2")
        #expect(h.pump { !h.screen().text().contains("加载中") })
        expectGolden(h.screen(), "segments-80x24", Goldens.segments80)
    }

    @Test func helpOverlay80x24() {
        h.keys("?")
        expectGolden(h.screen(), "help-80x24", Goldens.help80)
    }

    @Test func tiersPaneForStaff80x24() throws {
        let staff = Harness(store: h.store, role: .staff)
        staff.keys("4")
        #expect(staff.pump { staff.screen().text().contains("已发布") })
        staff.keys("e")
        expectGolden(staff.screen(), "tiers-staff-80x24", Goldens.tiersStaff80)
    }
}
