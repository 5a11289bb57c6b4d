import Foundation
import Testing
import GRDB
import TerminalKit
@testable import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// The Audit pane reads the log once when it opens, on reload and when it comes back on screen:
/// the change-feed subscription's first value (the count and the rows shown), taken before the
/// first frame (PaneWatch.startAndLoad), not a count of its own, a page read by the first frame
/// and the subscription's first read as well.
@Suite struct AuditPaneLoadOnceTests {
    func shop() throws -> Store {
        let store = try makeDemoStore(members: 50)
        try store.pool.write { db in
            for i in 0..<250 {
                try db.execute(sql: "INSERT INTO audit(at, operator, action, target) VALUES ('2026-01-01 00:00:00', 'alice', 'tag.create', ?)",
                               arguments: ["批量\(i)"])
            }
        }
        return store
    }

    @Test func theAuditPaneReadsOnceWhenItOpensOnReloadAndOnReturn() throws {
        let store = try shop()
        let total = try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit")! }
        let h = Harness(store: store)
        _ = h.screen()
        PaneLoadOnceTests().settle(h)
        var before = store.reads.value
        h.keys("5")
        let view = try #require(h.app.topView as? AuditView)
        // The first frame already shows the newest entries and the count.
        #expect(view.count == total)
        #expect(h.screen().text().contains("批量249"))
        PaneLoadOnceTests().settle(h)
        #expect(store.reads.value - before == 1, "opening the Audit pane read \(store.reads.value - before) times")

        let reloadReads = h.readsAfterFrame(store) { h.keys("C-r") }
        #expect(reloadReads == 1, "a reload read \(reloadReads) times")
        #expect(view.count == total)

        h.keys("1")
        _ = h.screen()
        PaneLoadOnceTests().settle(h)
        before = store.reads.value
        h.keys("5")
        #expect(h.app.topView === view)
        _ = h.screen()
        PaneLoadOnceTests().settle(h)
        #expect(store.reads.value - before == 1, "back on the Audit pane: \(store.reads.value - before) reads")
        #expect(view.count == total)
        // Scrolling past the rows read with the count still reads the older entries.
        h.keys("G")
        #expect(h.screen().text().contains("批量0"))
    }
}
