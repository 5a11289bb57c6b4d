import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// Drill-down lists of RFM sets page through member_rfm's indexes; paging through every set must
/// give every member exactly once, newest buyer (as of the computation) first, ties by id.
@Suite struct RFMListPageTests {
    @Test func indexedPagesListEveryMemberOnceInRecencyOrder() throws {
        let t = try TempStore(); defer { t.cleanup() }
        let asOf = Day.parse("2026-11-20")!
        _ = try DemoShop(members: 1500, seed: 5, endDay: asOf).generate(into: t.store)
        let c = try RFMEngine.recompute(t.store, settings: RFMSettings(asOf: asOf))
        #expect(c.memberCount == 1500)
        let sets: [MemberSet] = Segment.allCases.map { .segment($0) } + Lifecycle.allCases.map { .lifecycle($0) }
            + [.grid(r: 5, f: 5), .grid(r: 1, f: 1), .grid(r: 3, f: 2)]
        // The order a person expects, computed independently from the stored stats.
        let lastDay = try t.store.pool.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT member_id, last_paid FROM member_stats").map {
                ($0[0] as Int64, Day(number: $0[1] as Int32).description)
            })
        }
        do {
            for set in sets {
                let pager = try MemberPager(store: t.store, sort: .recency, set: set, pageSize: 7)
                #expect(pager.canSort, "\(set) pages by the index")
                let paged = (0..<pager.count).compactMap { pager.row(at: $0)?.id }
                let members = try MemberSets.allIds(t.store, set)
                let expected = members.sorted { a, b in
                    let ka = lastDay[a] ?? "", kb = lastDay[b] ?? ""
                    return ka != kb ? ka > kb : a > b
                }
                #expect(paged == expected, "\(set)")
            }
        }
    }
}
