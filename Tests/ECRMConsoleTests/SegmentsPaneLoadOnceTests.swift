import Foundation
import Testing
import TerminalKit
@testable import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// The Segments pane reads the stored figures once when it opens, on reload and when it comes
/// back on screen: the change-feed subscription's first value, taken before the first frame
/// (PaneWatch.startAndLoad), not a background read of its own and the subscription's first read
/// as well (two on open before).
@Suite struct SegmentsPaneLoadOnceTests {
    @Test func theSegmentsPaneReadsOnceWhenItOpensOnReloadAndOnReturn() throws {
        let store = try GoldenFixture.make()
        let h = Harness(store: store)
        _ = h.screen()
        PaneLoadOnceTests().settle(h)
        var before = store.reads.value
        h.keys("2")
        let view = try #require(h.app.topView as? SegmentsView)
        // The first frame already shows the stored figures (the golden screen relies on them).
        #expect(view.settings != nil)
        #expect(!h.screen().text().contains("加载中"))
        PaneLoadOnceTests().settle(h)
        #expect(store.reads.value - before == 1, "opening the Segments pane read \(store.reads.value - before) times")

        let reloadReads = h.readsAfterFrame(store) { h.keys("C-r") }
        #expect(reloadReads == 1, "a reload read \(reloadReads) times")
        #expect(view.settings != nil)

        h.keys("Enter")
        #expect(h.app.topView is MemberListView)
        _ = h.screen()
        PaneLoadOnceTests().settle(h)
        before = store.reads.value
        h.keys("q")
        #expect(h.app.topView === view)
        _ = h.screen()
        PaneLoadOnceTests().settle(h)
        #expect(store.reads.value - before == 1, "back on the Segments pane: \(store.reads.value - before) reads")
    }

    /// With no figures stored yet the pane computes them once, in the background, and shows them.
    @Test func withNothingStoredThePaneComputesTheFirstFigures() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecrm-console-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try Store(path: dir.appendingPathComponent("shop.db").path, create: true, operatorName: "alice")
        _ = try DemoShop(members: 50, seed: 1, endDay: pinnedDay).generate(into: store)
        #expect(try BrowseStats.storedSegmentSummary(store) == nil)
        let h = Harness(store: store)
        h.keys("2")
        let view = try #require(h.app.topView as? SegmentsView)
        #expect(h.pump { view.settings != nil })
    }
}
