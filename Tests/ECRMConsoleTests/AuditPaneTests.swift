import Testing
import GRDB
import TerminalKit
@testable import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// The Audit pane reaches every entry of a long log and says how many there are.
@Suite struct AuditPaneTests {
    @Test func theAuditPaneCountsAndReachesEveryEntry() throws {
        let store = try makeDemoStore(members: 50)
        // More entries than any single read would hold; the oldest is the one to reach.
        try store.pool.write { db in
            for i in 0..<1_200 {
                try db.execute(sql: "INSERT INTO audit(at, operator, action, target) VALUES ('2026-01-01 00:00:00', 'alice', 'tag.create', ?)",
                               arguments: ["批量\(i)"])
            }
        }
        let total = try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit")! }
        #expect(total > 1_200)
        let h = Harness(store: store)
        h.keys("5")
        let view = try #require(h.app.topView as? AuditView)
        #expect(view.position == "1/\(SegmentsView.count(total))")
        h.keys("G")
        #expect(view.position == "\(SegmentsView.count(total))/\(SegmentsView.count(total))")
        // The bottom rows are the oldest entries, not the 500th newest.
        let text = h.screen().text()
        #expect(text.contains("批量0") && !text.contains("批量700"), "\(text)")
    }

    /// `/` in the Audit pane filters the log (it is not a member search); empty shows it all again.
    @Test func slashFiltersTheAuditLog() throws {
        let store = try makeDemoStore(members: 50)
        try store.pool.write { db in
            for i in 0..<800 {
                try db.execute(sql: "INSERT INTO audit(at, operator, action, target) VALUES ('2026-01-01 00:00:00', 'alice', 'tag.create', ?)",
                               arguments: ["批量\(i)"])
            }
        }
        let h = Harness(store: store)
        h.keys("5", "/")
        h.type("批量7")
        h.keys("Enter")
        let view = try #require(h.app.topView as? AuditView)
        // 批量7, 批量70…79, 批量700…799.
        #expect(view.position == "1/111")
        #expect(h.screen().text().contains("筛选「批量7」111条"))
        #expect(!(h.app.topView is MemberListView))
        h.keys("/", "BS", "BS", "BS", "Enter")
        #expect(view.filter == nil && view.count > 800)
    }
}

/// Issue 17: on a card at 80 columns the hint bar still says how to get help or go back.
@Suite struct CardHintBarTests {
    @Test func theCardHintBarKeepsHelpOrBack() throws {
        let store = try makeDemoStore(members: 50)
        for lang in [MessageLanguage.zh, .en] {
            let h = Harness(store: store, role: .owner, language: lang)
            h.keys("Enter")
            #expect(h.app.topView is MemberCardView)
            let bar = h.screen(80, 24).line(23)
            let (help, back) = lang == .zh ? ("? 帮助", "q 返回") : ("? help", "q back")
            #expect(bar.contains(help) || bar.contains(back), "\(bar)")
        }
    }
}
