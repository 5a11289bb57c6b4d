import Foundation
import Testing
import GRDB
import TerminalKit
@testable import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// Issue 20: `C` takes the list the user is looking at, whichever it is: the whole store (the
/// Members pane) and the birthday list (where C was offered but did nothing) too.
@Suite(.serialized) struct CampaignFromEveryListTests {
    func create(_ h: Harness, name: String) throws -> CampaignDetailView {
        h.keys("C")
        guard case .form = h.app.overlay else { Issue.record("no create form: \(h.screen().text())"); throw CancellationError() }
        h.type(name)
        h.keys("Enter", "Enter", "Enter", "Enter", "Enter")
        #expect(h.app.overlay == nil, "\(h.screen().text())")
        return try #require(h.app.topView as? CampaignDetailView, "\(h.screen().text())")
    }

    func notBlacklisted(_ store: Store, _ ids: [Int64]) throws -> Set<Int64> {
        let black = Set(try store.pool.read { try Int64.fetchAll($0, sql: "SELECT id FROM member WHERE status = 'blacklist'") })
        return Set(ids).subtracting(black)
    }

    @Test func theWholeStore() throws {
        let store = try makeDemoStore()
        let h = Harness(store: store)
        h.keys("1")
        let detail = try create(h, name: "全店")
        let all = try store.pool.read { try Int64.fetchAll($0, sql: "SELECT id FROM member") }
        let frozen = try CampaignService(store: store).members("全店").members.map(\.memberId)
        #expect(Set(frozen) == (try notBlacklisted(store, all)))
        #expect(detail.info.targetSize == frozen.count)
        // The definition keeps no copy of 300 ids (the frozen members are the list).
        let stored = try store.pool.read { try String.fetchOne($0, sql: "SELECT target FROM campaign WHERE name = '全店'") }
        #expect(stored == #"[{"members":[]}]"#)
        #expect(h.screen().text().contains("选定会员"))
    }

    @Test func theBirthdayList() throws {
        let store = try makeDemoStore()
        let expected = try store.pool.read { try Birthdays.upcoming($0, from: pinnedDay, days: 7) }.map(\.memberId)
        #expect(expected.count >= 2, "the demo shop should have birthdays that week")
        let h = Harness(store: store)
        h.keys("2", "b")
        let birthdays = try #require(h.app.topView as? BirthdaysView)
        #expect(h.pump { birthdays.position.map { $0.hasSuffix("/\(expected.count)") } == true })
        h.keys("C")
        guard case .form = h.app.overlay else { Issue.record("C on the birthday list opened no form: \(h.screen().text())"); return }
        // A half holdout (the list is a handful of members): name, then the holdout field's "10" → "50".
        h.type("生日关怀")
        h.keys("Enter", "BS", "BS")
        h.type("50")
        h.keys("Enter", "Enter", "Enter", "Enter")
        #expect(h.app.overlay == nil, "\(h.screen().text())")
        let frozen = try CampaignService(store: store).members("生日关怀").members.map(\.memberId)
        #expect(Set(frozen) == (try notBlacklisted(store, expected)))
    }
}
