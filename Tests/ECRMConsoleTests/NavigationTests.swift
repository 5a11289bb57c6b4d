import Foundation
import GRDB
import Testing
import TerminalKit
import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// Issue 17, 6: Esc/q go back exactly one step; quitting asks once; a question keeps the keys.
@Suite struct NavigationTests {
    func openSegmentList(_ h: Harness) throws -> MemberListView {
        h.keys("2")
        let view = try #require(h.app.topView as? SegmentsView)
        h.pump { view.settings != nil }
        h.keys("Enter")   // the first segment's members
        return try #require(h.app.topView as? MemberListView)
    }

    @Test func aSearchFromASegmentListGoesBackToThatList() throws {
        let h = Harness(store: try GoldenFixture.make())
        let segmentList = try openSegmentList(h)
        h.keys("/")
        h.type("王")
        #expect(h.pump { !h.app.search.pending && (h.app.topView as? MemberListView)?.isSearchResult == true })
        h.keys("Enter")   // leaves the prompt (several matches: the list stays)
        h.keys("q")
        #expect(h.app.paneIndex == 1)
        #expect(h.app.topView === segmentList)
    }

    @Test func qAtAPaneTopAsksOnceBeforeQuitting() throws {
        let h = Harness(store: try makeDemoStore())
        h.keys("q")
        #expect(!h.app.quitRequested)
        #expect(h.screen().line(23).contains("再按 q 退出"))
        h.keys("j", "q")   // another key in between: asks again
        #expect(!h.app.quitRequested)
        h.keys("q")
        #expect(h.app.quitRequested)
    }

    @Test func oneEscLeavesTheEdgesEditor() throws {
        let h = Harness(store: try GoldenFixture.make())
        h.keys("2")
        let view = try #require(h.app.topView as? SegmentsView)
        h.pump { view.settings != nil }
        h.keys("e")
        #expect(h.pump { if case .form = h.app.overlay { return true } else { return false } })
        h.keys("Esc")
        #expect(h.app.overlay == nil)
        #expect(h.app.topView === view)
    }

    @Test func aConfirmKeepsFocusUntilAnswered() throws {
        let h = Harness(store: try GoldenFixture.make())
        _ = try openSegmentList(h)
        h.keys("B")
        h.type("回头客")
        h.keys("Enter")
        #expect(h.app.topView is ConfirmView)
        h.keys("Tab")
        #expect(h.app.paneIndex == 1)
        #expect(h.app.topView is ConfirmView)
        h.keys("3")
        #expect(h.app.topView is ConfirmView)
        #expect(h.screen().line(23).contains("请先回答"))
        h.keys("Esc", "B")
        h.type("回头客")
        h.keys("Enter")
        let bar = h.screen().line(23)
        #expect(bar.contains("确认") && !bar.contains("切换") && !bar.contains("返回"), "only the answers are offered: \(bar)")
        h.keys("n")
        #expect(h.app.topView is MemberListView)
    }
}
