import Foundation
import Testing
import TerminalKit
@testable import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// The duplicates view from the Members pane (`D`): pairs with evidence, a pair side by side with
/// phones masked, merge after the preview and a y/n, dismiss; staff may look, not merge or dismiss.
@Suite struct DuplicatesPaneTests {
    /// Two candidate pairs (same phone; same name and birthday), owned by "alice".
    func shop() throws -> Store {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecrm-dupes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try Store(path: dir.appendingPathComponent("shop.db").path, create: true, operatorName: "alice")
        let members = dir.appendingPathComponent("m.csv").path, orders = dir.appendingPathComponent("o.csv").path
        try Data("""
            buyer_id,nick,name,phone,gender,birthday,province,city
            fang,小芳,王芳,13800000001,F,1990-01-01,浙江,杭州市
            fang2,芳芳,,13800000001,,,,
            wei,阿伟,张伟,13900000002,M,1985-05-05,上海,上海市
            wei2,伟哥,张伟,,M,1985-05-05,,

            """.utf8).write(to: URL(fileURLWithPath: members))
        try Data("order_id,buyer_id,paid_at,amount,status\n11,fang,2026-11-01 10:00:00,300.00,paid\n12,fang2,2026-11-02 10:00:00,800.00,paid\n".utf8)
            .write(to: URL(fileURLWithPath: orders))
        var importer = Importer(store: store)
        importer.today = pinnedDay
        _ = try importer.run([(.members, members), (.orders, orders)])
        return store
    }

    func openPairs(_ h: Harness) throws -> DuplicatesView {
        h.keys("1", "D")
        let view = try #require(h.app.topView as? DuplicatesView)
        #expect(h.pump { view.found != nil })
        return view
    }

    @Test func ownerMergesAPairAfterThePreview() throws {
        let h = Harness(store: try shop(), language: .en)
        let view = try openPairs(h)
        #expect(view.found?.pairs.count == 2)
        let list = h.screen(100, 24).text()
        #expect(list.contains("Duplicate candidates") && list.contains("same phone 138****0001") && !list.contains("13800000001"))
        h.keys("Enter")
        let pair = h.screen(100, 24).text()
        #expect(pair.contains("Stays") && pair.contains("fang2") && pair.contains("138****0001") && !pair.contains("13800000001"))
        h.keys("m")
        let preview = h.screen(100, 24).text()
        #expect(preview.contains("Merge fang2 into fang?") && preview.contains("F 2 · M ¥1,100.00"))
        h.keys("y")
        #expect(h.app.toast?.text == "merged fang2 into fang")
        #expect(h.pump { view.found?.pairs.count == 1 })
        let gone = try h.store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM member WHERE buyer_id = 'fang2'") }
        #expect(gone == 0)
    }

    @Test func ownerDismissesAPairAndItDoesNotComeBack() throws {
        let h = Harness(store: try shop(), language: .zh)
        let view = try openPairs(h)
        h.keys("j", "Enter", "d")
        #expect(h.screen(100, 24).text().contains("不再列出"))
        h.keys("y")
        #expect(h.pump { view.found?.pairs.count == 1 })
        #expect(view.found?.pairs.first?.a.buyerId == "fang")
    }

    @Test func staffMayLookButMergeAndDismissAreRefusedInOneLineAndAudited() throws {
        let store = try shop()
        try store.addOperator("bob", role: "staff")
        let h = Harness(store: try Store(path: store.path, operatorName: "bob"), role: .staff, language: .en)
        _ = try openPairs(h)
        h.keys("Enter")
        #expect(h.screen(100, 24).text().contains("fang2"))
        for (key, action) in [("m", OperatorAction.mergeMembers), ("d", .dismissDuplicate)] {
            h.keys(key)
            #expect(h.app.toast?.text == PermissionRefusal(role: .staff, action: action).message(.en))
            #expect(!(h.app.topView is ConfirmView))
        }
        let refused = try store.pool.read { try Audit.recent($0) }.filter { $0.action == "refused" && $0.operatorName == "bob" }
        #expect(refused.count == 2)
        #expect(try store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM member") } == 4)
    }

    @Test func theKeyIsInTheMembersHintsAndHelp() throws {
        let h = Harness(store: try shop(), language: .en)
        h.keys("1")
        #expect(h.screen(160, 24).text().contains("D dupes"))
        h.keys("?")
        #expect(h.screen(100, 40).text().contains("Duplicate candidates (compare, merge, dismiss)"))
    }
}

@Suite struct MergeAuditWordsTests {
    @Test func mergeUnmergeAndDismissReadAsSentences() {
        let zh = AuditLabels(zh: true), en = AuditLabels(zh: false)
        #expect(zh.sentence(action: "member.merge", target: "fang ← fang2", before: nil, after: nil, reason: nil) == "把 fang2 合并进 fang")
        #expect(en.sentence(action: "member.unmerge", target: "fang → fang2", before: nil, after: nil, reason: nil) == "unmerged fang2 from fang")
        #expect(en.sentence(action: "duplicates.dismiss", target: "wei wei2", before: nil, after: "dismissed", reason: nil) == "dismissed duplicates: wei and wei2 are two people")
    }
}
