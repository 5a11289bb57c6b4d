import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// The segment figures the Segments pane and `ecrm rfm` show, on a shop whose answer is known by hand.
@Suite struct SegmentFigureTests {
    @Test func countsSharesAveragesLifecycleAndGrid() throws {
        let shop = try TagShop(); defer { shop.cleanup() }
        let summary = try #require(try shop.store.pool.read { try RFMEngine.lastSummary($0) })
        #expect(summary.memberCount == 5 && summary.scoredCount == 3)
        #expect(summary.segments[.importantValue] == .init(count: 1, monetary: 150_000))
        // b 50 + c 600 yuan; average 325 yuan.
        #expect(summary.segments[.generalWinback] == .init(count: 2, monetary: 65_000))
        #expect(summary.segments[.generalWinback]?.averageFen == 32_500)
        #expect(summary.segments[.none]?.count == 2)
        #expect(summary.share(.importantValue) == 0.2 && summary.share(.generalWinback) == 0.4)
        for seg in [Segment.importantDevelop, .importantRetain, .importantWinback, .generalValue, .generalDevelop, .generalRetain] {
            #expect((summary.segments[seg]?.count ?? 0) == 0, "\(seg)")
        }
        // a active (last order today), b new (first order 10 days ago), c sleeping (149 days), d lost, e never bought.
        #expect(summary.lifecycle == [.new: 1, .active: 1, .sleeping: 1, .lost: 1, .none: 1])
        #expect(summary.returningCount == 2)         // a and c
        var grid = Array(repeating: Array(repeating: 0, count: 5), count: 5)
        grid[3][3] = 1   // a: R4 F4
        grid[1][0] = 1   // b: R2 F1
        grid[0][1] = 1   // c: R1 F2
        #expect(summary.grid == grid)
        // What the console reads back from member_rfm agrees with what the recompute reported.
        let stored = try #require(try shop.store.pool.read { try BrowseStats.storedSegmentSummary($0) })
        #expect(stored.segments[.generalWinback] == summary.segments[.generalWinback])
        #expect(stored.lifecycle == summary.lifecycle && stored.grid == summary.grid)
    }

    @Test func memberSetsOnRFMFactsMatchTheFigures() throws {
        let shop = try TagShop(); defer { shop.cleanup() }
        func buyers(_ set: MemberSet) throws -> [String] {
            try shop.buyers(try MemberSets.allIds(shop.store, set)).sorted()
        }
        #expect(try buyers(.segment(.generalWinback)) == ["b", "c"])
        #expect(try buyers(.segment(.importantValue)) == ["a"])
        #expect(try buyers(.grid(r: 2, f: 1)) == ["b"])
        #expect(try buyers(.lifecycle(.sleeping)) == ["c"])
        #expect(try buyers(.region(province: "浙江", city: nil)) == ["a", "b"])
        #expect(try buyers(.region(province: "浙江", city: "宁波")) == ["b"])
        #expect(try buyers(.tier(0)).count == 5)
        #expect(try buyers(.ids([try shop.id("d"), try shop.id("d"), 999_999])) == ["d"])
        #expect(throws: StoreError.self) { try MemberSets.count(shop.store, .grid(r: 6, f: 1)) }
    }

    @Test func freshnessSaysWhenTheStoredComputationIsOld() throws {
        let shop = try TagShop(); defer { shop.cleanup() }
        let f = try shop.store.pool.read { try RFMFreshness.check($0, today: Day.parse("2026-07-02")!) }
        #expect(f.asOf == TagShop.asOf && f.daysBehind == 2 && f.isStale && f.membersNotComputed == 0)
        #expect(f.warning?.contains("2 days ago") == true)
        let same = try shop.store.pool.read { try RFMFreshness.check($0, today: TagShop.asOf) }
        #expect(!same.isStale && same.warning == nil)
        try shop.importOrders("50,newbie,2026-06-30 09:00:00,10,paid\n", name: "n.csv")
        let after = try shop.store.pool.read { try RFMFreshness.check($0, today: TagShop.asOf) }
        #expect(after.membersNotComputed == 1 && after.isStale)
        let never = try TempStore(); defer { never.cleanup() }
        #expect(try never.store.pool.read { try RFMFreshness.check($0) }.warning?.contains("never computed") == true)
    }
}
