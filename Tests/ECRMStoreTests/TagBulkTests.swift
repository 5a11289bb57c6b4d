import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

@Suite struct TagBulkTests {
    @Test func previewApplyAndUndoTouchExactlyTheNewRows() throws {
        let shop = try TagShop(); defer { shop.cleanup() }
        let tags = TagService(store: shop.store), bulk = BulkTagger(store: shop.store)
        try tags.create("双11")
        try tags.add("双11", memberId: shop.id("c"))                  // c already has it
        try tags.add("双11", memberId: shop.id("d"))                  // d is outside the set
        let preview = try bulk.preview("双11", .segment(.generalWinback))
        #expect(preview == .init(members: 2, alreadyTagged: 1) && preview.changes(.add) == 1)
        let action = try bulk.apply("双11", to: .segment(.generalWinback))
        #expect(action.changed == 1 && action.kind == .add && action.scope == "segment general_winback")
        #expect(try shop.holders("双11") == ["b", "c", "d"])
        #expect(try bulk.lastUndoable()?.id == action.id)
        let undo = try bulk.undoLast()
        #expect(undo.action.id == action.id && undo.changed == 1)
        #expect(try shop.holders("双11") == ["c", "d"])                // c kept it: it had it before
        #expect(try bulk.lastUndoable() == nil)
        #expect(throws: StoreError.self) { try bulk.undoLast() }
        #expect(try shop.audit("tag.bulk_add").first?.after == "1 members (segment general_winback)")
        #expect(try shop.audit("tag.undo").count == 1)
    }

    @Test func undoOfABulkRemoveRestoresExactlyTheRemovedRows() throws {
        let shop = try TagShop(); defer { shop.cleanup() }
        let tags = TagService(store: shop.store), bulk = BulkTagger(store: shop.store)
        try tags.create("老客")
        for b in ["a", "b", "d"] { try tags.add("老客", memberId: shop.id(b)) }
        let preview = try bulk.preview("老客", .region(province: "浙江", city: nil))
        #expect(preview.members == 2 && preview.changes(.remove) == 2)
        let removed = try bulk.remove("老客", from: .region(province: "浙江", city: nil))
        #expect(removed.changed == 2)
        #expect(try shop.holders("老客") == ["d"])
        // Meanwhile someone tags c by hand; the undo must not touch c.
        try tags.add("老客", memberId: shop.id("c"))
        #expect(try bulk.undoLast().changed == 2)
        #expect(try shop.holders("老客") == ["a", "b", "c", "d"])
    }

    @Test func undoGoesBackOneActionAtATimePerOperator() throws {
        let shop = try TagShop(); defer { shop.cleanup() }
        let tags = TagService(store: shop.store), bulk = BulkTagger(store: shop.store)
        try tags.create("活动")
        try bulk.apply("活动", to: .ids([try shop.id("a"), try shop.id("e")]))
        try bulk.apply("活动", to: .tier(0))                           // everyone; a and e already had it
        let clerk = BulkTagger(store: try shop.session("clerk", role: "staff"))
        #expect(throws: StoreError.self) { try clerk.undoLast() }      // the owner's actions are not the clerk's
        #expect(try bulk.undoLast().changed == 3)
        #expect(try shop.holders("活动") == ["a", "e"])
        #expect(try bulk.undoLast().changed == 2)
        #expect(try shop.holders("活动").isEmpty)
    }

    @Test func gridTagSetsAndRuleTagsInBulk() throws {
        let shop = try TagShop(); defer { shop.cleanup() }
        let tags = TagService(store: shop.store), bulk = BulkTagger(store: shop.store)
        try tags.create("X"); try tags.create("Y"); try tags.create("Z")
        try bulk.apply("X", to: .grid(r: 4, f: 4))                     // a
        try bulk.apply("X", to: .lifecycle(.new))                      // b
        try bulk.apply("Y", to: .ids([try shop.id("b"), try shop.id("c")]))
        try bulk.apply("Z", to: .tags(["X", "Y"], .all))
        #expect(try shop.holders("Z") == ["b"])
        try bulk.apply("Z", to: .tags(["X", "Y"], .any))
        #expect(try shop.holders("Z") == ["a", "b", "c"])
        #expect(throws: StoreError.self) { try bulk.apply("Z", to: .tags(["X", "nope"], .any)) }
        try tags.create("女", rule: MemberRule(gender: "女"))
        #expect(throws: StoreError.self) { try bulk.apply("女", to: .tier(0)) }
        #expect(throws: StoreError.self) { try bulk.apply("missing", to: .tier(0)) }
    }

    @Test func deletedTagActionIsDroppedOnUndo() throws {
        let shop = try TagShop(); defer { shop.cleanup() }
        let tags = TagService(store: shop.store), bulk = BulkTagger(store: shop.store)
        try tags.create("A"); try tags.create("B")
        try bulk.apply("A", to: .tier(0))
        try bulk.apply("B", to: .tier(0))
        try tags.delete("B")
        #expect(throws: StoreError.self) { try bulk.undoLast() }       // B's action: the tag is gone
        #expect(try bulk.undoLast().action.tag == "A")                 // then the one before
        #expect(try shop.holders("A").isEmpty)
    }
}
