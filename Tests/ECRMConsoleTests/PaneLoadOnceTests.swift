import Foundation
import Testing
import TerminalKit
@testable import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// A view that follows the change feed reads its figures once when it opens: the subscription's
/// first value is the load (PaneWatch), not a load of its own followed by that same read again.
/// Counted as read transactions on the store (Store.reads).
@Suite struct PaneLoadOnceTests {
    /// Lets every value in flight arrive (the feed's queue, a view's background read) and applies it.
    func settle(_ h: Harness) {
        for _ in 0..<4 {
            usleep(150_000)
            while let m = h.app.mailbox.take() { h.app.handle(m) }
        }
    }

    @Test func theDuplicatesViewReadsOnceWhenItOpensOnReloadAndOnReturn() throws {
        let store = try DuplicatesPaneTests().shop()
        let h = Harness(store: store, language: .en)
        _ = h.screen(100, 24)
        settle(h)
        var before = store.reads.value
        h.keys("D")
        let view = try #require(h.app.topView as? DuplicatesView)
        _ = h.screen(100, 24)
        #expect(h.pump { view.found?.pairs.count == 2 })
        settle(h)
        #expect(store.reads.value - before == 1, "opening the duplicates view read \(store.reads.value - before) times")

        before = store.reads.value
        h.keys("C-r")
        _ = h.screen(100, 24)
        settle(h)
        #expect(store.reads.value - before == 1, "a reload read \(store.reads.value - before) times")
        #expect(view.found?.pairs.count == 2)

        h.keys("Enter")
        _ = h.screen(100, 24)
        settle(h)
        before = store.reads.value
        h.keys("q")
        _ = h.screen(100, 24)
        settle(h)
        #expect(h.app.topView === view)
        #expect(store.reads.value - before == 1, "back on the duplicates view: \(store.reads.value - before) reads")
        #expect(view.found?.pairs.count == 2)
    }

    @Test func theChannelsViewReadsOnceWhenItOpens() throws {
        let store = try makeDemoStore()
        let h = Harness(store: store)
        _ = h.screen()
        settle(h)
        let before = store.reads.value
        h.keys("v")
        #expect(h.app.topView is ChannelsView)
        _ = h.screen()
        #expect(h.pump { h.screen().text().contains(Channel.taobao.chineseName) })
        settle(h)
        #expect(store.reads.value - before == 1, "opening the channels view read \(store.reads.value - before) times")
    }
}


/// The Tiers pane counts members per level (a scan of the member table) once when it opens: the
/// subscription's first value, not a count of its own as well. It still reads the live ladder and
/// draft (one row each) at once, for the first frame.
@Suite struct TiersPaneLoadOnceTests {
    @Test func theTiersPaneCountsMembersOnceWhenItOpens() throws {
        let store = try makeDemoStore()
        let h = Harness(store: store)
        _ = h.screen()
        PaneLoadOnceTests().settle(h)
        let before = store.reads.value
        h.keys("4")
        _ = h.screen()
        #expect(h.pump { h.screen().text().contains("已发布") })
        PaneLoadOnceTests().settle(h)
        // live and draft, then the subscription's first value with the counts (three with a count of its own).
        #expect(store.reads.value - before == 2, "opening the Tiers pane read \(store.reads.value - before) times")
    }
}

extension Harness {
    /// Store reads that `action`, the frame after it and the values it set in flight took.
    func readsAfterFrame(_ store: Store, _ action: () -> Void) -> Int {
        let before = store.reads.value
        action()
        _ = screen()
        PaneLoadOnceTests().settle(self)
        return store.reads.value - before
    }
}
