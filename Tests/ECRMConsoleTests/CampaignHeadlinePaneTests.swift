import Foundation
import Testing
import TerminalKit
import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// Issue 20: the Campaigns pane's uplift column is current without opening each campaign: it opens
/// with the remembered headlines at once and replaces the stale ones (never computed, or computed
/// before an import) when their recomputation arrives.
@Suite(.serialized) struct CampaignHeadlinePaneTests {
    @Test func headlinesFollowAnImportWithoutOpeningTheCampaign() throws {
        let store = try makeDemoStore()
        let svc = CampaignService(store: store)
        _ = try svc.create(CampaignDraft(name: "十一月", holdoutBasisPoints: 5_000, start: pinnedDay.adding(days: -5), windowDays: 30),
                           target: [.tier(1)], seed: 5, today: pinnedDay)
        let h = Harness(store: store)
        h.keys("6")
        let pane = try #require(h.app.topView as? CampaignsView)
        // Never looked at: the headline arrives by itself.
        #expect(h.pump { pane.campaigns.first?.headlineCurrent == true })
        let first = try svc.report("十一月", today: pinnedDay)
        #expect(pane.campaigns[0].headlineUplift == first.effect.uplift)
        #expect(h.screen().text().contains(CampaignFormat.points(first.effect.uplift)))

        // Every treatment member buys inside the window (another session's import).
        let treated = try svc.members("十一月").members.filter { $0.group == .treatment }.map(\.buyerId)
        var csv = "order_id,buyer_id,paid_at,amount,status\n"
        for (i, b) in treated.enumerated() { csv += "\(880_000 + i),\(b),\(pinnedDay.adding(days: -2)) 10:00:00,30,paid\n" }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ecrm-headline-\(UUID().uuidString).csv").path
        try Data(csv.utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        _ = try Importer(store: store).run(.orders, path: file)

        // Back to the pane (from another one): the new uplift, without Enter.
        h.keys("1", "6")
        #expect(h.pump { pane.campaigns.first?.headlineCurrent == true && pane.campaigns[0].headlineUplift != first.effect.uplift })
        let after = try svc.report("十一月", today: pinnedDay)
        #expect(after.treatment.rate == 1)
        #expect(pane.campaigns[0].headlineUplift == after.effect.uplift)
        #expect(h.screen().text().contains(CampaignFormat.points(after.effect.uplift)))
    }
}
