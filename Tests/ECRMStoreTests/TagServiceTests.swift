import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

@Suite struct TagServiceTests {
    @Test func namesAreTrimmedBoundedAndUnique() throws {
        let shop = try TagShop(recompute: false); defer { shop.cleanup() }
        let tags = TagService(store: shop.store)
        let made = try tags.create("  老客户 ")
        #expect(made.name == "老客户" && made.members == 0 && made.createdBy == "owner1")
        #expect(throws: StoreError.conflict("a tag named '老客户' already exists")) { try tags.create("老客户") }
        #expect(throws: StoreError.self) { try tags.create("   ") }
        #expect(throws: StoreError.self) { try tags.create("a|b") }
        try tags.create(String(repeating: "字", count: 20))
        #expect(throws: StoreError.self) { try tags.create(String(repeating: "字", count: 21)) }
        #expect(try tags.list().map(\.name) == [String(repeating: "字", count: 20), "老客户"])
    }

    @Test func addRemoveRenameDeleteWithCountsAndAudit() throws {
        let shop = try TagShop(recompute: false); defer { shop.cleanup() }
        let tags = TagService(store: shop.store)
        try tags.create("VIP")
        #expect(try tags.add("VIP", memberId: shop.id("a")))
        #expect(try tags.add("VIP", memberId: shop.id("b")))
        #expect(try !tags.add("VIP", memberId: shop.id("a")))          // already there: no change, no audit
        #expect(try tags.list().first?.members == 2)
        #expect(try tags.remove("VIP", memberId: shop.id("b")))
        #expect(try !tags.remove("VIP", memberId: shop.id("b")))
        #expect(throws: StoreError.self) { try tags.add("nope", memberId: shop.id("a")) }
        #expect(throws: StoreError.self) { try tags.add("VIP", memberId: 424242) }
        try tags.create("other")
        #expect(throws: StoreError.conflict("a tag named 'other' already exists")) { try tags.rename("VIP", to: "other") }
        try tags.rename("VIP", to: "重要")
        #expect(try shop.holders("重要") == ["a"])
        #expect(try tags.delete("重要") == 1)
        #expect(try shop.holders("重要").isEmpty)
        #expect(try shop.store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM member_tag") } == 0)
        #expect(try shop.audit("tag.add").map(\.target) == ["b", "a"])
        #expect(try shop.audit("tag.remove").count == 1)
        #expect(try shop.audit("tag.rename").first?.before == "VIP")
        #expect(try shop.audit("tag.delete").first?.before == "1 members")
        #expect(try shop.audit("tag.create").count == 2)
    }

    @Test func staffTagsMembersButCannotRenameDeleteOrWriteRules() throws {
        let shop = try TagShop(recompute: false); defer { shop.cleanup() }
        try TagService(store: shop.store).create("跟进")
        let staff = TagService(store: try shop.session("clerk", role: "staff"))
        #expect(try staff.add("跟进", memberId: shop.id("c")))
        #expect(try staff.remove("跟进", memberId: shop.id("c")))
        try staff.create("客服标记")                                     // plain tags: anyone
        #expect(throws: StoreError.permissionDenied("only the owner can rename tags (you are 'clerk', staff)")) { try staff.rename("跟进", to: "x") }
        #expect(throws: StoreError.permissionDenied("only the owner can delete tags (you are 'clerk', staff)")) { try staff.delete("跟进") }
        #expect(throws: StoreError.self) { try staff.create("规则", rule: MemberRule(gender: "F")) }
        #expect(throws: StoreError.self) { try staff.setRule("跟进", rule: MemberRule(gender: "F")) }
        #expect(try TagService(store: shop.store).list().map(\.name).sorted() == ["客服标记", "跟进"])
        let stranger = TagService(store: try shop.session("mallory", role: nil))
        #expect(throws: StoreError.self) { try stranger.add("跟进", memberId: shop.id("c")) }
        #expect(throws: StoreError.self) { try stranger.list() }
    }

    @Test func idBlobRoundTripsAndRejectsTruncation() {
        let ids: [Int64] = [1, 2, 3, 130, 20_000, 1_000_000, 1_000_001, Int64(Int32.max) * 4]
        let blob = MemberIdBlob.encode(sortedIds: ids)
        #expect(MemberIdBlob.decode(blob) == ids)
        #expect(blob.count < ids.count * 8)
        #expect(MemberIdBlob.decode(Array(blob.dropLast())) == nil)
        #expect(MemberIdBlob.decode([]) == [])
    }
}
