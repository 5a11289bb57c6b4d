import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// Auto-upgrade after publish and import, manual changes, the manual-lowering baseline, the blacklist.
@Suite struct TierMemberAdminTests {
    @Test func importRaisesOnlyAndNeverLowers() throws {
        var shop = try TierShop([("b1", 50), ("b2", 600)]); defer { shop.cleanup() }
        try shop.publish(standardLadder)
        #expect(try shop.tiers() == ["b1": 0, "b2": 2])
        try shop.importOrders([("b1", 60)])            // 110 yuan → level 1
        #expect(try shop.tier("b1") == 1)
        // A refund re-imported for b2 lowers the paid total below level 2; the level stays.
        var csv = "order_id,buyer_id,buyer_nick,paid_at,amount,status,items\n"
        csv += "1002,b2,,2026-01-10 10:00:00,600,refunded,1\n"
        _ = try Importer(store: shop.store).run(.orders, path: try shop.t.file("refund.csv", csv))
        #expect(try shop.tier("b2") == 2)
    }

    @Test func unpaidOrdersDoNotCount() throws {
        var shop = try TierShop([]); defer { shop.cleanup() }
        try shop.publish(standardLadder)
        try shop.importOrders([("b1", 900)], status: "等待买家付款")
        #expect(try shop.tier("b1") == 0)
    }

    @Test func publishingLowerThresholdsRaisesMembersButNeverLowersAnyone() throws {
        let shop = try TierShop([("b1", 150), ("b2", 300), ("b3", 2500)]); defer { shop.cleanup() }
        try shop.publish(makeLadder([(100, 980), (500, 950), (3000, 920)]))
        #expect(try shop.tiers() == ["b1": 1, "b2": 1, "b3": 2])
        try MemberTierAdmin.setTier(shop.store, member: "b1", to: 3, reason: "大客户")
        try shop.publish(makeLadder([(100, 980), (200, 950), (2000, 920)]))
        #expect(try shop.tiers() == ["b1": 3, "b2": 2, "b3": 3])
    }

    @Test func manualLoweringSurvivesReimportAndLowerThresholdsUntilNewPaidOrdersReachATier() throws {
        var shop = try TierShop([]); defer { shop.cleanup() }
        let old = try shop.importOrders([("b1", 600), ("b2", 600)])
        try shop.publish(standardLadder)
        #expect(try shop.tier("b1") == 2)
        let change = try MemberTierAdmin.setTier(shop.store, member: "b1", to: 0, reason: "刷单")
        #expect(change.from == 2 && change.to == 0)
        #expect(try shop.tierSource("b1") == "manual")
        // The same old orders again: nothing new paid, b1 stays down.
        _ = try shop.reimport(old)
        #expect(try shop.tier("b1") == 0)
        // Lower thresholds published: old orders still do not count for b1; b2 moves up.
        try shop.publish(makeLadder([(100, 980), (400, 950), (2000, 920)]))
        #expect(try shop.tier("b1") == 0 && shop.tier("b2") == 2)
        // New paid orders: 150 yuan since the lowering reaches level 1 only…
        try shop.importOrders([("b1", 150)], day: "2026-03-01")
        #expect(try shop.tier("b1") == 1 && shop.tierSource("b1") == "auto")
        // …and 400 more since the lowering reaches level 2, measured from the same starting point.
        try shop.importOrders([("b1", 250)], day: "2026-03-02")
        #expect(try shop.tier("b1") == 2)
        let audit = try #require(try shop.audit("member.tier").first)
        #expect(audit.target == "b1" && audit.before == "2" && audit.after == "0" && audit.reason == "刷单" && audit.operatorName == "owner1")
    }

    @Test func previewJudgesAManuallyLoweredMemberAsTheUpgradeWill() throws {
        let shop = try TierShop([("b1", 600)]); defer { shop.cleanup() }
        try shop.publish(standardLadder)
        try MemberTierAdmin.setTier(shop.store, member: "b1", to: 1, reason: "降级")
        try TierService.editDraft(shop.store) { $0[2].threshold = 300_00 }
        #expect(try TierService.preview(shop.store).impact.totalMovingUp == 0)
    }

    @Test func manualChangesAreCheckedByTheDomainRules() throws {
        let shop = try TierShop([("b1", 600)]); defer { shop.cleanup() }
        try shop.publish(standardLadder)
        #expect(tierError { try MemberTierAdmin.setTier(shop.store, member: "b1", to: 1, reason: "  ") } == .manualChange(.reasonRequired(from: 2, to: 1)))
        #expect(tierError { try MemberTierAdmin.setTier(shop.store, member: "b1", to: 4, reason: "x") } == .manualChange(.levelNotEnabled(TierRef(level: 4, name: "至尊VIP会员"))))
        #expect(tierError { try MemberTierAdmin.setTier(shop.store, member: "b1", to: 2, reason: "x") } == .manualChange(.unchanged(level: 2)))
        #expect(tierError { try MemberTierAdmin.setTier(shop.store, member: "nobody", to: 1, reason: "x") } == .memberNotFound("nobody"))
        // Raising needs no reason.
        #expect(try MemberTierAdmin.setTier(shop.store, member: "b1", to: 3, reason: "").to == 3)
        #expect(try shop.audit("member.tier").count == 1)
    }

    @Test func blacklistedMembersKeepTheirLevelGetNoDiscountAndAreNeverUpgraded() throws {
        var shop = try TierShop([("b1", 150)]); defer { shop.cleanup() }
        try shop.publish(standardLadder)
        #expect(tierError { try MemberTierAdmin.setBlacklist(shop.store, member: "b1", on: true, reason: "") } == .blacklistReasonRequired)
        let on = try MemberTierAdmin.setBlacklist(shop.store, member: "b1", on: true, reason: "恶意差评")
        #expect(on.blacklisted && on.level == 1)
        #expect(tierError { try MemberTierAdmin.setBlacklist(shop.store, member: "b1", on: true, reason: "again") } == .blacklistUnchanged(on: true))
        try shop.importOrders([("b1", 3000)])
        try shop.publish(makeLadder([(50, 980), (400, 950), (1000, 920)]))
        #expect(try shop.tier("b1") == 1)
        let id = try #require(try shop.store.pool.read { try MemberQueries.resolve($0, "b1") })
        #expect(try shop.store.pool.read { try MemberQueries.detail($0, id: id) }?.discount == 1000)
        #expect(tierError { try MemberTierAdmin.setTier(shop.store, member: "b1", to: 2, reason: "x") } == .manualChange(.blacklisted))
        #expect(try TierService.preview(shop.store).impact == TierImpact())   // no discount now, none after
        // Off the blacklist: the upgrade catches up at once.
        let off = try MemberTierAdmin.setBlacklist(shop.store, member: "b1", on: false, reason: "误判")
        #expect(off.level == 3 && !off.blacklisted)
        let audit = try shop.audit("member.blacklist")
        #expect(audit.map(\.after) == ["normal", "blacklist"] && audit.map(\.reason) == ["误判", "恶意差评"])
    }
}
