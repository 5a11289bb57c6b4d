import Foundation
import Testing
import TerminalKit
@testable import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// The channels view listens to the change feed like the panes: another Store on the same file
/// (another operator's process) links an offline card, and the view on screen shows the new
/// channel without a key press; leaving it ends its subscription.
@Suite struct ChannelsLiveTests {
    @Test func theChannelsViewShowsAnotherStoresLink() throws {
        let store = try makeDemoStore()
        let h = Harness(store: store)
        let other = try Store(path: store.path, operatorName: store.operatorName)
        _ = h.screen()
        h.keys("v")
        #expect(h.pump { h.app.topView is ChannelsView && h.screen().text().contains(Channel.taobao.chineseName) }, "\(h.screen().text())")
        let offline = Channel.offline.chineseName
        #expect(!h.screen().text().contains(offline))
        #expect(store.feed.observerCount == 1, "the channels view alone listens")
        // Its first value is in before the other store writes: only the feed can bring the link.
        // Let the subscription's first value in before the other store writes (it may already have
        // been handled above: then this waits 2 s). pump(until: mailbox.isEmpty) could not fail, since
        // pump empties the mailbox before it asks.
        h.settleFirstValue()
        let buyer = try #require(try MemberSearch.search(other, "叶").first?.buyerId)
        _ = try Identities.link(other, member: buyer, channel: .offline, externalId: "CARD-LIVE-1")
        #expect(h.pump { h.screen().text().contains(offline) }, "the channels view did not show another store's link:\n\(h.screen().text())")
        h.keys("q")
        _ = h.screen()
        #expect(h.app.topView is MemberListView)
        #expect(store.feed.observerCount == 1, "back on the list: its subscription alone")
    }
}
