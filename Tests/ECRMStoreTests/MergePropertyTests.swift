import Foundation
import Testing
import GRDB
import PropertyBased
@testable import ECRMStore
import ECRMDomain

/// Random small stores and random sequences of merges, unmerges, imports (through Taobao ids, a JD
/// id, ids merged away) and tagging (PRODUCT.md: One member across channels):
/// - a merge or an unmerge changes no other member, order, tag, note or identity;
/// - a merge undone at once leaves everything as it was (the pair's tiers may only have risen);
/// - every order belongs to the member holding the identity it came through (so orders that
///   arrived since a merge go back with their identity);
/// - no operation lowers the tier or the discount seen through any buyer id.
@Suite struct MergePropertyTests {
    struct Step: Sendable, CustomStringConvertible {
        var kind: Int, a: Int, b: Int, c: Int
        var description: String { "(\(kind),\(a),\(b),\(c))" }
    }

    static let buyers = ["b1", "b2", "b3", "b4", "b5", "b6"]
    static let steps = zip(Gen.int(in: 0...7), Gen.int(in: 0...999), Gen.int(in: 0...999), Gen.int(in: 0...999))
        .map { Step(kind: $0, a: $1, b: $2, c: $3) }
        .array(of: 1...12)

    /// A sequence that reaches the rarest case every time (orders through a merged-away Taobao id and
    /// its JD id, then the unmerge sends them back), run first with the same checks: random sequences
    /// alone reached it in only some runs, so the coverage check below failed now and then.
    static let known = [Step(kind: 0, a: 0, b: 1, c: 0), Step(kind: 3, a: 0, b: 0, c: 1), Step(kind: 5, a: 0, b: 3, c: 2),
                        Step(kind: 2, a: 0, b: 0, c: 0), Step(kind: 1, a: 2, b: 3, c: 0)]

    @Test func mergesAndUnmergesRestoreEverythingElseAndLowerNoTier() async throws {
        var seen = Coverage()
        do {
            var world = try World()
            defer { world.t.cleanup() }
            for step in Self.known { try world.run(step) }
            #expect(world.coverage.ordersSinceBack == 1 && world.coverage.undoneAtOnce == 1, "\(world.coverage)")
            seen.add(world.coverage)
        }
        await propertyCheck(count: 14, input: Self.steps) { steps in
            var world = try World()
            defer { world.t.cleanup() }
            for step in steps { try world.run(step) }
            seen.add(world.coverage)
        }
        #expect(seen.merges >= 8 && seen.unmerges >= 4 && seen.undoneAtOnce >= 2 && seen.ordersSinceBack >= 1, "\(seen)")
    }

    struct Coverage {
        var merges = 0, unmerges = 0, undoneAtOnce = 0, ordersSinceBack = 0
        mutating func add(_ o: Coverage) {
            merges += o.merges; unmerges += o.unmerges; undoneAtOnce += o.undoneAtOnce; ordersSinceBack += o.ordersSinceBack
        }
    }

    struct World {
        let t: TempStore
        var service: MergeService { MergeService(store: t.store, language: .en) }
        var nextOrder: Int64 = 100
        var coverage = Coverage()
        /// Merged-away buyers, newest last (unmerge goes newest first).
        var merged: [String] = []
        var ordersSinceMerge: [String: Int] = [:]

        init() throws {
            t = try TempStore()
            var members = "buyer_id,nick,name,phone,birthday,city\n"
            for (i, b) in MergePropertyTests.buyers.enumerated() {
                members += "\(b),昵称\(i),\(i % 2 == 0 ? "王芳" : "张伟"),1380000000\(i % 3),1990-01-0\(1 + i % 2),杭州市\n"
            }
            _ = try t.importer(bulk: false).run(.members, path: try t.file("m.csv", members))
            var orders = "order_id,buyer_id,paid_at,amount,status\n"
            for (i, b) in MergePropertyTests.buyers.enumerated() { orders += "\(10 + i),\(b),2026-10-0\(1 + i) 10:00:00,\(200 * (i + 1)).00,paid\n" }
            _ = try t.importer(bulk: false).run(.orders, path: try t.file("o.csv", orders))
            _ = try Identities.link(t.store, member: "b2", channel: .jd, externalId: "jd_b2")
            try TierService.saveDraft(t.store, makeLadder([(0, 980), (1000, 950), (2000, 900), (3000, 850)]))
            _ = try TierService.publish(t.store, reviewed: try TierService.preview(t.store), confirmFloor: false)
            try TagService(store: t.store).add("老客", memberId: 1, createIfMissing: true)
            try MemberActions.addNote(t.store, memberId: 2, body: "note of b2")
        }

        func buyer(_ n: Int) -> String { MergePropertyTests.buyers[n % MergePropertyTests.buyers.count] }

        mutating func run(_ s: Step) throws {
            let tiersBefore = try identityTiers()
            let before = try dump()
            switch s.kind {
            case 0, 1:
                // Merge two buyers (by any of their ids); kind 1 undoes it at once.
                let keep = buyer(s.a), other = buyer(s.b)
                let ids = try t.store.pool.read { db in
                    (try MemberQueries.resolve(db, keep), try MemberQueries.resolve(db, other))
                }
                guard let k = ids.0, let o = ids.1, k != o else {
                    #expect(throws: StoreError.self) { try service.merge(keep: keep, other: other) }
                    #expect(try dump() == before)
                    return
                }
                let otherBuyer = try t.store.pool.read { try String.fetchOne($0, sql: "SELECT buyer_id FROM member WHERE id = ?", arguments: [o])! }
                let pair = try t.store.pool.read { db in
                    [try String.fetchOne(db, sql: "SELECT buyer_id FROM member WHERE id = ?", arguments: [k])!, otherBuyer]
                }
                try service.merge(keep: keep, other: other)
                coverage.merges += 1
                try expectOnlyPairChanged(before, try dump(), pair: pair)
                if s.kind == 1 {
                    try service.unmerge(otherBuyer)
                    coverage.undoneAtOnce += 1
                    coverage.unmerges += 1
                    #expect(withoutTiers(try dump()) == withoutTiers(before), "merge then unmerge of \(pair)")
                } else {
                    merged.append(otherBuyer)
                    ordersSinceMerge[otherBuyer] = 0
                }
            case 2, 6:
                // Unmerge the newest merge.
                guard let other = merged.popLast() else {
                    #expect(throws: StoreError.self) { try service.unmerge(buyer(s.a)) }
                    #expect(try dump() == before)
                    return
                }
                let keep = try t.store.pool.read { try String.fetchOne($0, sql: "SELECT keep_buyer FROM member_merge WHERE other_buyer = ? AND unmerged_at IS NULL ORDER BY id DESC", arguments: [other])! }
                let r = try service.unmerge(other)
                coverage.unmerges += 1
                if r.ordersBack > 0, (ordersSinceMerge[other] ?? 0) > 0 { coverage.ordersSinceBack += 1 }
                ordersSinceMerge[other] = nil
                try expectOnlyPairChanged(before, try dump(), pair: [keep, r.other])
            case 3, 4, 5:
                // Orders through a Taobao id (maybe one merged away) or the JD id.
                nextOrder += 1
                let jd = s.kind == 5
                // Mostly through an id merged away, when there is one: its orders must go back with it.
                let who = jd ? "jd_b2" : (!merged.isEmpty && s.c % 3 != 0 ? merged[s.a % merged.count] : buyer(s.a))
                let csv = "order_id,buyer_id,paid_at,amount,status\n\(jd ? "JD-\(nextOrder)" : String(nextOrder)),\(who),2026-11-\(10 + s.b % 18) 10:00:00,\(s.c * 3).00,paid\n"
                _ = try t.importer(bulk: false).run(.orders, path: try t.file("o\(nextOrder).csv", csv), channel: jd ? .jd : .taobao)
                for m in merged where !jd && m == who { ordersSinceMerge[m, default: 0] += 1 }
                if jd, merged.contains("b2") { ordersSinceMerge["b2", default: 0] += 1 }
            default:
                // Tag a member by hand (tags added after a merge stay with the survivor).
                if let id = try t.store.pool.read({ try MemberQueries.resolve($0, buyer(s.a)) }) {
                    try TagService(store: t.store).add(s.b % 2 == 0 ? "老客" : "回访", memberId: id, createIfMissing: true)
                }
            }
            try expectOrdersFollowIdentities()
            // No tier or discount seen through any buyer id goes down.
            let after = try identityTiers()
            for (b, was) in tiersBefore {
                guard let now = after[b] else { continue }
                #expect(now.tier >= was.tier, "\(b): tier \(was.tier) → \(now.tier) after \(s)")
                #expect(now.discount <= was.discount, "\(b): discount \(was.discount) → \(now.discount) after \(s)")
            }
        }

        /// Each buyer id (Taobao and the JD one) → the tier and discount of the member it reaches.
        func identityTiers() throws -> [String: (tier: Int, discount: Int)] {
            try t.store.pool.read { db in
                let ladder = try TierStore.liveLadder(db) ?? .initial
                var out: [String: (Int, Int)] = [:]
                for b in MergePropertyTests.buyers + ["jd_b2"] {
                    let ref = try Identities.find(db, channel: b.hasPrefix("jd_") ? .jd : .taobao, externalId: b)
                    guard let ref, let row = try Row.fetchOne(db, sql: "SELECT tier, status FROM member WHERE id = ?", arguments: [ref.member]) else { continue }
                    let tier: Int = row[0]
                    out[b] = (tier, TierRules.effectiveDiscount(level: tier, blacklisted: (row[1] as String) == "blacklist", ladder: ladder))
                }
                return out
            }
        }

        func expectOrdersFollowIdentities() throws {
            try t.store.pool.read { db in
                let wrong = try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM orders o JOIN member m ON m.id = o.member_id
                    LEFT JOIN member_identity i ON i.id = o.identity_id
                    WHERE (o.identity_id IS NULL AND m.channel IS NOT NULL) OR (o.identity_id IS NOT NULL AND i.member_id IS NOT o.member_id)
                    """)
                #expect(wrong == 0)
                #expect(try MemberOrderListsTests.mismatches(db) == [])
                #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
            }
        }

        /// Members, orders, tags, notes and identities by buyer id (internal ids left out).
        func dump() throws -> [String: [String]] {
            try t.store.pool.read { db in
                var out: [String: [String]] = [:]
                func add(_ buyer: String, _ line: String) { out[buyer, default: []].append(line) }
                for r in try Row.fetchAll(db, sql: "SELECT buyer_id, nick, name, phone, gender, birthday, province, city, joined_at, tier, tier_source, status, card_no, channel FROM member") {
                    add(r[0], "member \(r)")
                }
                for r in try Row.fetchAll(db, sql: """
                    SELECT m.buyer_id, o.order_id, o.order_no, o.amount, o.status, i.channel, i.external_id FROM orders o
                    JOIN member m ON m.id = o.member_id LEFT JOIN member_identity i ON i.id = o.identity_id ORDER BY o.order_id
                    """) { add(r[0], "order \(r)") }
                for r in try Row.fetchAll(db, sql: "SELECT m.buyer_id, t.name FROM member_tag mt JOIN tag t ON t.id = mt.tag_id JOIN member m ON m.id = mt.member_id ORDER BY t.name") {
                    add(r[0], "tag \(r)")
                }
                for r in try Row.fetchAll(db, sql: "SELECT m.buyer_id, n.body FROM member_note n JOIN member m ON m.id = n.member_id ORDER BY n.id") { add(r[0], "note \(r)") }
                for r in try Row.fetchAll(db, sql: "SELECT m.buyer_id, i.channel, i.external_id, i.how FROM member_identity i JOIN member m ON m.id = i.member_id ORDER BY i.channel, i.external_id") {
                    add(r[0], "identity \(r)")
                }
                return out
            }
        }

        func withoutTiers(_ d: [String: [String]]) -> [String: [String]] {
            d.mapValues { $0.map { $0.replacingOccurrences(of: #"tier:\d+ tier_source:"\w+""#, with: "", options: .regularExpression) } }
        }

        /// Everything of every member but the two is exactly as it was.
        func expectOnlyPairChanged(_ before: [String: [String]], _ after: [String: [String]], pair: [String]) throws {
            let b = before.filter { !pair.contains($0.key) }, a = after.filter { !pair.contains($0.key) }
            #expect(a == b, "members other than \(pair) changed")
        }
    }
}
