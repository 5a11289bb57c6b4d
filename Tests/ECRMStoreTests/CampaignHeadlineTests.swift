import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// The campaigns list's headline uplift follows the orders: an import after it was computed makes
/// it stale, and `refreshHeadlines` recomputes exactly what the full outcome reports.
@Suite("Campaign headlines stay current")
struct CampaignHeadlineTests {
    let today = CampaignShop.start.adding(days: 10)

    @Test("an import makes the headline stale; the refresh gives the outcome's own uplift and p-value")
    func importMakesItStale() throws {
        let shop = try CampaignShop(); defer { shop.cleanup() }
        let svc = CampaignService(store: shop.store)
        _ = try svc.create(CampaignDraft(name: "六月", holdoutBasisPoints: 5_000, start: CampaignShop.start), target: [.tier(0)], seed: 3, today: CampaignShop.start)
        // Never computed: not current, no uplift yet.
        var listed = try svc.list()
        #expect(listed.count == 1 && !listed[0].headlineCurrent && listed[0].headlineUplift == nil)
        let before = try svc.report("六月", today: today)
        listed = try svc.list()
        #expect(listed[0].headlineCurrent && listed[0].headlineUplift == before.effect.uplift)

        // Orders in the window for some of the treatment group, one of them a member who also
        // bought before and after the window (only the history can tell).
        let treated = try svc.members("六月").members.filter { $0.group == .treatment }.map(\.buyerId)
        var orders = "order_id,buyer_id,paid_at,amount,status\n"
        for (i, b) in treated.prefix(6).enumerated() { orders += "\(900 + i),\(b),2026-06-05 10:00:00,20,paid\n" }
        let both = treated[7]
        orders += "950,\(both),2026-07-20 10:00:00,5,paid\n951,\(both),2026-06-20 09:00:00,5,paid\n"
        _ = try Importer(store: shop.store).run(.orders, path: try shop.t.file("more.csv", orders))

        listed = try svc.list()
        #expect(!listed[0].headlineCurrent)
        #expect(listed[0].headlineUplift == before.effect.uplift, "the old headline is still shown until recomputed")

        let refreshed = try svc.refreshHeadlines(today: today)
        let after = try svc.report("六月", today: today)
        #expect(after.treatment.responders == 7)
        #expect(refreshed[0].headlineCurrent)
        #expect(refreshed[0].headlineUplift == after.effect.uplift && refreshed[0].headlinePValue == after.effect.pValue)
        #expect(after.effect.uplift != before.effect.uplift)
        // Remembered: the next plain list has it, current.
        listed = try svc.list()
        #expect(listed[0].headlineCurrent && listed[0].headlineUplift == after.effect.uplift)
    }

    @Test("orders outside every window leave the uplift as it was, and the refresh says so")
    func outsideTheWindow() throws {
        let shop = try CampaignShop(); defer { shop.cleanup() }
        let svc = CampaignService(store: shop.store)
        _ = try svc.create(CampaignDraft(name: "a", holdoutBasisPoints: 5_000, start: CampaignShop.start), target: [.tier(0)], seed: 1, today: CampaignShop.start)
        _ = try svc.create(CampaignDraft(name: "b", holdoutBasisPoints: 2_000, start: CampaignShop.start), target: [.tier(0)], seed: 2, today: CampaignShop.start)
        let first = try svc.refreshHeadlines(today: today)
        #expect(first.count == 2, "both campaigns, or the checks below hold over nothing")
        #expect(first.allSatisfy { $0.headlineCurrent })
        _ = try Importer(store: shop.store).run(.orders, path: try shop.t.file("late.csv", "order_id,buyer_id,paid_at,amount,status\n990,m01,2026-09-01 10:00:00,8,paid\n"))
        let stale = try svc.list()
        #expect(stale.allSatisfy { !$0.headlineCurrent })
        let again = try svc.refreshHeadlines(today: today)
        #expect(again.map(\.headlineUplift) == first.map(\.headlineUplift))
        #expect(again.map(\.headlinePValue) == first.map(\.headlinePValue))
    }

    @Test("the headline count agrees with the full outcome on random histories")
    func agreesWithTheOutcome() throws {
        let shop = try CampaignShop(); defer { shop.cleanup() }
        var rng = SplitMix64(seed: 11)
        var orders = "order_id,buyer_id,paid_at,amount,status\n"
        for k in 0..<120 {
            let b = String(format: "m%02d", 1 + Int(rng.next() % 40))
            let day = CampaignShop.start.adding(days: Int(rng.next() % 90) - 40)
            orders += "\(2000 + k),\(b),\(day) 12:00:00,\(rng.next() % 50),paid\n"
        }
        _ = try Importer(store: shop.store).run(.orders, path: try shop.t.file("r.csv", orders))
        let svc = CampaignService(store: shop.store)
        for (i, window) in [1, 7, 30, 45].enumerated() {
            _ = try svc.create(CampaignDraft(name: "w\(window)", holdoutBasisPoints: 3_000, start: CampaignShop.start, windowDays: window),
                               target: [.tier(0)], seed: UInt64(i), today: CampaignShop.start)
        }
        let heads = try svc.refreshHeadlines(today: today)
        for h in heads {
            let r = try svc.report(h.name, today: today)
            #expect(h.headlineUplift == r.effect.uplift && h.headlinePValue == r.effect.pValue, "\(h.name)")
        }
    }
}
