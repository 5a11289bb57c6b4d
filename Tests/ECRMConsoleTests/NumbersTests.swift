import Foundation
import Testing
import TerminalKit
import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// Issue 17, 10: a future as-of refused; the month not over yet marked; a result not replaced
/// by a background notice.
@Suite(.serialized) struct NumbersTests {
    func segments(_ h: Harness) throws -> SegmentsView {
        h.keys("2")
        let view = try #require(h.app.topView as? SegmentsView)
        h.pump { view.settings != nil }
        return view
    }

    @Test func aFutureAsOfIsRefused() throws {
        let h = Harness(store: try GoldenFixture.make())
        _ = try segments(h)
        h.keys("d", "C-u")
        h.type("2099-01-01")
        h.keys("Enter")
        guard case .form(let f)? = h.app.overlay else { Issue.record("accepted a future day"); return }
        #expect(f.form.fields[0].error?.contains("不能晚于今天") == true)
    }

    @Test func aBackgroundNoticeDoesNotReplaceAResult() throws {
        let h = Harness(store: try GoldenFixture.make())
        h.app.show("已发布 v2：3 名会员升级", .success)
        h.app.show(h.app.labels.cardRefreshed)
        #expect(h.app.toast?.text == "已发布 v2：3 名会员升级")
        h.keys("j")   // a key clears it
        h.app.show(h.app.labels.cardRefreshed)
        #expect(h.app.toast?.text == h.app.labels.cardRefreshed)
    }

    @Test func theCurrentMonthIsMarkedPartialInTheCohortTable() throws {
        let h = Harness(store: try GoldenFixture.make())
        _ = try segments(h)
        h.keys("h")
        #expect(h.pump { h.screen(120, 40).text().contains("M11") })
        let text = h.screen(120, 40).text()
        #expect(text.contains("*本月未过完"))
        let cohortRows = text.split(separator: "\n").filter { $0.contains("2026-") }
        #expect(cohortRows.contains { $0.contains("*") }, "\(text)")
    }
}
