import Foundation
import Testing
import TerminalKit
@testable import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// The member card reads its member once when it opens (Enter on a list), on reload and when it
/// comes back on screen: the change-feed subscription's first value, taken before the first frame
/// (PaneWatch.startAndLoad), not a read of its own followed by its watcher's first read.
@Suite struct CardLoadOnceTests {
    func settle(_ h: Harness) { PaneLoadOnceTests().settle(h) }

    @Test func theCardReadsOnceWhenItOpensOnReloadAndOnReturn() throws {
        let store = try makeDemoStore()
        let h = Harness(store: store)
        _ = h.screen()
        settle(h)

        var card: MemberCardView?
        let opening = h.readsAfterFrame(store) {
            h.keys("Enter")
            card = h.app.topView as? MemberCardView
            // The first frame already shows the member (the golden screens rely on it).
            #expect(card?.detail != nil)
        }
        #expect(opening == 1, "opening a card read \(opening) times")
        let shown = try #require(card)
        let id = shown.memberId
        #expect(shown.detail?.summary.id == id)

        let reload = h.readsAfterFrame(store) { h.keys("C-r") }
        #expect(reload == 1, "a reload of the card read \(reload) times")
        #expect(shown.detail?.summary.id == id)

        // Away on the Tags pane, the member gets a tag; back on the card, one read brings it.
        h.keys("3")
        _ = h.screen()
        settle(h)
        try MemberActions.addTag(store, memberId: id, tag: "离开时加的")
        settle(h)
        var back = 0
        back = h.readsAfterFrame(store) {
            h.keys("1")
            #expect(h.app.topView === shown)
            #expect(shown.detail?.tags.contains("离开时加的") == true, "the first frame back shows the new tag")
        }
        #expect(back == 1, "back on the card: \(back) reads")
        h.app.quit()
    }

    /// n on a search result's card steps to the next match: one read for the new member.
    @Test func steppingToTheNextMatchReadsOnce() throws {
        let store = try makeDemoStore()
        let h = Harness(store: store)
        _ = h.screen()
        settle(h)
        h.type("张")
        #expect(h.pump { (h.app.topView as? MemberListView)?.isSearchResult == true && !h.app.search.pending })
        #expect(((h.app.topView as? MemberListView)?.count ?? 0) > 1)
        _ = h.screen()
        settle(h)
        h.keys("Enter")
        if !(h.app.topView is MemberCardView) { h.keys("Enter") }
        let card = try #require(h.app.topView as? MemberCardView)
        _ = h.screen()
        settle(h)
        let first = card.memberId
        let step = h.readsAfterFrame(store) {
            h.keys("n")
            #expect(card.memberId != first)
            #expect(card.detail?.summary.id == card.memberId)
        }
        #expect(step == 1, "n on a card read \(step) times")
        h.app.quit()
    }
}
