import Foundation
import Testing
import TerminalKit
@testable import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// `c` on a member list narrows it to the next channel some member has: which channels exist and
/// the narrowed list are one store read (ChannelStep), taken before the frame; not a read of the
/// channels present followed by the narrowed list's own read.
@Suite struct ChannelFilterReadOnceTests {
    func settle(_ h: Harness) { PaneLoadOnceTests().settle(h) }

    /// The demo shop (all Taobao) with two members also in JD and one in a shop till (offline).
    func shop() throws -> Store {
        let store = try makeDemoStore()
        let buyers = try store.pool.read { db in try String.fetchAll(db, sql: "SELECT buyer_id FROM member ORDER BY id LIMIT 3") }
        _ = try Identities.link(store, member: buyers[0], channel: .jd, externalId: "jd-1")
        _ = try Identities.link(store, member: buyers[1], channel: .jd, externalId: "jd-2")
        _ = try Identities.link(store, member: buyers[2], channel: .offline, externalId: "card-3")
        return store
    }

    @Test func everyPressOfTheChannelKeyReadsOnce() throws {
        let store = try shop()
        let present = try ChannelFilter.present(store)
        #expect(present.count >= 2, "the demo shop has members in several channels: \(present)")
        let h = Harness(store: store)
        _ = h.screen()
        settle(h)
        let list = try #require(h.app.topView as? MemberListView)
        let all = list.count
        // Through every channel present, in order, and back to every channel.
        for expected in present.map(Optional.some) + [nil] {
            let reads = h.readsAfterFrame(store) {
                h.keys("c")
                #expect(list.channel == expected)
                if expected != nil { #expect(list.count > 0 && list.count <= all, "narrowed before the frame: \(list.count)") }
            }
            #expect(reads == 1, "c to \(expected?.rawValue ?? "every channel") read \(reads) times")
            #expect(h.app.toast?.text == h.app.labels.ident.channelFilterOn(expected))
            let narrowed = try MemberSets.allIds(store, MemberSet.all.narrowed(to: expected)).count
            #expect(list.count == narrowed, "\(expected?.rawValue ?? "all"): \(list.count) listed, \(narrowed) in the store")
        }
        #expect(list.count == all)
        #expect(h.screen().text().contains("1/\(SegmentsView.count(all))"))
    }

    /// A member linked in a channel after the filter was applied still reaches the narrowed list.
    @Test func aNarrowedListStaysLive() throws {
        let store = try shop()
        let h = Harness(store: store)
        _ = h.screen()
        settle(h)
        let list = try #require(h.app.topView as? MemberListView)
        h.keys("c", "c")
        let channel = try #require(list.channel)
        #expect(channel == .jd)
        _ = h.screen()
        settle(h)
        let count = list.count
        let buyer = try #require(try store.pool.read { db in
            try String.fetchOne(db, sql: "SELECT buyer_id FROM member WHERE id NOT IN (SELECT member_id FROM member_identity WHERE channel = ?) ORDER BY id LIMIT 1", arguments: [channel.rawValue])
        })
        _ = try Identities.link(store, member: buyer, channel: channel, externalId: "c-live-1")
        let expected = try MemberSets.allIds(store, MemberSet.all.narrowed(to: channel)).count
        #expect(expected == count + 1)
        #expect(h.pump { _ = h.screen(); return list.count == expected }, "still \(list.count) after a link in \(channel)")
        #expect(list.channel == channel)
    }
}
