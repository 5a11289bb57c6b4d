import Foundation
import GRDB
import Testing
import TerminalKit
@testable import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// Publishing from the console, driven by keys on a real store: refusals change nothing,
/// the typed word is required, the floor needs a second word, and a stale preview is redone.
@Suite(.serialized) struct TierPublishTests {
    let h: Harness
    init() throws { h = Harness(store: try GoldenFixture.make()) }

    var versions: Int { (try? h.store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM tier_publish") }) ?? -1 }
    var memberTiers: [Int] { (try? h.store.pool.read { db in try Int.fetchAll(db, sql: "SELECT tier FROM member ORDER BY id") }) ?? [] }

    func openPreview() {
        h.keys("4", "p")
        #expect(h.pump { !h.screen().text().contains("计算中") })
    }

    var preview: TierPreviewView? { h.app.panes[3].last as? TierPreviewView }

    /// A shallower discount for a published tier, typed in edit mode: saved to the draft (to keep
    /// editing) but refused on publish with tier, field, reason and allowed value; nothing changes.
    @Test func publishingAWorseDiscountIsRefusedAndChangesNothing() throws {
        let tiersBefore = memberTiers
        let liveBefore = try TierService.live(h.store)
        h.keys("4", "e", "j", "Tab", "Tab", "Tab", "Enter", "C-u")   // 高级会员 discount
        h.type("960")
        h.keys("Enter")
        #expect(try TierService.draft(h.store).ladder[2].discount == 960)
        h.keys("p")
        #expect(h.pump { !h.screen().text().contains("计算中") })
        h.keys("P")
        #expect(h.app.overlay == nil, "no confirmation is offered for a draft that cannot be published")
        let text = h.screen().text()
        #expect(text.contains("不能发布：高级会员（2级）的折扣960（9.6折）比已发布的950（9.5折）浅"))
        #expect(text.contains("允许：≤ 950（9.5折）"))
        #expect(versions == 1)
        #expect(try TierService.live(h.store) == liveBefore)
        #expect(memberTiers == tiersBefore)
        // The store itself refuses the same draft, with the same words.
        #expect(throws: TierServiceError.self) { try TierService.publish(h.store, expectedLiveVersion: 1, confirmFloor: true) }
        #expect(versions == 1)
    }

    @Test func englishRefusalNamesTierFieldAndAllowedValue() throws {
        let en = Harness(store: h.store, language: .en)
        try TierService.editDraft(h.store) { $0[2].discount = 960 }
        en.keys("4", "p")
        #expect(en.pump { !en.screen().text().contains("computing") })
        en.keys("P")
        #expect(en.screen().text().contains("cannot publish: 高级会员 (level 2) discount 960"))
    }

    @Test func aValidImprovementNeedsTheTypedWord() throws {
        try TierService.editDraft(h.store) { $0[4].discount = 860; $0[1].threshold = 5_000 }
        openPreview()
        h.keys("P")
        #expect(h.app.overlay != nil)
        h.type("yes")
        h.keys("Enter")
        #expect(h.app.overlay != nil, "a wrong word does not publish")
        #expect(h.screen().text().contains("请输入 publish"))
        h.keys("C-u")
        h.type("publish")
        h.keys("Enter")
        #expect(h.app.overlay == nil)
        #expect(h.pump { versions == 2 })
        #expect(h.pump { h.screen().text().contains("已发布 v2") })
        #expect(try TierService.live(h.store)?.ladder[4].discount == 860)
        #expect(h.app.panes[3].count == 1, "back on the pane after publishing")
        // The pane was left for the preview before its member counts came: back on screen, its
        // subscription brings them (the ladder shows with its counts).
        #expect(h.pump { h.screen().text().contains("黑名单") })
        let pane = h.screen().text()
        #expect(pane.contains("已发布 v2"))
        #expect(pane.contains("8.6折 (860)"))
    }

    @Test func cancellingTheConfirmationPublishesNothing() throws {
        try TierService.editDraft(h.store) { $0[4].discount = 860 }
        openPreview()
        h.keys("P")
        h.type("publish")
        h.keys("Esc")
        #expect(h.app.overlay == nil)
        #expect(versions == 1)
        // Had Esc published, the same draft would now have nothing to publish (or land as v3):
        // confirming it properly must make it v2.
        openPreview()
        h.keys("P")
        h.type("publish")
        h.keys("Enter")
        #expect(h.pump { versions == 2 })
        #expect(h.pump { h.screen().text().contains("已发布 v2") }, "the cancelled confirmation published nothing")
        #expect(versions == 2)
    }

    @Test func belowTheFloorNeedsASecondWord() throws {
        try TierService.editDraft(h.store) { $0[4].discount = 840 }   // floor 850
        openPreview()
        #expect(h.screen().text().contains("分销价保护"))
        h.keys("P")
        h.type("publish")
        h.keys("Enter")
        #expect(h.pump { h.screen().text().contains("输入 below-floor") })
        #expect(versions == 1)
        h.type("below-floor")
        h.keys("Enter")
        #expect(h.pump { versions == 2 })
        #expect(try TierService.live(h.store)?.ladder[4].discount == 840)
    }

    /// Someone else publishes between the preview and the confirmation: the console explains and
    /// recomputes the preview instead of publishing over them.
    @Test func aStalePublishIsExplainedAndThePreviewRefreshed() throws {
        try TierService.editDraft(h.store) { $0[4].discount = 860 }
        openPreview()
        let other = try Store(path: h.store.path, operatorName: "alice")
        try TierService.publish(other, expectedLiveVersion: 1, confirmFloor: false)   // v2, same draft
        h.keys("P")
        h.type("publish")
        h.keys("Enter")
        #expect(h.pump { h.screen().text().contains("等级已被他人更新") })
        #expect(versions == 2)
        #expect(h.pump { h.screen().text().contains("已发布 v2 · alice") }, "the preview is recomputed against v2")
    }

    @Test func historyListsVersionsAndOpensOne() throws {
        try TierService.editDraft(h.store) { $0[4].discount = 860 }
        try TierService.publish(h.store, expectedLiveVersion: 1, confirmFloor: false)
        h.keys("4", "v")
        let list = h.screen().text()
        #expect(list.contains("v2 生效"))
        #expect(list.contains("v1"))
        h.keys("j", "Enter")
        let v1 = h.screen().text()
        #expect(v1.contains("v1 · alice"))
        #expect(v1.contains("8.8折 (880)"))
    }

    @Test func staffSeeTheLadderReadOnly() throws {
        let staff = Harness(store: h.store, role: .staff)
        staff.keys("4")
        #expect(staff.pump { staff.screen().text().contains("黑名单") })
        #expect(staff.screen().text().contains("只读：只有店主可以编辑等级"))
        staff.keys("e")
        #expect(staff.app.panes[3].count == 1)
        #expect(staff.screen().line(23).hasPrefix("只有店主可以编辑等级"))
        // Staff may look at the preview but not publish it.
        staff.keys("p")
        #expect(staff.pump { !staff.screen().text().contains("计算中") })
        staff.keys("P")
        #expect(staff.app.overlay == nil)
        #expect(staff.screen().line(23).contains("店主"))
    }

    @Test func togglesAndTypedFieldsSaveOneFieldAtATime() throws {
        h.keys("4", "e", "k")                 // ladder row: metric
        h.keys("Tab", "Enter", "C-u")         // floor
        h.type("8.6")                         // 折 accepted too
        h.keys("Enter")
        #expect(try TierService.draft(h.store).distributorFloor == 860)
        h.keys("j", "Enter")                  // level 1, same column: enabled → off
        #expect(try TierService.draft(h.store).ladder[1].enabled == false)
        #expect(h.screen().text().contains("启用的等级必须从1级起连续"))
        h.keys("Enter")
        #expect(try TierService.draft(h.store).ladder[1].enabled == true)
        h.keys("Tab", "Enter", "C-u")         // threshold of level 1
        h.type("abc")
        h.keys("Enter")
        #expect(h.app.overlay != nil, "not a number: the form stays open")
        h.keys("Esc")
        #expect(try TierService.draft(h.store).ladder[1].threshold == 10_000)
    }
}

extension TierDraft {
    var distributorFloor: Int? { ladder.distributorFloor }
}
