import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

@Suite struct TagQueryTests {
    /// X on a, b; Y on b, c.
    private func shopWithTags() throws -> TagShop {
        let shop = try TagShop()
        let tags = TagService(store: shop.store)
        try tags.create("X"); try tags.create("Y")
        for b in ["a", "b"] { try tags.add("X", memberId: shop.id(b)) }
        for b in ["b", "c"] { try tags.add("Y", memberId: shop.id(b)) }
        return shop
    }

    @Test func allOfAndAnyOfPagedByRecency() throws {
        let shop = try shopWithTags(); defer { shop.cleanup() }
        func page(_ set: MemberSet, _ range: Range<Int> = 0..<100) throws -> [Int64] {
            try MemberPager(store: shop.store, set: set, pageSize: 2).rows(in: range).map(\.id)
        }
        #expect(try page(.tags(["X", "Y"], .all)) == [try shop.id("b")])
        #expect(try MemberSets.count(shop.store, .tags(["X", "Y"], .any)) == 3)
        // Last paid: a 2026-07-15, b 2026-06-20, c 2026-02-01.
        let pager = try MemberPager(store: shop.store, set: .tags(["X", "Y"], .any), pageSize: 2)
        #expect(try shop.buyers(pager.rows(in: 0..<2).map(\.id)) == ["a", "b"])
        #expect(try shop.buyers(pager.rows(in: 2..<4).map(\.id)) == ["c"] && pager.count == 3)
        #expect(try page(.tags(["Y", "Y"], .all)).count == 2)     // a repeated tag counts once
        #expect(throws: StoreError.self) { try page(.tags([], .any)) }
    }

    @Test func exportOfMembersWithAllOfSeveralTags() throws {
        let shop = try shopWithTags(); defer { shop.cleanup() }
        let out = shop.t.dir + "/both.csv"
        let n = try ListExport.export(shop.store, set: .tags(["X", "Y"], .all), to: out, settings: RFMSettings(asOf: TagShop.asOf),
                                      reveal: false, encoding: .utf8)
        #expect(n == 1)
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2 && lines[1].hasPrefix("b,阿乙,张二,138****0002,") && lines[1].hasSuffix(",X|Y,taobao"))
    }
}
