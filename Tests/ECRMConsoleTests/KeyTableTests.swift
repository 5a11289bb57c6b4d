import Foundation
import Testing
import TerminalKit
import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// Issue 17, 9: every member list has the same keys; help lists a key once per screen; `/`
/// searches from any pane; the card's bar shows n/N.
@Suite(.serialized) struct KeyTableTests {
    func segments(_ h: Harness) throws -> SegmentsView {
        h.keys("2")
        let view = try #require(h.app.topView as? SegmentsView)
        h.pump { view.settings != nil }
        return view
    }

    @Test func helpListsEachKeyOnceForTheScreen() {
        let keys = KeyTable.make(labels: .zh, role: .owner)
        let entries = keys.helpSections(contexts: ["tags", "list", "scroll"]).flatMap(\.entries)
        let space = entries.filter { $0.keys.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.contains("Space") }
        #expect(space.count == 1, "\(space.map(\.description))")
        #expect(space.first?.description.contains("标记") == true)
    }

    /// `/` searches members from the Tags pane; in the Audit pane it filters the log (issue 17).
    @Test func slashSearchesFromTagsAndFiltersTheAudit() throws {
        let h = Harness(store: try GoldenFixture.make())
        h.keys("3", "/")
        #expect(h.app.prompt?.kind == .search)
        h.keys("Esc", "5", "/")
        #expect(h.app.prompt == nil)
        guard case .form(let f)? = h.app.overlay else { Issue.record("no filter form"); return }
        #expect(f.title == Labels.zh.auditFilterTitle)
        h.keys("Esc")
    }

    @Test func theCardHintBarShowsNextAndPrevious() throws {
        let h = Harness(store: try GoldenFixture.make())
        h.app.handle(.paste("王"))
        #expect(h.pump { (h.app.topView as? MemberListView)?.isSearchResult == true && !h.app.search.pending })
        h.keys("Enter", "Enter")
        #expect(h.app.topView is MemberCardView)
        let bar = h.screen().line(23)
        #expect(bar.contains("n 下个") && bar.contains("N 上个"), "\(bar)")
    }

    @Test func theBirthdayListHasTheListKeys() throws {
        let h = Harness(store: try GoldenFixture.make())
        _ = try segments(h)
        h.keys("b")
        let view = try #require(h.app.topView as? BirthdaysView)
        h.pump(timeout: 2) { false }
        let keys = KeyTable.make(labels: .zh, role: .owner)
        for (c, action) in [("B", ConsoleAction.seg(.bulkTag)), ("x", .seg(.exportList)), ("/", .std(.search))] {
            if case .action(let a) = keys.resolve(.char(Character(c)), contexts: view.contexts) { #expect(a == action) } else { Issue.record("\(c) unbound") }
        }
        h.keys("x")
        if case .form = h.app.overlay {} else { Issue.record("x opens the export form") }
        h.keys("Esc", "/")
        #expect(h.app.prompt?.kind == .search)
    }
}
