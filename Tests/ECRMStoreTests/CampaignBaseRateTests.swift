import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// p₀ (the base repurchase rate behind the smallest detectable uplift) is read from the RFM
/// computation a segment target has just made, instead of a second pass over the stats: both
/// ways give the same number.
@Suite("Campaign base rate from the target's RFM computation")
struct CampaignBaseRateTests {
    @Test("random histories: the computation's p₀ equals the scanned one for several starts and windows")
    func sameEitherWay() throws {
        let shop = try CampaignShop(); defer { shop.cleanup() }
        var rng = SplitMix64(seed: 99)
        var orders = "order_id,buyer_id,paid_at,amount,status\n"
        for k in 0..<300 {
            let b = String(format: "m%02d", 1 + Int(rng.next() % 40))
            let day = CampaignShop.start.adding(days: Int(rng.next() % 400) - 350)
            orders += "\(5000 + k),\(b),\(day) 08:00:00,\(1 + rng.next() % 90),\(k % 9 == 0 ? "refunded" : "paid")\n"
        }
        _ = try Importer(store: shop.store).run(.orders, path: try shop.t.file("h.csv", orders))
        var checked = 0
        for (start, window) in [(CampaignShop.start, 30), (CampaignShop.start.adding(days: -100), 7), (CampaignShop.start.adding(days: -20), 90), (CampaignShop.start, 365)] {
            let scanned = try shop.store.pool.read { try CampaignOutcome.baseRate($0, start: start, windowDays: window) }
            let computed = try shop.store.pool.read { db in
                let c = try RFMEngine.compute(db, settings: try RFMEngine.loadConfig(db).settings(asOf: start.adding(days: -1)))
                return CampaignOutcome.baseRate(c, start: start, windowDays: window)
            }
            #expect(scanned == computed, "start \(start) window \(window)")
            if let s = scanned, s > 0, s < 1 { checked += 1 }
        }
        #expect(checked >= 3, "the histories should give rates strictly between 0 and 1")
    }

    @Test("a campaign on a segment and one on a tier, same start and window, record the same p₀")
    func createRecordsIt() throws {
        let shop = try CampaignShop(); defer { shop.cleanup() }
        let svc = CampaignService(store: shop.store)
        let bySegment = try svc.create(CampaignDraft(name: "seg", holdoutBasisPoints: 2_000, start: CampaignShop.start),
                                       target: [.lifecycle(.sleeping)], seed: 1, today: CampaignShop.start)
        let byTier = try svc.create(CampaignDraft(name: "tier", holdoutBasisPoints: 2_000, start: CampaignShop.start),
                                    target: [.tier(0)], seed: 1, today: CampaignShop.start)
        #expect(bySegment.info.baseRate == 0.25 && byTier.info.baseRate == 0.25)
    }
}
