import Foundation
import GRDB
import Testing
import TerminalKit
import ECRMStore
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
}
