import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// Issue 19 item 5: link and unlink by hand, audited, each refusal one line that says why.
@Suite struct IdentityLinkTests {
    func shop() throws -> TempStore {
        let t = try TempStore()
        _ = try t.importer(bulk: false).run(.members, path: try t.file("m.csv", "buyer_id,nick,phone\nalice,阿丽,13800000001\nbob,小波,13800000002\n"))
        _ = try t.importer(bulk: false).run(.orders, path: try t.file("jd.csv", "order_id,buyer_id,paid_at,amount\nJ1,jd_bob,2026-01-01 10:00:00,30.00\n"), channel: .jd)
        return t
    }

    func refusal(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no refusal" } catch let e as StoreError { return e.description } catch { return "\(error)" }
    }

    func audit(_ t: TempStore) throws -> [String] {
        try t.store.pool.read { try Audit.recent($0, limit: 10) }.filter { $0.action.hasPrefix("identity.") || $0.action == "refused" }
            .map { "\($0.action) \($0.target) \($0.before ?? "-") \($0.after ?? "-")" }
    }

    @Test func aCardNumberLinksAndUnlinks() throws {
        let t = try shop(); defer { t.cleanup() }
        #expect(try Identities.link(t.store, member: "alice", channel: .offline, externalId: " VIP-0001 ") == "alice")
        let alice = try t.store.pool.read { try Identities.find($0, channel: .offline, externalId: "VIP-0001") }
        #expect(alice?.member == 1 && alice?.row != nil)
        // Found by the card number: member show, search.
        try t.store.pool.read { (db: Database) throws in
            #expect(try MemberQueries.resolve(db, "VIP-0001") == 1)
            #expect(try MemberSearch.search(db, "VIP-0001").first.map { "\($0.buyerId) \($0.matchedBy)" } == "alice identity")
            let card = try #require(try MemberQueries.detail(db, id: 1))
            #expect(card.identities.map { "\($0.channel):\($0.externalId):\($0.how)" } == ["taobao:alice:new", "offline:VIP-0001:manual"])
        }
        #expect(try audit(t) == ["identity.link alice - offline:VIP-0001"])
        let r = try Identities.unlink(t.store, member: "VIP-0001", channel: .offline, externalId: "VIP-0001")
        #expect(r == Identities.UnlinkOutcome(buyerId: "alice", identity: "offline:VIP-0001", newMember: nil, ordersMoved: 0))
        #expect(try t.store.pool.read { try Identities.find($0, channel: .offline, externalId: "VIP-0001") } == nil)
        #expect(try audit(t).first == "identity.unlink alice offline:VIP-0001 -")
    }

    @Test func everyRefusalIsOneLineAndChangesNothing() throws {
        StoreMessages.language = .en
        let t = try shop(); defer { t.cleanup() }
        let before = try t.store.pool.read { try Row.fetchAll($0, sql: "SELECT * FROM member_identity").map(\.description) }
        // Another member's identity: says whose.
        #expect(refusal { try Identities.link(t.store, member: "alice", channel: .jd, externalId: "jd_bob") }
                == "identity jd:jd_bob belongs to another member, jd_bob: if they are one person, merge the two members (ecrm member merge)")
        #expect(refusal { try Identities.link(t.store, member: "alice", channel: .taobao, externalId: "bob") }.contains("belongs to another member, bob"))
        #expect(refusal { try Identities.link(t.store, member: "alice", channel: .taobao, externalId: "alice") }.contains("already belongs to member alice"))
        #expect(refusal { try Identities.link(t.store, member: "nobody", channel: .jd, externalId: "x") } == "no member 'nobody'")
        #expect(refusal { try Identities.link(t.store, member: "alice", channel: .jd, externalId: "  ") } == "an identity needs an id (--id)")
        #expect(refusal { try Identities.link(t.store, member: "alice", channel: .jd, externalId: "a\u{7}b") }.contains("control"))
        #expect(refusal { try Identities.link(t.store, member: "alice", channel: .jd, externalId: String(repeating: "x", count: 65)) }.contains("64"))
        // Unlink: missing, another member's, the only one, the first one.
        #expect(refusal { try Identities.unlink(t.store, member: "alice", channel: .jd, externalId: "nope") } == "no identity jd:nope in this store")
        #expect(refusal { try Identities.unlink(t.store, member: "alice", channel: .jd, externalId: "jd_bob") }
                == "identity jd:jd_bob is not member alice's: it belongs to jd_bob")
        #expect(refusal { try Identities.unlink(t.store, member: "alice", channel: .taobao, externalId: "alice") }
                == "identity taobao:alice is member alice's only identity; it cannot be unlinked")
        _ = try Identities.link(t.store, member: "alice", channel: .wechat, externalId: "wx_a")
        #expect(refusal { try Identities.unlink(t.store, member: "alice", channel: .taobao, externalId: "alice") }.contains("first identity"))
        let after = try t.store.pool.read { try Row.fetchAll($0, sql: "SELECT * FROM member_identity WHERE channel <> 'wechat'").map(\.description) }
        #expect(after == before)
        // Each refusal is in the audit log with who tried what.
        let refused = try t.store.pool.read { try Audit.recent($0, limit: 50) }.filter { $0.action == "refused" }
        #expect(refused.count == 8)   // the three bad ids are refused before the store is asked
        #expect(refused.contains { $0.target == "identity.link alice jd:jd_bob" && $0.reason?.contains("belongs to another member, jd_bob") == true })
        #expect(refused.contains { $0.target == "identity.unlink alice taobao:alice" && $0.reason?.contains("first identity") == true })
    }

    /// An identity with orders leaves with them: a member of its own, stats on both sides recomputed.
    @Test func unlinkingAnIdentityWithOrdersMakesItAMemberWithThem() throws {
        let t = try shop(); defer { t.cleanup() }
        // jd_bob's orders come through a JD identity linked to alice by phone.
        _ = try t.importer(bulk: false).run(.members, path: try t.file("jdm.csv", "buyer_id,phone\njd_al,13800000001\n"), channel: .jd)
        _ = try t.importer(bulk: false).run(.orders, path: try t.file("jdo.csv", "order_id,buyer_id,paid_at,amount\nJ2,jd_al,2026-02-01 10:00:00,25.00\nJ3,jd_al,2026-02-02 10:00:00,5.00\n"), channel: .jd)
        _ = try t.importer(bulk: false).run(.orders, path: try t.file("tbo.csv", "order_id,buyer_id,paid_at,amount\n77,alice,2026-03-01 10:00:00,1.00\n"))
        #expect(try t.store.pool.read { try Int64.fetchOne($0, sql: "SELECT paid_sum FROM member_stats WHERE member_id = 1") } == 3100)
        let r = try Identities.unlink(t.store, member: "alice", channel: .jd, externalId: "jd_al")
        #expect(r.newMember == "jd_al" && r.ordersMoved == 2)
        try t.store.pool.read { (db: Database) throws in
            let moved = try #require(try Identities.find(db, channel: .jd, externalId: "jd_al"))
            #expect(moved.member != 1)
            #expect(try Int64.fetchOne(db, sql: "SELECT paid_sum FROM member_stats WHERE member_id = 1") == 100)
            #expect(try Int64.fetchOne(db, sql: "SELECT paid_sum FROM member_stats WHERE member_id = ?", arguments: [moved.member]) == 3000)
            #expect(try MemberOrderLists.ids(of: 1, db).count == 1 && MemberOrderLists.ids(of: moved.member, db).count == 2)
            #expect(try Identities.list(db, member: moved.member).map { "\($0.channel):\($0.externalId):\($0.home):\($0.orders)" } == ["jd:jd_al:true:2"])
        }
    }
}
