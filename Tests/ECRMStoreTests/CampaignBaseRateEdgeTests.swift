import Foundation
import Testing
@testable import ECRMStore
import ECRMDomain

/// p₀ at its edges (PRODUCT.md "Campaigns and their effect"): among members whose first paid order
/// is *before* start − window, the share with a paid order in [start − window, start). A member whose
/// first order is on start − window itself is not counted at all (with `first ≤ start − window` it
/// would count, and as a repeater, since that first order is inside the window: Tests/Mutations'
/// campaign-base-rate-first-before-window survived CampaignBaseRateTests, whose shop has no member there).
@Suite("Campaign base rate at the window's edges")
struct CampaignBaseRateEdgeTests {
    @Test("first order on start − window: not counted; the day before: counted; an order on the start day: no repeat")
    func edges() throws {
        let shop = try CampaignShop(); defer { shop.cleanup() }
        // Start 2026-06-01, window 30: start − window = 2026-05-02.
        let members = "buyer_id,nick,name,phone\nedge,边,边界,13900000001\nbefore,前,之前,13900000002\n"
        _ = try Importer(store: shop.store).run(.members, path: try shop.t.file("edge-m.csv", members))
        let orders = """
            order_id,buyer_id,paid_at,amount,status
            900,edge,2026-05-02 09:00:00,10,paid
            901,before,2026-05-01 23:59:00,10,paid
            902,m11,2026-06-01 08:00:00,10,paid

            """
        _ = try Importer(store: shop.store).run(.orders, path: try shop.t.file("edge-o.csv", orders))
        // Eligible: m01…m40 (first 2026-01-10) and `before` (2026-05-01) = 41; `edge` is not.
        // Repeaters: m01…m10 (2026-05-10); m11's order on the start day is outside [05-02, 06-01).
        let expected = 10.0 / 41.0
        let svc = CampaignService(store: shop.store)
        // A tier target: p₀ from the stats scan; a lifecycle target: from the RFM computation as of the day before.
        let byTier = try svc.create(CampaignDraft(name: "tier", holdoutBasisPoints: 2_000, start: CampaignShop.start),
                                    target: [.tier(0)], seed: 1, today: CampaignShop.start)
        let bySegment = try svc.create(CampaignDraft(name: "seg", holdoutBasisPoints: 2_000, start: CampaignShop.start),
                                       target: [.lifecycle(.sleeping)], seed: 1, today: CampaignShop.start)
        #expect(byTier.info.baseRate.map { abs($0 - expected) < 1e-12 } == true, "p₀ \(String(describing: byTier.info.baseRate)), expected 10/41")
        #expect(bySegment.info.baseRate.map { abs($0 - expected) < 1e-12 } == true, "p₀ \(String(describing: bySegment.info.baseRate)), expected 10/41")
    }
}
