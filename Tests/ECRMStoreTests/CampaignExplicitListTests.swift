import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// An explicit list (a search result, a saved list file, the whole store) as a campaign target:
/// its members once each, those no longer in the store left out, short lists and long ones alike.
@Suite("Campaign on an explicit list")
struct CampaignExplicitListTests {
    @Test("duplicates count once, ids that are not members are left out, the definition keeps no ids")
    func shortList() throws {
        let shop = try CampaignShop(); defer { shop.cleanup() }
        let ids = try shop.ids()
        let chosen = ["m01", "m02", "m03", "m04", "m05", "m06"].map { ids[$0]! }
        let made = try CampaignService(store: shop.store).create(CampaignDraft(name: "名单", holdoutBasisPoints: 5_000, start: CampaignShop.start),
                                                                 target: [.ids(chosen + [chosen[0], 999_999])], seed: 1, today: CampaignShop.start)
        #expect(made.info.targetSize == 6)
        #expect(try CampaignService(store: shop.store).members("名单").members.map(\.memberId) == chosen.sorted())
        #expect(made.info.targetText == "listed members")
        #expect(made.info.target == [.ids([])])
    }

    @Test("a long list (the ordered pass) gives the same members as the short way")
    func longList() throws {
        #expect(CampaignTarget.intersect([1, 3, 5, 7], [2, 3, 4, 5, 6]) == [3, 5])
        let shop = try CampaignShop(); defer { shop.cleanup() }
        let all = try shop.store.pool.read { try Int64.fetchAll($0, sql: "SELECT id FROM member ORDER BY id") }
        // 25,000 ids of which only the store's 40 exist.
        let long = Array(Set(all + (1...25_000).map { Int64(1_000_000 + $0) })).sorted()
        let found = try shop.store.pool.read { try CampaignTarget.existing($0, long) }
        #expect(found == all)
        let short = try shop.store.pool.read { try CampaignTarget.existing($0, Array(long.prefix(100))) }
        #expect(short == all)
    }
}
