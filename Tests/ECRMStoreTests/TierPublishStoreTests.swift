import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// Publishing through the store: each rule and each rejection, with the message the owner sees.
@Suite struct TierPublishStoreTests {
    @Test func firstPublishRaisesMembersRebasesTheDraftAndAudits() throws {
        let shop = try TierShop([("b1", 50), ("b2", 150), ("b3", 600)]); defer { shop.cleanup() }
        let result = try shop.publish(standardLadder)
        #expect(result == .init(version: 1, previousVersion: nil, upgraded: 2))
        #expect(try shop.tiers() == ["b1": 0, "b2": 1, "b3": 2])
        let live = try #require(try TierService.live(shop.store))
        #expect(live.ladder == standardLadder && live.publishedBy == "owner1")
        let draft = try TierService.draft(shop.store)
        #expect(draft.baseVersion == 1 && draft.ladder == standardLadder)
        let audit = try #require(try shop.audit("tiers.publish").first)
        #expect(audit.operatorName == "owner1" && audit.target == "v1" && audit.before == nil)
        #expect(try TierStore.decode(#require(audit.after)) == standardLadder)
    }

    @Test func shallowerDiscountIsSavedAsDraftButRefusedAtPublishNamingTierFieldAndAllowedValue() throws {
        let shop = try TierShop([("b1", 600)]); defer { shop.cleanup() }
        try shop.publish(standardLadder)
        let saved = try TierService.editDraft(shop.store) { $0[2].discount = 960 }
        #expect(saved.draft.ladder[2].discount == 960)
        #expect(saved.review.blocking.map(\.rule) == [.publishedDiscountShallower])
        let preview = try TierService.preview(shop.store)
        let error = tierError { try TierService.publish(shop.store, reviewed: preview, confirmFloor: true) }
        guard case .blocked(let violations)? = error else { Issue.record("expected blocked, got \(String(describing: error))"); return }
        let v = try #require(violations.first)
        #expect(v.tier?.level == 2 && v.field == .discount && v.allowed == .atMost(.discount(950)))
        #expect(error?.message(.zh).contains("高级会员（2级）的折扣960（9.6折）比已发布的950（9.5折）浅") == true)
        #expect(error?.message(.zh).contains("允许：≤ 950（9.5折）") == true)
        #expect(error?.message(.en).contains("allowed: ≤ 950 (95% of price)") == true)
        #expect(try shop.publishedCount() == 1)
    }

    @Test func raisingAPublishedThresholdIsRefused() throws {
        let shop = try TierShop([("b1", 600)]); defer { shop.cleanup() }
        try shop.publish(standardLadder)
        try TierService.editDraft(shop.store) { $0[1].threshold = 200_00 }
        let error = tierError { try TierService.publish(shop.store, reviewed: try TierService.preview(shop.store), confirmFloor: false) }
        guard case .blocked(let vs)? = error else { Issue.record("expected blocked"); return }
        #expect(vs.map(\.rule) == [.publishedThresholdRaised])
        #expect(vs[0].tier?.level == 1 && vs[0].allowed == .atMost(.threshold(100_00, .amount)))
        #expect(error?.message(.en).contains("allowed: ≤ ¥100.00") == true)
    }

    @Test func disablingATierWithMembersIsRefusedButAnEmptyTopTierMayGo() throws {
        let shop = try TierShop([("b1", 600)]); defer { shop.cleanup() }
        try shop.publish(standardLadder)   // b1 at level 2, nobody at 3
        try TierService.editDraft(shop.store) { $0[2].enabled = false; $0[3].enabled = false }
        let error = tierError { try TierService.publish(shop.store, reviewed: try TierService.preview(shop.store), confirmFloor: false) }
        guard case .blocked(let vs)? = error else { Issue.record("expected blocked"); return }
        #expect(vs.map(\.rule) == [.publishedTierDisabledWithMembers] && vs[0].memberCount == 1 && vs[0].tier?.level == 2)
        try TierService.editDraft(shop.store) { $0[2].enabled = true }
        let ok = try TierService.publish(shop.store, reviewed: try TierService.preview(shop.store), confirmFloor: false)
        #expect(ok.version == 2)
        #expect(try TierService.live(shop.store)?.ladder[3].enabled == false)
    }

    @Test func crossingTheDistributorFloorNeedsTheSecondConfirmation() throws {
        let shop = try TierShop([("b1", 600)]); defer { shop.cleanup() }
        try TierService.saveDraft(shop.store, makeLadder([(100, 980), (500, 900)], floor: 950))
        let preview = try TierService.preview(shop.store)
        #expect(preview.review.canPublish && preview.review.needsSecondConfirmation)
        let error = tierError { try TierService.publish(shop.store, reviewed: preview, confirmFloor: false) }
        guard case .belowFloorNeedsConfirmation(let ws)? = error else { Issue.record("expected floor"); return }
        #expect(ws.map { $0.tier?.level } == [2])
        #expect(error?.message(.zh).contains("低于分销价保护950") == true)
        #expect(try shop.publishedCount() == 0 && shop.tier("b1") == 0)
        try TierService.publish(shop.store, reviewed: preview, confirmFloor: true)
        #expect(try shop.tier("b1") == 2)
        #expect(try shop.audit("tiers.publish").first?.reason == "confirmed below the distributor floor")
    }

    @Test func staffMayPreviewButNotEditPublishOrChangeMembers() throws {
        let shop = try TierShop([("b1", 600)]); defer { shop.cleanup() }
        try TierService.saveDraft(shop.store, standardLadder)
        let staff = try shop.session("kefu", role: "staff")
        let preview = try TierService.preview(staff)
        #expect(tierError { try TierService.editDraft(staff) { $0[1].discount = 990 } } == .notPermitted(.init(role: .staff, action: .editTiers)))
        let refused = tierError { try TierService.publish(staff, reviewed: preview, confirmFloor: true) }
        #expect(refused == .notPermitted(.init(role: .staff, action: .publishTiers)))
        #expect(refused?.message(.zh) == "只有店主可以发布等级")
        #expect(tierError { try MemberTierAdmin.setTier(staff, member: "b1", to: 0, reason: "x") } == .notPermitted(.init(role: .staff, action: .manualTierChange)))
        #expect(tierError { try MemberTierAdmin.setBlacklist(staff, member: "b1", on: true, reason: "x") } == .notPermitted(.init(role: .staff, action: .blacklist)))
        #expect(try shop.publishedCount() == 0)
        // A user the store does not know is told how to get added.
        let stranger = try shop.session("nobody")
        #expect(throws: StoreError.self) { try TierService.preview(stranger) }
    }

    @Test func aPublishBasedOnAnOlderLiveVersionIsRefused() throws {
        let shop = try TierShop([("b1", 150), ("b2", 600)]); defer { shop.cleanup() }
        try shop.publish(standardLadder)
        let a = shop.store
        let b = try shop.session("owner2", role: "owner")
        try TierService.editDraft(a) { $0[1].discount = 970 }
        let previewA = try TierService.preview(a)       // based on v1
        try TierService.editDraft(b) { $0[1].discount = 960 }
        try TierService.publish(b, reviewed: try TierService.preview(b), confirmFloor: false)   // v2
        let error = tierError { try TierService.publish(a, reviewed: previewA, confirmFloor: false) }
        guard case .stalePublish(let expected, let live)? = error else { Issue.record("expected stale, got \(String(describing: error))"); return }
        #expect(expected == 1 && live?.version == 2 && live?.publishedBy == "owner2")
        #expect(error?.message(.en).contains("based on v1, v2 is live now (published by owner2") == true)
        #expect(try TierService.live(a)?.ladder[1].discount == 960)
    }

    @Test func aDraftEditedByAnotherSessionAfterThePreviewIsNotPublishedUnseen() throws {
        let shop = try TierShop([("b1", 150)]); defer { shop.cleanup() }
        try TierService.saveDraft(shop.store, standardLadder)
        let preview = try TierService.preview(shop.store)
        let b = try shop.session("owner2", role: "owner")
        try TierService.editDraft(b) { $0[1].discount = 900 }
        let error = tierError { try TierService.publish(shop.store, reviewed: preview, confirmFloor: true) }
        guard case .draftChanged(let by, _)? = error else { Issue.record("expected draftChanged"); return }
        #expect(by == "owner2")
        #expect(try shop.publishedCount() == 0)
    }

    @Test func aFailureAfterTheUpgradeStepRollsTheWholePublishBack() throws {
        let shop = try TierShop([("b1", 150), ("b2", 600)]); defer { shop.cleanup() }
        try shop.publish(makeLadder([(100, 980), (1000, 950)]))
        #expect(try shop.tiers() == ["b1": 1, "b2": 1])
        try TierService.editDraft(shop.store) { $0[2].threshold = 500_00 }
        let draftBefore = try TierService.draft(shop.store)
        let auditBefore = try shop.store.pool.read { try Audit.recent($0) }
        struct Crash: Error {}
        var upgradedInside = -1
        #expect(throws: Crash.self) {
            try TierService.publish(shop.store, expectedDraft: nil, expectedLiveVersion: 1, confirmFloor: false) { db in
                upgradedInside = try Int.fetchOne(db, sql: "SELECT tier FROM member WHERE buyer_id = 'b2'") ?? -1
                throw Crash()
            }
        }
        #expect(upgradedInside == 2)   // the upgrade had happened inside the transaction…
        #expect(try shop.tiers() == ["b1": 1, "b2": 1])   // …and is gone with it
        #expect(try TierService.live(shop.store)?.version == 1)
        #expect(try TierService.draft(shop.store) == draftBefore)
        #expect(try shop.store.pool.read { try Audit.recent($0) } == auditBefore)
    }

    @Test func previewShowsTheDiffAndPricesDeeperDiscountsOverTheLast30Days() throws {
        var shop = try TierShop([("b1", 100), ("b2", 40)], day: "2026-01-01"); defer { shop.cleanup() }
        try shop.importOrders([("b1", 150), ("b2", 80)], day: "2026-03-01")   // inside (Feb 8, Mar 10]
        try shop.publish(standardLadder)                                      // b1 (250) at 1, b2 (120) at 1
        try TierService.editDraft(shop.store) { $0[1].discount = 970; $0[2].threshold = 200_00 }
        let p = try TierService.preview(shop.store, asOf: Day.parse("2026-03-10")!)
        #expect(p.changes == [
            TierChange(level: 1, tierName: "普通会员", field: .discount, from: .discount(980), to: .discount(970)),
            TierChange(level: 2, tierName: "高级会员", field: .threshold, from: .threshold(500_00, .amount), to: .threshold(200_00, .amount)),
        ])
        #expect(p.membersPerLevel == [0, 2, 0, 0, 0])
        #expect(p.impact.movesUp == [0, 0, 1, 0, 0])
        // b1 moves 980 → 950 on 150 recent yuan; b2 stays at 1, 980 → 970 on 80 recent yuan. Old orders are out.
        #expect(p.impact.deepenedMembers == 2)
        #expect(p.impact.costFen == 150_00 * 30 / 1000 + 80_00 * 10 / 1000)
        #expect(p.liveVersion == 1 && p.hasChanges && p.review.canPublish)
    }

    @Test func publishingTheLiveLadderAgainHasNothingToPublish() throws {
        let shop = try TierShop([]); defer { shop.cleanup() }
        try shop.publish(standardLadder)
        let error = tierError { try TierService.publish(shop.store, reviewed: try TierService.preview(shop.store), confirmFloor: false) }
        #expect(error == .nothingToPublish(version: 1))
    }

    @Test func invalidDraftsAreSavedWithTheirViolationsButNeverPublished() throws {
        let shop = try TierShop([]); defer { shop.cleanup() }
        let saved = try TierService.editDraft(shop.store) { l in
            l = standardLadder
            l[2].threshold = 50_00   // below level 1
        }
        #expect(saved.draft.isSaved && saved.review.blocking.map(\.rule) == [.thresholdNotIncreasing])
        let error = tierError { try TierService.publish(shop.store, reviewed: try TierService.preview(shop.store), confirmFloor: true) }
        guard case .blocked(let vs)? = error else { Issue.record("expected blocked"); return }
        #expect(vs[0].field == .threshold && vs[0].allowed == .above(.threshold(100_00, .amount)))
        #expect(try shop.publishedCount() == 0)
    }
}
