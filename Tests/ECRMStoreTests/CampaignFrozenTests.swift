import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// Issue 20, bad input: "A campaign never changes after creation except its status and its tag."
/// Everything else a shop does afterwards — imports, an RFM recompute, a blacklisting, a bulk tag,
/// renaming the campaign's tag, closing it — leaves its definition and its frozen groups as they were.
@Suite("A campaign is frozen at creation")
struct CampaignFrozenTests {
    struct Snapshot: Equatable {
        var definition: [String]
        var members: [String]
    }

    func snapshot(_ store: Store) throws -> Snapshot {
        try store.pool.read { db in
            Snapshot(
                definition: try Row.fetchAll(db, sql: """
                    SELECT id, name, target, target_text, holdout_bp, seed, start_day, window_days, target_size, control_size,
                           quote(base_rate), tag_id, created_at, created_by FROM campaign ORDER BY id
                    """).map { $0.description },
                members: try Row.fetchAll(db, sql: "SELECT campaign_id, member_id, treatment FROM campaign_member ORDER BY 1, 2").map { $0.description })
        }
    }

    @Test("imports, RFM, blacklist, bulk tags, a tag rename and close change only status and tag")
    func nothingElseChangesIt() throws {
        let shop = try CampaignShop(); defer { shop.cleanup() }
        let svc = CampaignService(store: shop.store)
        _ = try svc.create(CampaignDraft(name: "冻结", holdoutBasisPoints: 3_000, start: CampaignShop.start), target: [.lifecycle(.sleeping)],
                           seed: 9, today: CampaignShop.start)
        _ = try svc.create(CampaignDraft(name: "全体", holdoutBasisPoints: 3_000, start: CampaignShop.start), target: [.tier(0)],
                           seed: 9, today: CampaignShop.start)
        let before = try snapshot(shop.store)
        #expect(before.members.count > 40)

        _ = try Importer(store: shop.store).run(.members, path: try shop.t.file("m2.csv", "buyer_id,nick\nnew1,新人\nnew2,新人2\n"))
        _ = try Importer(store: shop.store).run(.orders, path: try shop.t.file("o2.csv", """
            order_id,buyer_id,paid_at,amount,status
            7001,m01,2026-06-03 10:00:00,99,paid
            7002,new1,2026-05-01 10:00:00,50,paid
            7003,m02,2026-05-20 10:00:00,30,paid
            """))
        try RFMEngine.recompute(shop.store, settings: RFMSettings(asOf: CampaignShop.start))
        try shop.store.pool.write { try $0.execute(sql: "UPDATE member SET status = 'blacklist' WHERE buyer_id = 'm03'") }
        _ = try BulkTagger(store: shop.store).apply("老客", to: .tier(0), createIfMissing: true)
        try TagService(store: shop.store).rename("活动:冻结", to: "活动:冻结-改")
        try svc.close("冻结")

        #expect(try snapshot(shop.store) == before)
        let infos = try svc.list()
        #expect(infos.first { $0.name == "冻结" }?.closed == true && infos.first { $0.name == "冻结" }?.tag == "活动:冻结-改")
        #expect(infos.first { $0.name == "全体" }?.closed == false)
        // A second close is refused in one line and changes nothing either.
        #expect(throws: StoreError.self) { try svc.close("冻结") }
        #expect(try snapshot(shop.store) == before)
    }
}
