import Foundation
import Testing
import TerminalKit
@testable import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// The Tags pane reads its tags once when it opens, on reload and when it comes back on screen:
/// the change-feed subscription's first value, taken before the first frame (PaneWatch.startAndLoad),
/// not a read of its own in shown() followed by the subscription's first read (two before).
@Suite struct TagsPaneLoadOnceTests {
    @Test func theTagsPaneReadsOnceWhenItOpensOnReloadAndOnReturn() throws {
        let store = try GoldenFixture.make()
        let h = Harness(store: store)
        _ = h.screen()
        PaneLoadOnceTests().settle(h)
        var before = store.reads.value
        h.keys("3")
        let view = try #require(h.app.topView as? TagsView)
        // The first frame already lists the tags (the golden screen relies on it).
        #expect(!view.tags.isEmpty)
        let count = view.tags.count
        _ = h.screen()
        PaneLoadOnceTests().settle(h)
        #expect(store.reads.value - before == 1, "opening the Tags pane read \(store.reads.value - before) times")

        let reloadReads = h.readsAfterFrame(store) { h.keys("C-r") }
        #expect(reloadReads == 1, "a reload read \(reloadReads) times")
        #expect(view.tags.count == count)

        h.keys("Enter")
        #expect(h.app.topView is MemberListView)
        _ = h.screen()
        PaneLoadOnceTests().settle(h)
        before = store.reads.value
        h.keys("q")
        #expect(h.app.topView === view)
        _ = h.screen()
        PaneLoadOnceTests().settle(h)
        #expect(store.reads.value - before == 1, "back on the Tags pane: \(store.reads.value - before) reads")
        #expect(view.tags.count == count)
    }

    /// A tag created after the pane opened still reaches it (the subscription runs from before the read).
    @Test func aTagCreatedAfterOpeningShowsUp() throws {
        let store = try GoldenFixture.make()
        let h = Harness(store: store)
        h.keys("3")
        let view = try #require(h.app.topView as? TagsView)
        let count = view.tags.count
        _ = h.screen()
        _ = try TagService(store: store).create("新标签测试")
        #expect(h.pump { view.tags.count == count + 1 })
    }
}
