import Foundation
import Testing
import TerminalKit
@testable import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// The Campaigns pane reads its rows once when it opens, on reload and when it comes back on
/// screen: the change-feed subscription's first value, taken before the first frame
/// (PaneWatch.startAndLoad), not a read of its own in shown() and the subscription's first read
/// as well (two before).
@Suite(.serialized) struct CampaignsPaneLoadOnceTests {
    @Test func theCampaignsPaneReadsOnceWhenItOpensOnReloadAndOnReturn() throws {
        let store = try CampaignPaneTests().shop()
        // Headlines current, so opening starts no background recompute of them (counted apart).
        _ = try CampaignService(store: store).refreshHeadlines(today: pinnedDay)
        let h = Harness(store: store)
        _ = h.screen()
        PaneLoadOnceTests().settle(h)
        var before = store.reads.value
        h.keys("6")
        let view = try #require(h.app.topView as? CampaignsView)
        // The first frame already lists the campaign.
        #expect(view.campaigns.count == 1)
        #expect(h.screen().text().contains("十月回访"))
        PaneLoadOnceTests().settle(h)
        #expect(store.reads.value - before == 1, "opening the Campaigns pane read \(store.reads.value - before) times")

        let reloadReads = h.readsAfterFrame(store) { h.keys("C-r") }
        #expect(reloadReads == 1, "a reload read \(reloadReads) times")
        #expect(view.campaigns.count == 1)

        h.keys("Enter")
        let detail = try #require(h.app.topView as? CampaignDetailView)
        #expect(h.pump { detail.report != nil })
        PaneLoadOnceTests().settle(h)
        before = store.reads.value
        h.keys("q")
        #expect(h.app.topView === view)
        _ = h.screen()
        PaneLoadOnceTests().settle(h)
        #expect(store.reads.value - before == 1, "back on the Campaigns pane: \(store.reads.value - before) reads")
        #expect(view.campaigns.count == 1)
    }

    /// A campaign created after the pane opened still reaches it (the subscription runs from before the read).
    @Test func aCampaignCreatedAfterOpeningShowsUp() throws {
        let store = try CampaignPaneTests().shop()
        let h = Harness(store: store)
        h.keys("6")
        let view = try #require(h.app.topView as? CampaignsView)
        #expect(view.campaigns.count == 1)
        _ = h.screen()
        _ = try CampaignService(store: store).create(CampaignDraft(name: "十一月回访", holdoutBasisPoints: 2_000, start: Day.parse("2026-11-01")!, windowDays: 30),
                                                     target: [.tier(1)], seed: 12, today: pinnedDay)
        #expect(h.pump { view.campaigns.count == 2 })
    }
}
