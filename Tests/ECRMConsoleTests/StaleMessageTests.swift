import Foundation
import GRDB
import Testing
import TerminalKit
@testable import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// Issue 17, 3: a message about an earlier query does not outlive it.
@Suite struct StaleMessageTests {
    @Test func aFullPhoneTypedDigitByDigitLeavesNoStaleNoMatchMessage() throws {
        let store = try makeDemoStore()
        let phone = try store.pool.read { db in try String.fetchOne(db, sql: "SELECT phone FROM member WHERE id = 5")! }
        let h = Harness(store: store)
        h.keys("/")
        for c in phone {
            h.type(String(c))
            #expect(h.pump { !h.app.search.pending })
        }
        h.keys("Enter")
        #expect(h.pump { h.app.topView is MemberCardView })
        let bottom = h.screen().line(23)
        #expect(!bottom.contains("没有匹配"), "stale: \(bottom)")
    }

    /// A message longer than the bottom row is shown whole over two rows, not cut with "…".
    @Test func aLongMessageIsShownWhole() throws {
        let h = Harness(store: try makeDemoStore())
        let long = "已导出 12,345 位会员到 /home/shop/exports/2026-11/ecrm-重要价值客户-2026-11-20-第二批-给客服组.csv（明文手机号，已记入审计）"
        h.app.show(long, .success)
        let g = h.screen()
        let shown = (g.line(22) + g.line(23)).replacingOccurrences(of: " ", with: "")
        #expect(shown.contains(long.replacingOccurrences(of: " ", with: "")), "\(g.line(22))\n\(g.line(23))")
    }
}
