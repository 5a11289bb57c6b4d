import Foundation
import Testing
import ECRMDomain
@testable import ECRMStore

/// Every pane observation (`observeTags`, `observeSegmentSummary`, `observeTiers`, …) hands its
/// value now and a fresh one after a commit by another Store on the same file (another pool, as
/// another process writes it: GRDB of this pool does not see it, only the file watch does).
@Suite struct PaneObservationTests {
    /// Values an observer was handed, across the feed's queue.
    final class Seen<V: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [V] = []
        private(set) var onMainThread = false
        func add(_ v: V) {
            lock.lock(); defer { lock.unlock() }
            if Thread.isMainThread { onMainThread = true }
            values.append(v)
        }
        var count: Int { lock.lock(); defer { lock.unlock() }; return values.count }
        var last: V? { lock.lock(); defer { lock.unlock() }; return values.last }

        /// Waits (generously: a loaded machine) until the last value satisfies `done`.
        func wait(timeout: Double = 20, _ done: (V) -> Bool) -> Bool {
            let end = Date().addingTimeInterval(timeout)
            while Date() < end {
                if let l = last, done(l) { return true }
                usleep(5_000)
            }
            return false
        }
    }

    /// The tag shop (five members, hand-checked orders, RFM stored) and a second Store on its file.
    private func shop() throws -> (TagShop, Store) {
        let shop = try TagShop()
        return (shop, try Store(path: shop.t.path, operatorName: shop.store.operatorName))
    }

    private func fail(_ e: Error) { Issue.record("observation failed: \(e)") }

    @Test func tagsFollowAnotherStoresTagging() throws {
        let (shop, other) = try shop(); defer { shop.cleanup() }
        let seen = Seen<[TagService.TagInfo]>()
        let o = shop.store.observeTags(onError: fail) { seen.add($0) }
        defer { o.cancel() }
        #expect(seen.wait { _ in true }, "no first value")
        try MemberActions.addTag(other, memberId: try shop.id("a"), tag: "别处打的")
        #expect(seen.wait { $0.first { $0.name == "别处打的" }?.members == 1 }, "another store's tag did not reach the Tags observation")
        #expect(!seen.onMainThread)
    }

    @Test func segmentSummaryFollowsAnotherStoresRecompute() throws {
        let (shop, other) = try shop(); defer { shop.cleanup() }
        let seen = Seen<RFMSummary?>()
        let o = shop.store.observeSegmentSummary(onError: fail) { seen.add($0) }
        defer { o.cancel() }
        #expect(seen.wait { $0?.settings.asOf == TagShop.asOf }, "no first value")
        let later = TagShop.asOf.adding(days: 200)
        try RFMEngine.recompute(other, settings: RFMSettings(asOf: later))
        #expect(seen.wait { $0?.settings.asOf == later }, "another store's recompute did not reach the Segments observation")
    }

    @Test func tiersFollowAnotherStoresDraftAndBlacklist() throws {
        let (shop, other) = try shop(); defer { shop.cleanup() }
        let seen = Seen<TierOverview>()
        let o = shop.store.observeTiers(onError: fail) { seen.add($0) }
        defer { o.cancel() }
        #expect(seen.wait { $0.counts.blacklisted == 0 }, "no first value")
        _ = try MemberTierAdmin.setBlacklist(other, member: "b", on: true, reason: "测试")
        #expect(seen.wait { $0.counts.blacklisted == 1 }, "another store's blacklisting did not reach the Tiers observation")
        try TierService.editDraft(other) { $0[2].threshold = 300_00 }
        #expect(seen.wait { $0.draft.ladder[2].threshold == 300_00 }, "another store's draft did not reach the Tiers observation")
    }

    @Test func campaignsFollowAnotherStoresCreateAndClose() throws {
        let (shop, other) = try shop(); defer { shop.cleanup() }
        let seen = Seen<[CampaignInfo]>()
        let o = shop.store.observeCampaigns(onError: fail) { seen.add($0) }
        defer { o.cancel() }
        #expect(seen.wait { $0.isEmpty }, "no first value")
        let start = TagShop.asOf
        _ = try CampaignService(store: other).create(CampaignDraft(name: "别处的活动", holdoutBasisPoints: 5_000, start: start),
                                                     target: [.tier(0)], seed: 1, today: start)
        #expect(seen.wait { $0.map(\.name) == ["别处的活动"] }, "another store's campaign did not reach the Campaigns observation")
        let before = try #require(seen.last?.first)
        _ = try CampaignService(store: other).close("别处的活动")
        #expect(seen.wait { $0.first.map { $0 != before } ?? false }, "another store's close did not reach the Campaigns observation")
    }

    @Test func auditFollowsAnotherStoresEntriesNewestFirst() throws {
        let (shop, other) = try shop(); defer { shop.cleanup() }
        let seen = Seen<AuditPage>()
        let window = ListWindow(0..<10)
        let o = shop.store.observeAudit(filter: nil, window: window, onError: fail) { seen.add($0) }
        defer { o.cancel() }
        #expect(seen.wait { _ in true }, "no first value")
        let before = try #require(seen.last)
        _ = try MemberTierAdmin.setBlacklist(other, member: "c", on: true, reason: "别处改的等级")
        #expect(seen.wait { $0.count > before.count && $0.entries.first?.reason == "别处改的等级" },
                "another store's audit entry did not reach the Audit observation")
        // A filtered log counts only its matches.
        let filtered = Seen<AuditPage>()
        let f = shop.store.observeAudit(filter: "别处改的", window: window, onError: fail) { filtered.add($0) }
        defer { f.cancel() }
        #expect(filtered.wait { $0.count == 1 && $0.entries.count == 1 })
    }

    @Test func aMemberListPageFollowsAnotherStoresTagging() throws {
        let (shop, other) = try shop(); defer { shop.cleanup() }
        try TagService(store: shop.store).create("关注")
        _ = try #require(try TagService(store: shop.store).list().first { $0.name == "关注" })
        let window = ListWindow(0..<20)
        let paged = Seen<MemberListPage>(), set = Seen<MemberListPage>(), all = Seen<MemberListPage>()
        let o1 = shop.store.observeMemberList(.paged(.recency, .tags(["关注"], .any)), window: window, onError: fail) { paged.add($0) }
        let o2 = shop.store.observeMemberList(.paged(.recency, .rule(MemberRule(tagsAll: ["关注"], tagsAny: ["关注"]))), window: window, onError: fail) { set.add($0) }
        let o3 = shop.store.observeMemberList(.paged(.recency, .all), window: window, onError: fail) { all.add($0) }
        defer { o1.cancel(); o2.cancel(); o3.cancel() }
        #expect(paged.wait { $0.count == 0 } && set.wait { $0.count == 0 }, "no first value")
        #expect(all.wait { $0.count == 5 && $0.rows.count == 5 })
        let d = try shop.id("d")
        try MemberActions.addTag(other, memberId: d, tag: "关注")
        #expect(paged.wait { $0.count == 1 && $0.rows.map(\.id) == [d] }, "another store's tag did not reach the paged list")
        #expect(set.wait { $0.count == 1 && $0.rows.map(\.id) == [d] }, "another store's tag did not reach the set list")
        // The pager adopts the page as it is: the count and rows come from it, no read of its own.
        let pager = try MemberPager(store: shop.store, set: .tags(["关注"], .any))
        let fetches = pager.fetches
        try MemberActions.addTag(other, memberId: try shop.id("e"), tag: "关注")
        #expect(paged.wait { $0.count == 2 })
        pager.adopt(try #require(paged.last))
        #expect(pager.count == 2 && pager.rows(in: 0..<2).count == 2 && pager.fetches == fetches)
        // A row of a whole-store list changes when its member does (blacklisted elsewhere).
        _ = try MemberTierAdmin.setBlacklist(other, member: "a", on: true, reason: "拉黑")
        #expect(all.wait { $0.rows.first { $0.buyerId == "a" }?.status == "blacklist" }, "another store's blacklisting did not reach the list's rows")
    }

    @Test func birthdaysAndHealthFollowAnotherStore() throws {
        let (shop, other) = try shop(); defer { shop.cleanup() }
        let birthdays = Seen<[Birthdays.Entry]>()
        let b = shop.store.observeBirthdays(from: Day.parse("2026-12-29")!, onError: fail) { birthdays.add($0) }
        defer { b.cancel() }
        #expect(birthdays.wait { $0.map(\.buyerId) == ["a", "b"] }, "no first value")
        let members = try shop.t.file("m2.csv", "buyer_id,nick,name,phone,gender,birthday,province,city,joined_at\na,阿甲改名,张一,13800000001,F,1990-12-30,浙江省,杭州市,2025-01-01\n")
        _ = try Importer(store: other).run(.members, path: members)
        #expect(birthdays.wait { $0.first?.nick == "阿甲改名" }, "another store's import did not reach the Birthdays observation")

        let health = Seen<ShopHealth>()
        let h = shop.store.observeHealth(asOf: TagShop.asOf, onError: fail) { health.add($0) }
        defer { h.cancel() }
        #expect(health.wait { _ in true }, "no first value")
        let before = try #require(health.last)
        let orders = try shop.t.file("more.csv", "order_id,buyer_id,paid_at,amount,status\n900,d,2026-06-29 10:00:00,80,paid\n901,d,2026-06-29 11:00:00,80,refunded\n")
        _ = try Importer(store: other).run(.orders, path: orders)
        #expect(health.wait { $0 != before }, "another store's import did not reach the Health observation")
    }
}
