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
        func page(_ set: MemberSet, after: MemberSetPages.Cursor? = nil, limit: Int = 100) throws -> MemberSetPages.Page {
            try shop.store.pool.read { try MemberSetPages.page($0, set, after: after, limit: limit) }
        }
        #expect(try page(.tags(["X", "Y"], .all)).ids == [try shop.id("b")])
        #expect(try shop.store.pool.read { try MemberSetPages.count($0, .tags(["X", "Y"], .any)) } == 3)
        // Last paid: a 2026-07-15, b 2026-06-20, c 2026-02-01.
        let first = try page(.tags(["X", "Y"], .any), limit: 2)
        #expect(try shop.buyers(first.ids) == ["a", "b"])
        let next = try #require(first.next)
        let second = try page(.tags(["X", "Y"], .any), after: next, limit: 2)
        #expect(try shop.buyers(second.ids) == ["c"] && second.next == nil)
        #expect(try page(.tags(["Y", "Y"], .all)).ids.count == 2)     // a repeated tag counts once
        #expect(throws: StoreError.self) { try page(.tags([], .any)) }
    }

    @Test func exportOfMembersWithAllOfSeveralTags() throws {
        let shop = try shopWithTags(); defer { shop.cleanup() }
        let out = shop.t.dir + "/both.csv"
        let n = try MemberSetExport.export(shop.store, set: .tags(["X", "Y"], .all), to: out, settings: RFMSettings(asOf: TagShop.asOf))
        #expect(n == 1)
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2 && lines[1].hasPrefix("b,阿乙,张二,138****0002,") && lines[1].hasSuffix(",X|Y,taobao"))
    }
}
