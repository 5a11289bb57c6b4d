import Foundation
import Testing
import TerminalKit
@testable import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// Every member list (the Members pane, a drill-down from Tags, Segments, Tiers…) reads its count
/// and the rows shown once when it opens, re-sorts, is narrowed to a channel or comes back on
/// screen: the change-feed subscription's first value, taken before the frame (PaneWatch.startAndLoad),
/// not a pager's own count, then the frame's page, then the subscription's read of both again.
/// Counted as read transactions on the store (Store.reads); the tier names every list shows are
/// read once per console, before counting.
@Suite struct MemberListLoadOnceTests {
    func settle(_ h: Harness) { PaneLoadOnceTests().settle(h) }

    @Test func theMembersPaneReadsOnceBeforeItsFirstFrame() throws {
        let store = try makeDemoStore()
        let h = Harness(store: store)
        _ = h.app.tierNames
        let before = store.reads.value
        let first = h.screen()
        #expect(store.reads.value - before == 1, "the first frame took \(store.reads.value - before) reads")
        let list = try #require(h.app.topView as? MemberListView)
        // The first frame already lists the members (start time: one read, before it).
        #expect(list.count == 300)
        #expect(first.text().contains("1/300"), "\(first.text())")
        let top = try #require(list.selectedMember)
        #expect(first.text().contains(top.nick), "\(first.text())")
        settle(h)
        #expect(store.reads.value - before == 1, "opening the Members pane read \(store.reads.value - before) times")
    }

    /// Tags → a tag's members, re-sorted twice, a card and back, a reload.
    @Test func aDrillDownReadsOnceOnOpenResortReturnAndReload() throws {
        let store = try makeDemoStore()
        let h = Harness(store: store)
        _ = h.app.tierNames
        h.keys("3")
        _ = h.screen()
        settle(h)
        var before = store.reads.value
        h.keys("Enter")
        let list = try #require(h.app.topView as? MemberListView)
        #expect(list.count > 0)
        _ = h.screen()
        settle(h)
        #expect(store.reads.value - before == 1, "opening a tag's members read \(store.reads.value - before) times")
        let count = list.count

        for sort in [MemberSort.spend, .nick] {
            before = store.reads.value
            h.keys("s")
            #expect(list.sort == sort)
            #expect(list.count == count, "re-sorted to \(sort): the list is counted before the frame")
            _ = h.screen()
            settle(h)
            #expect(store.reads.value - before == 1, "re-sorting to \(sort) read \(store.reads.value - before) times")
        }

        h.keys("Enter")
        #expect(h.app.topView is MemberCardView)
        _ = h.screen()
        settle(h)
        before = store.reads.value
        h.keys("q")
        #expect(h.app.topView === list)
        _ = h.screen()
        settle(h)
        #expect(store.reads.value - before == 1, "back on the list: \(store.reads.value - before) reads")
        #expect(list.count == count)

        // A reload also forgets the tier names (a tier renamed elsewhere), read again for the frame.
        before = store.reads.value
        h.app.tierNamesNeedReload()
        _ = h.app.tierNames
        let tierNames = store.reads.value - before
        before = store.reads.value
        h.keys("C-r")
        _ = h.screen()
        settle(h)
        #expect(store.reads.value - before - tierNames == 1, "a reload read the list \(store.reads.value - before - tierNames) times")
        #expect(list.count == count)
    }

    /// `c` narrows the list to a channel: which channels exist and the narrowed list are one read
    /// (it was two: the channels present, then the list; before that the list was counted by its
    /// pager, paged by the frame and read again by its subscription).
    @Test func aChannelFilterReadsTheNarrowedListOnce() throws {
        let store = try makeDemoStore()
        let h = Harness(store: store)
        _ = h.screen()
        settle(h)
        let list = try #require(h.app.topView as? MemberListView)
        let all = list.count
        let before = store.reads.value
        h.keys("c")
        #expect(list.channel != nil)
        #expect(list.count > 0 && list.count <= all, "narrowed before the frame: \(list.count)")
        _ = h.screen()
        settle(h)
        #expect(store.reads.value - before == 1, "narrowing to a channel read \(store.reads.value - before) times (channels present and the list in one read)")
    }

    /// A member imported right after the list opened (no value awaited in between) still reaches
    /// it: the one read runs after the subscription started.
    @Test func aMemberAddedAfterOpeningShowsUp() throws {
        let store = try makeDemoStore()
        let h = Harness(store: store)
        _ = h.screen()
        let list = try #require(h.app.topView as? MemberListView)
        let count = list.count
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecrm-listonce-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let members = dir.appendingPathComponent("m.csv").path, orders = dir.appendingPathComponent("o.csv").path
        try Data("buyer_id,nick,name,phone,gender,birthday,province,city\nlistonce1,新来的会员,,,,,,\n".utf8).write(to: URL(fileURLWithPath: members))
        try Data("order_id,buyer_id,paid_at,amount,status\nLO-1,listonce1,2026-11-20 23:00:00,88.00,paid\n".utf8).write(to: URL(fileURLWithPath: orders))
        var importer = Importer(store: store)
        importer.today = pinnedDay
        _ = try importer.run([(.members, members), (.orders, orders)])
        #expect(h.pump { list.count == count + 1 }, "the list still counts \(list.count)")
        #expect(h.pump { h.screen().text().contains("新来的会员") }, "\(h.screen().text())")
    }
}
