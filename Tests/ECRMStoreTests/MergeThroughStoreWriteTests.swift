import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// Review mend: merge, unmerge, preview and dismiss go through Store.write like every other store
/// write (one transaction, the right checked inside, refusals audited), not a transaction of their
/// own; foreign keys are back on the writer connection whatever happened.
@Suite struct MergeThroughStoreWriteTests {
    @Test func theMergeServiceStartsNoTransactionOfItsOwn() throws {
        let file = ModuleBoundaryTests.root.appendingPathComponent("Sources/ECRMStore/Merge/MergeService.swift")
        let text = try String(contentsOf: file, encoding: .utf8)
        for bypass in ["writeWithoutTransaction", "inWriteTransaction", "inTransaction", ".pool"] {
            let uses = text.contains(bypass)
            #expect(!uses, "MergeService uses \(bypass): its writes go through Store.write")
        }
        let writes = text.contains("store.write(")
        #expect(writes)
    }

    func foreignKeys(_ s: MergeShop) throws -> Int {
        try s.store.pool.write { try Int.fetchOne($0, sql: "PRAGMA foreign_keys") ?? -1 }
    }

    @Test func refusalsAreAuditedAndChangeNothingAndForeignKeysComeBack() throws {
        let s = try MergeShop(); defer { s.cleanup() }
        let before = try s.dump()
        let staff = try s.staff()
        #expect(throws: StoreError.permissionDenied(StoreMessages.ownerOnly(.mergeMembers, user: "staff1"))) {
            try staff.merge(keep: "alice", other: "alice2")
        }
        #expect(throws: StoreError.permissionDenied(StoreMessages.ownerOnly(.unmergeMembers, user: "staff1"))) {
            try staff.unmerge("alice2")
        }
        #expect(throws: StoreError.self) { try s.service.merge(keep: "alice", other: "nobody") }
        #expect(try s.dump() == before)
        let refused = try s.audit("refused")
        #expect(refused.filter { $0.operatorName == "staff1" }.count == 2, "\(refused)")
        #expect(refused.contains { $0.operatorName == "owner1" && $0.target.contains("nobody") }, "\(refused)")
        #expect(try foreignKeys(s) == 1)

        _ = try s.service.preview(keep: "alice", other: "alice2")
        #expect(try s.dump() == before, "a preview changes nothing")
        #expect(try foreignKeys(s) == 1)
        try s.service.merge(keep: "alice", other: "alice2")
        #expect(try s.id("alice2") == nil && (try foreignKeys(s)) == 1)
        try s.service.unmerge("alice2")
        #expect(try s.id("alice2") != nil && (try foreignKeys(s)) == 1)
        #expect(try s.audit("member.merge").count == 1 && (try s.audit("member.unmerge")).count == 1)
    }
}
