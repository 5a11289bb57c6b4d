import Foundation
import Testing
import TerminalKit
@testable import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// The Campaigns pane (6): list, detail with both groups and the chart, responders → card, create
/// with `C` on a member list, close; staff may look but not create or close.
@Suite(.serialized) struct CampaignPaneTests {
    /// A demo shop (orders up to the pinned day) with an ended campaign on every tier-1 member.
    func shop() throws -> Store {
        let store = try makeDemoStore()
        _ = try CampaignService(store: store).create(CampaignDraft(name: "十月回访", holdoutBasisPoints: 2_000, start: Day.parse("2026-10-01")!, windowDays: 30),
                                                     target: [.tier(1)], seed: 11, today: pinnedDay)
        return store
    }

    func openDetail(_ h: Harness) throws -> CampaignDetailView {
        h.keys("6")
        #expect(h.screen().text().contains("十月回访"))
        h.keys("Enter")
        let detail = try #require(h.app.topView as? CampaignDetailView)
        #expect(h.pump { detail.report != nil })
        return detail
    }

    @Test func detailShowsBothGroupsTheUpliftAndTheChart() throws {
        let h = Harness(store: try shop())
        let detail = try openDetail(h)
        let r = try #require(detail.report)
        let text = h.screen().text()
        for word in ["发送组", "对照组", "回应率", "提升", "95%区间", "增量销售额", "最小可检测提升", "累计提升", "已到期"] {
            #expect(text.contains(word), "\(word) missing")
        }
        #expect(text.contains(CampaignFormat.grouped(r.treatment.members)) && text.contains(CampaignFormat.points(r.effect.uplift)))
        #expect(r.daily.count == 30)
        expectGolden(h.screen(), "campaign-detail-80x24", CampaignGoldens.detail80)
        // The headline is remembered: back in the list it shows the uplift.
        h.keys("q")
        #expect(h.screen().text().contains(CampaignFormat.points(r.effect.uplift)))
        expectGolden(h.screen(), "campaigns-80x24", CampaignGoldens.list80)
    }

    @Test func respondersDrillDownToTheCard() throws {
        let h = Harness(store: try shop())
        let detail = try openDetail(h)
        let responders = try #require(detail.report?.treatmentResponders)
        #expect(!responders.isEmpty)
        h.keys("r")
        let list = try #require(h.app.topView as? MemberListView)
        #expect(list.count == responders.count)
        h.keys("Enter")
        #expect(h.app.topView is MemberCardView)
        h.keys("q", "q", "R")
        let control = try #require(h.app.topView as? MemberListView)
        #expect(control.count == detail.report?.controlResponders.count)
    }

    /// Issue 20: `x` in the detail view writes the send list through the member export's dialog:
    /// the treatment group only, phones masked by default, one `campaign.export` audit row.
    @Test func sendListExportFromTheDetailView() throws {
        let store = try shop()
        let h = Harness(store: store)
        let detail = try openDetail(h)
        let treatment = try #require(detail.report?.treatment.members)
        h.keys("x")
        guard case .form(let f)? = h.app.overlay else { Issue.record("no export form"); return }
        #expect(f.form.fields[0].value.contains("发送名单-十月回访"), "\(f.form.fields[0].value)")
        #expect(f.form.fields.count == 4, "the owner chooses the phone rule")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecrm-send-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("send.csv").path
        h.keys("C-u")
        h.type(path)
        h.keys("Enter", "Enter", "Enter", "Enter")   // BOM, Chinese headers, phones masked
        #expect(h.pump(timeout: 10) { h.app.toast?.kind == .success })
        #expect(h.app.toast?.text.contains("十月回访") == true, "\(h.app.toast?.text ?? "")")
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)).dropFirst(3), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.first?.hasPrefix("买家ID,昵称") == true)
        #expect(lines.count == treatment + 1)
        let ids = Set(lines.dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false)[0]) })
        let groups = try CampaignService(store: store).members("十月回访").members
        #expect(ids == Set(groups.filter { $0.group == .treatment }.map(\.buyerId)))
        #expect(lines.dropFirst().allSatisfy { line in
            let phone = line.split(separator: ",", omittingEmptySubsequences: false)[3]
            return phone.isEmpty || phone.contains("*")
        })
        let audit = try store.pool.read { try Audit.recent($0) }.filter { $0.action == "campaign.export" }
        #expect(audit.count == 1 && audit[0].target == "十月回访" && audit[0].after?.contains("masked") == true)
    }

    @Test func staffExportsTheSendListMasked() throws {
        let store = try shop()
        try store.pool.write { try Operators.add($0, user: "bob", role: "staff", by: "alice") }
        let h = Harness(store: try Store(path: store.path, operatorName: "bob"), role: .staff, language: .en)
        _ = try openDetail(h)
        h.keys("x")
        guard case .form(let f)? = h.app.overlay else { Issue.record("no export form"); return }
        #expect(f.form.fields.count == 3, "no clear phones for staff")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ecrm-send-\(UUID().uuidString).csv").path
        h.keys("C-u")
        h.type(path)
        h.keys("Enter", "Enter", "Enter")
        #expect(h.pump(timeout: 10) { h.app.toast?.kind == .success })
        #expect(h.app.toast?.text.hasPrefix("exported") == true && h.app.toast?.text.contains("treatment members of 十月回访") == true)
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func createFromAMemberListAndClose() throws {
        let store = try makeDemoStore()
        let h = Harness(store: store)
        // (C on the whole store's list creates on every member: CampaignFromEveryListTests.)
        h.keys("2")
        let seg = try #require(h.app.topView as? SegmentsView)
        h.pump { seg.settings != nil }
        h.keys("Enter")
        let list = try #require(h.app.topView as? MemberListView)
        h.keys("C")
        guard case .form = h.app.overlay else { Issue.record("no create form"); return }
        h.type("冬季回访")
        h.keys("Enter", "Enter", "Enter", "Enter", "Enter")   // holdout 10, start = as-of, 30 days, the offered seed
        #expect(h.app.overlay == nil, "\(h.screen().text())")
        let detail = try #require(h.app.topView as? CampaignDetailView)
        #expect(h.app.paneIndex == 5)
        let listed = try MemberSets.allIds(store, list.memberSet(app: h.app))
        #expect(detail.info.targetSize == list.count - (try store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM member WHERE status = 'blacklist' AND id IN (\(listed.map(String.init).joined(separator: ",")))")!
        }))
        #expect(detail.info.tag == "活动:冬季回访")
        h.pump { detail.report != nil }
        #expect(detail.report?.running == true)
        h.keys("c")
        #expect(h.app.topView is ConfirmView)
        h.keys("y")
        #expect(try CampaignService(store: store).list().first?.closed == true)
    }

    @Test func staffLooksButCannotCreateOrClose() throws {
        let store = try shop()
        try store.pool.write { try Operators.add($0, user: "bob", role: "staff", by: "alice") }
        let staffStore = try Store(path: store.path, operatorName: "bob")
        let h = Harness(store: staffStore, role: .staff, language: .en)
        h.keys("6")
        #expect(h.screen().text().contains("十月回访"))
        h.keys("c")
        #expect(h.screen().line(23).hasPrefix("only the owner can create and close campaigns"))
        #expect(!(h.app.topView is ConfirmView))
        h.keys("Enter")
        let detail = try #require(h.app.topView as? CampaignDetailView)
        #expect(h.pump { detail.report != nil })
        let text = h.screen().text()
        #expect(text.contains("treatment") && text.contains("control") && text.contains("uplift") && text.contains("cumulative uplift"))
    }
}
