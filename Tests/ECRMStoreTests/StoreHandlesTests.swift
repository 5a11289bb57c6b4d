import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// A preloaded load of other channels only (issue 19's JD and offline files) keeps the store's
/// buyer_ids in a set of handles (HandleSet) instead of its key map: the handles it gives new
/// members must be the ones the whole map gave, taken or free exactly as before.
@Suite struct StoreHandlesTests {
    @Test func theSetHoldsExactlyWhatWasInserted() {
        let set = HandleSet()   // no size given: it grows
        var kept: [String] = []
        for i in 0..<5_000 {
            let id = i % 3 == 0 ? "a-long-buyer-id-of-a-shop-\(i)" : "b\(i)"
            kept.append(id)
            var s = id
            s.withUTF8 { set.insert(UnsafeRawBufferPointer($0)) }
        }
        var again = "b1"
        again.withUTF8 { set.insert(UnsafeRawBufferPointer($0)) }
        #expect(set.count == 5_000)
        #expect(kept.allSatisfy { set.contains($0) })
        for absent in ["", "b", "b5000", "a-long-buyer-id-of-a-shop-1", "a-long-buyer-id-of-a-shop-0 ", "B1", "b1 "] {
            #expect(!set.contains(absent), "\(absent)")
        }
    }

    /// The handles of new JD and offline members in one preloaded import: a store's buyer_id, a
    /// store's `jd:` handle, a Taobao identity row's id and a handle this load gave are all taken.
    @Test(arguments: [false, true])
    func aChannelLoadGivesTheHandlesTheWholeMapGave(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        var tb = "buyer_id,nick\n"
        for id in ["x1", "x2", "jd:x2", "a-very-long-buyer-id-0001", "t1"] { tb += "\(id),\(id)\n" }
        _ = try t.importer(bulk: false).run(.members, path: try t.file("tb.csv", tb))
        // x3: a Taobao identity that is no member's buyer_id.
        _ = try Identities.link(t.store, member: "t1", channel: .taobao, externalId: "x3")
        let jd = "buyer_id,nick\nx1,a\nx2,b\nx3,c\ny,d\njd:x1,e\na-very-long-buyer-id-0001,f\na-very-long-buyer-id-0002,g\n"
        let offline = "buyer_id,nick\ny,h\nx9,i\n"
        var importer = t.importer(bulk: bulk)
        importer.preload = true
        let reports = try importer.run(files: [Importer.File(.members, try t.file("jd.csv", jd), channel: .jd),
                                               Importer.File(.members, try t.file("offline.csv", offline), channel: .offline)])
        #expect(reports.map(\.added) == [7, 2])
        let handles = try t.store.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT i.channel, i.external_id, m.buyer_id FROM member_identity i JOIN member m ON m.id = i.member_id
                WHERE i.how = 'new' ORDER BY i.id
                """).map { "\($0[0] as String):\($0[1] as String) → \($0[2] as String)" }
        }
        #expect(handles == [
            "jd:x1 → jd:x1",
            "jd:x2 → jd:x2#2",
            "jd:x3 → jd:x3",
            "jd:y → y",
            "jd:jd:x1 → jd:jd:x1",
            "jd:a-very-long-buyer-id-0001 → jd:a-very-long-buyer-id-0001",
            "jd:a-very-long-buyer-id-0002 → a-very-long-buyer-id-0002",
            "offline:y → offline:y",
            "offline:x9 → x9",
        ])
        // A bulk load rebuilt the identities' index by member it dropped (Maintenance.identityBulkIndexes).
        let indexes = try t.store.pool.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_schema WHERE tbl_name = 'member_identity' AND type = 'index' ORDER BY name") }
        #expect(indexes == ["member_identity_key", "member_identity_member"])
        let plan = try t.store.pool.read { try Row.fetchAll($0, sql: "EXPLAIN QUERY PLAN SELECT id FROM member_identity WHERE member_id = 1").map { $0["detail"] as String } }
        #expect(plan.joined().contains("member_identity_member"))
    }
}
