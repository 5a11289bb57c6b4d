import Foundation
import Testing
import TerminalKit
@testable import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// `c` on a search result narrows it to the next channel some member has, keeping the result's
/// order (exact matches first): which channels exist and the narrowed result are one store read
/// (ChannelStep over the result's ids), taken before the frame; not the channels present, then
/// the narrowed ids, then the narrowed list's own subscription.
@Suite struct SearchChannelFilterReadOnceTests {
    func settle(_ h: Harness) { PaneLoadOnceTests().settle(h) }

    /// A character a handful of the demo shop's members have in nick or name (one page of matches).
    static func query(_ store: Store) throws -> String {
        let texts = try store.pool.read { db in try String.fetchAll(db, sql: "SELECT nick || coalesce(name, '') FROM member") }
        var counts: [Character: Int] = [:]
        for t in texts { for c in Set(t) where displayWidth(c) == 2 { counts[c, default: 0] += 1 } }
        let fits = counts.filter { (6..<100).contains($0.value) }.sorted { ($0.value, $0.key) > ($1.value, $1.key) }
        return String(try #require(fits.first).key)
    }

    /// The demo shop (all Taobao) where three of the query's matches are also in JD or a shop till.
    func shop() throws -> (Store, String, [Int64]) {
        let store = try makeDemoStore()
        let q = try Self.query(store)
        let found = try store.pool.read { db in try MemberSearch.search(db, q, limit: SearchRunner.limit) }
        try #require(found.count >= 4 && found.count < SearchRunner.limit, "\(q) matches \(found.count)")
        _ = try Identities.link(store, member: found[1].buyerId, channel: .jd, externalId: "jd-s1")
        _ = try Identities.link(store, member: found[3].buyerId, channel: .jd, externalId: "jd-s3")
        _ = try Identities.link(store, member: found[2].buyerId, channel: .offline, externalId: "card-s2")
        return (store, q, found.map(\.id))
    }

    /// The Members pane searched for the query, the prompt left, the result on screen.
    func searched(_ h: Harness, _ query: String) throws -> MemberListView {
        _ = h.screen()
        settle(h)
        h.type(query)
        #expect(h.pump { (h.app.topView as? MemberListView)?.isSearchResult == true && !h.app.search.pending })
        h.keys("Enter")
        _ = h.screen()
        settle(h)
        let list = try #require(h.app.topView as? MemberListView)
        #expect(list.isSearchResult)
        return list
    }

    @Test func everyPressOnASearchResultReadsOnce() throws {
        let (store, q, found) = try shop()
        let present = try ChannelFilter.present(store)
        #expect(present.count >= 3, "the shop has members in several channels: \(present)")
        let h = Harness(store: store)
        let list = try searched(h, q)
        #expect(list.count == found.count)
        // Through every channel present, in order, and back to the whole result.
        for expected in present.map(Optional.some) + [nil] {
            let reads = h.readsAfterFrame(store) {
                h.keys("c")
                #expect(list.channel == expected)
            }
            #expect(reads == 1, "c on a search result to \(expected?.rawValue ?? "every channel") read \(reads) times")
            #expect(h.app.toast?.text == h.app.labels.ident.channelFilterOn(expected))
            #expect(list.isSearchResult)
            // The result's own order, narrowed to the members with an identity in that channel.
            let kept = Set(try MemberSets.allIds(store, MemberSet.ids(found).narrowed(to: expected)))
            let want = found.filter(kept.contains)
            #expect(list.count == want.count, "\(expected?.rawValue ?? "all"): \(list.count) listed, \(want.count) expected")
            #expect(list.rows.rows(in: 0..<list.count).map(\.id) == want)
            if expected == .jd { #expect(want == [found[1], found[3]]) }
            if expected == .offline { #expect(want == [found[2]]) }
        }
        #expect(list.count == found.count)
        #expect(h.screen().text().contains("1/\(SegmentsView.count(found.count))"))
        h.app.quit()
    }

    /// A narrowed result still follows its members: a member put on the blacklist shows so in its row.
    @Test func aNarrowedResultStaysLive() throws {
        let (store, q, found) = try shop()
        let h = Harness(store: store)
        let list = try searched(h, q)
        h.keys("c", "c")
        #expect(list.channel == .jd)
        _ = h.screen()
        settle(h)
        #expect(list.rows.rows(in: 0..<list.count).map(\.id) == [found[1], found[3]])
        let before = try #require(list.rows.rows(in: 0..<1).first)
        #expect(!before.isBlacklisted)
        _ = try MemberTierAdmin.setBlacklist(store, member: before.buyerId, on: true, reason: "测试")
        #expect(h.pump { _ = h.screen(); return list.rows.rows(in: 0..<1).first?.isBlacklisted == true }, "the narrowed row did not refresh")
        #expect(list.channel == .jd)
        #expect(list.count == 2)
        h.app.quit()
    }
}
