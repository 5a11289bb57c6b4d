import Foundation
import Testing
import GRDB
import PropertyBased
@testable import ECRMStore
import ECRMDomain

/// Random sequences of draft edits, publishes, imports, manual changes and blacklist changes on a
/// small store never break the ladder's invariants or the upgrade-only rule, and never demote a
/// member except by a manual change of that member.
@Suite struct TierPropertyTests {
    /// One step: `kind` picks the operation, the other numbers its arguments.
    struct Step: Sendable, CustomStringConvertible {
        var kind: Int, a: Int, b: Int, c: Int
        var description: String { "(\(kind),\(a),\(b),\(c))" }
    }

    static let buyers = ["b1", "b2", "b3", "b4", "b5"]
    static let steps = zip(Gen.int(in: 0...5), Gen.int(in: 0...999), Gen.int(in: 0...999), Gen.int(in: 0...999))
        .map { Step(kind: $0, a: $1, b: $2, c: $3) }
        .array(of: 1...15)

    @Test func randomSequencesKeepEveryInvariant() async throws {
        var seen = Coverage()
        await propertyCheck(count: 40, input: Self.steps) { steps in
            var world = try World()
            defer { world.shop.cleanup() }
            for step in steps { try world.run(step) }
            seen.add(world.coverage)
        }
        // Guard against a generator that never reaches the interesting paths.
        #expect(seen.publishes >= 5 && seen.refusedPublishes >= 5 && seen.autoRaises >= 5 && seen.manualLowerings >= 1, "\(seen)")
    }

    struct Coverage {
        var publishes = 0, refusedPublishes = 0, autoRaises = 0, manualLowerings = 0
        mutating func add(_ o: Coverage) {
            publishes += o.publishes; refusedPublishes += o.refusedPublishes
            autoRaises += o.autoRaises; manualLowerings += o.manualLowerings
        }
    }

    /// The store under test plus what the checks need to remember between steps.
    struct World {
        var shop: TierShop
        var orderIds: [Int64] = []
        var nextOrder: Int64 = 5000
        var coverage = Coverage()

        /// Starts from a live standard ladder with members at levels 0, 1 and 2, so sequences mostly
        /// exercise the upgrade-only rules rather than a ladder that is not in force yet.
        init() throws {
            shop = try TierShop([("b1", 50), ("b2", 150), ("b3", 600)])
            try shop.publish(standardLadder)
        }

        mutating func run(_ s: Step) throws {
            let before = try snapshot()
            var lowered: String?      // the one member a successful manual change may lower
            switch s.kind {
            case 0:   // edit one field of the draft
                _ = try TierService.editDraft(shop.store) { l in
                    let level = 1 + s.a % 4
                    switch s.b % 8 {
                    case 0: l[level].threshold = Int64(s.c) * 100 * Int64(level)
                    case 1: l[level].discount = 700 + s.c % 301
                    case 6: l[level].discount -= 1 + s.c % 20
                    case 2: l[level].enabled.toggle()
                    case 3: l.metric = s.c % 5 == 0 ? .count : .amount
                    case 4: l.distributorFloor = s.c % 2 == 0 ? nil : 800 + s.c % 150
                    default: l[level].threshold = max(0, l[level].threshold - Int64(s.c) * 100)
                    }
                }
            case 1, 2:   // publish (sometimes with the floor confirmed)
                let preview = try TierService.preview(shop.store)
                do {
                    let r = try TierService.publish(shop.store, reviewed: preview, confirmFloor: s.a % 2 == 0)
                    #expect(try shop.audit("tiers.publish").first?.target == "v\(r.version)")
                    coverage.publishes += 1
                    coverage.autoRaises += r.upgraded
                } catch is TierServiceError { coverage.refusedPublishes += 1 }
            case 3:   // import a few orders, sometimes re-importing or changing the status of an old one
                var csv = "order_id,buyer_id,buyer_nick,paid_at,amount,status,items\n"
                for k in 0..<(1 + s.a % 3) {
                    let reuse = !orderIds.isEmpty && (s.b + k) % 4 == 0
                    let id: Int64
                    if reuse { id = orderIds[(s.c + k) % orderIds.count] } else { nextOrder += 1; id = nextOrder; orderIds.append(id) }
                    let status = ["paid", "paid", "paid", "refunded", "等待买家付款"][(s.b + k) % 5]
                    csv += "\(id),\(Self.buyer(s.c + k)),,2026-02-0\(1 + k) 10:00:00,\((s.a * 7 + k * 131) % 900),\(status),1\n"
                }
                let report = try Importer(store: shop.store).run(.orders, path: try shop.t.file("o\(nextOrder)-\(s.a).csv", csv))
                coverage.autoRaises += report.membersUpgraded
            case 4:   // manual level change
                let buyer = Self.buyer(s.a)
                do {
                    let r = try MemberTierAdmin.setTier(shop.store, member: buyer, to: s.b % 5, reason: s.c % 3 == 0 ? "" : "原因")
                    if r.to < r.from { lowered = buyer; coverage.manualLowerings += 1 }
                    #expect(try shop.audit("member.tier").first?.after == String(r.to))
                } catch is TierServiceError {}
            default:  // blacklist on or off
                do {
                    try MemberTierAdmin.setBlacklist(shop.store, member: Self.buyer(s.a), on: s.b % 2 == 0, reason: "测试")
                } catch is TierServiceError {}
            }
            try check(before: before, after: try snapshot(), lowered: lowered, step: s)
        }

        static func buyer(_ n: Int) -> String { buyers[n % buyers.count] }

        struct Snapshot {
            var live: [TierLadder]
            var members: [String: (tier: Int, blacklisted: Bool, source: String, value: Int64)]
        }

        func snapshot() throws -> Snapshot {
            try shop.store.pool.read { db in
                let live = try String.fetchAll(db, sql: "SELECT ladder FROM tier_publish ORDER BY version").map(TierStore.decode)
                let metric = live.last?.metric ?? .amount
                let col = metric == .amount ? "paid_sum" : "paid_count"
                let base = try db.tableExists("member_tier_baseline") ? "coalesce((SELECT \(col) FROM member_tier_baseline b WHERE b.member_id = m.id), 0)" : "0"
                var members: [String: (Int, Bool, String, Int64)] = [:]
                for r in try Row.fetchAll(db, sql: """
                    SELECT m.buyer_id, m.tier, m.status = 'blacklist', m.tier_source, coalesce(s.\(col), 0) - \(base)
                    FROM member m LEFT JOIN member_stats s ON s.member_id = m.id
                    """) {
                    members[r[0]] = (r[1], r[2], r[3], r[4])
                }
                return Snapshot(live: live, members: members)
            }
        }

        func check(before: Snapshot, after: Snapshot, lowered: String?, step: Step) throws {
            // The live ladder always passes the invariants.
            if let live = after.live.last { #expect(TierRules.validate(live).isEmpty, "step \(step)") }
            // Published tiers only get better: deeper or equal discount, lower or equal threshold.
            for (old, new) in zip(after.live, after.live.dropFirst()) {
                for t in old.levels where t.enabled && new[t.level].enabled {
                    #expect(new[t.level].discount <= t.discount, "step \(step)")
                    #expect(new.metric != old.metric || new[t.level].threshold <= t.threshold, "step \(step)")
                }
                if old.levels.contains(where: \.enabled) { #expect(new.metric == old.metric) }
            }
            for (buyer, now) in after.members {
                guard let was = before.members[buyer] else { continue }
                // Never demoted automatically; blacklisted members never rise.
                if buyer != lowered { #expect(now.tier >= was.tier, "\(buyer) dropped at step \(step)") }
                if was.blacklisted && now.blacklisted { #expect(now.tier <= was.tier, "\(buyer) rose while blacklisted at step \(step)") }
            }
            // Every normal, auto-levelled member is at least at the level their (post-baseline) totals reach.
            if let live = after.live.last {
                for (buyer, m) in after.members where !m.blacklisted && m.source == "auto" {
                    let reach = live.qualifyingLevel(paidAmount: m.value, paidCount: Int(m.value))
                    #expect(m.tier >= reach, "\(buyer) at \(m.tier) but reaches \(reach) at step \(step)")
                }
            }
        }
    }
}
