import Foundation
import Testing
import TerminalKit
@testable import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// The open pane refreshes itself from the store's change feed: another Store on the same file
/// (as another operator's process) writes, and the pane on screen shows it without a key press,
/// the cursor still on the same item; a pane that is left stops listening.
@Suite struct LivePaneTests {
    @Test func theTagsPaneShowsAnotherStoresTagAndKeepsTheCursor() throws {
        let store = try makeDemoStore()
        let h = Harness(store: store)
        let other = try Store(path: store.path, operatorName: store.operatorName)
        h.keys("3")
        h.keys("j")
        let before = h.screen().text()
        let selected = try #require(before.split(separator: "\n").first { $0.hasPrefix(">") }.map(String.init))
        // The subscription's first value (read on the feed's queue) is in before the other store
        // writes, so only the change feed can bring the write to the screen.
        let end = Date().addingTimeInterval(20)
        while h.app.mailbox.isEmpty, Date() < end { usleep(5_000) }
        while let m = h.app.mailbox.take() { h.app.handle(m) }
        try TagService(store: other).create("别处新建")
        try MemberActions.addTag(other, memberId: 1, tag: "别处新建")
        #expect(h.pump { h.screen().text().contains("别处新建") }, "the Tags pane did not show another store's tag:\n\(h.screen().text())")
        let after = h.screen().text()
        let name = selected.dropFirst(2).split(separator: " ").first.map(String.init) ?? ""
        #expect(after.split(separator: "\n").first { $0.hasPrefix(">") }?.contains(name) == true, "the cursor left \(name):\n\(after)")
    }
}

/// Only the view on screen listens: leaving a pane or drilling down cancels its subscription.
@Suite struct LivePaneSubscriptionTests {
    @Test func onlyTheViewOnScreenIsSubscribed() throws {
        let store = try makeDemoStore()
        let h = Harness(store: store)
        _ = h.screen()
        #expect(store.feed.observerCount == 1, "the Members list")
        for pane in ["2", "3", "4", "5", "6", "1"] {
            h.keys(pane)
            _ = h.screen()
            #expect(store.feed.observerCount == 1, "pane \(pane): one subscription, the pane on screen")
        }
        h.keys("Enter")   // a member's card over the list: the card's subscription alone
        _ = h.screen()
        #expect(store.feed.observerCount == 1)
        h.keys("q")
        _ = h.screen()
        #expect(store.feed.observerCount == 1)
        h.app.quit()
        #expect(store.feed.observerCount == 0, "quitting cancels every subscription")
    }
}

/// A search result (its first page, held in memory) re-reads its members' rows too.
@Suite struct LiveSearchResultTests {
    @Test func aSearchResultShowsAnotherStoresImportOnItsRows() throws {
        let store = try makeDemoStore()
        let h = Harness(store: store)
        let other = try Store(path: store.path, operatorName: store.operatorName)
        _ = h.screen()
        h.keys("/")
        h.type("叶")
        h.keys("Enter")
        #expect(h.pump { h.screen().text().contains("「叶」") }, "no search result:\n\(h.screen().text())")
        let list = try #require(h.app.topView as? MemberListView)
        let first = try #require(list.selectedMember)
        // Let the subscription's first value in before the other store writes (it may already have
        // been handled above: then this waits 2 s). pump(until: mailbox.isEmpty) could not fail, since
        // pump empties the mailbox before it asks.
        h.settleFirstValue()
        let csv = FileManager.default.temporaryDirectory.appendingPathComponent("live-\(UUID().uuidString).csv").path
        try "order_id,buyer_id,paid_at,amount,status\nLIVE-9,\(first.buyerId),2026-11-20 09:00:00,12345,paid\n".write(toFile: csv, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: csv) }
        var importer = Importer(store: other)
        importer.today = pinnedDay
        _ = try importer.run(.orders, path: csv)
        #expect(h.pump { list.selectedMember?.paidCount == first.paidCount + 1 }, "the result's row did not follow the import")
        #expect(list.selectedMember?.id == first.id, "the cursor left the member")
        #expect(h.screen().text().contains(Money.display(first.paidSum + 12345_00)), "\(h.screen().text())")
    }
}
