import Testing
@testable import ECRMDomain

/// Deterministic randomized sequences of drafts, publishes, purchases, recomputes and by-hand changes
/// (a seeded SplitMix64 stands in for property-based testing until swift-property-based is available).
/// Whatever `checkPublish` accepts must keep every promise of the upgrade-only rule.
@Suite("Tier rules: seeded random publish sequences")
struct TierRandomizedTests {
    struct Member {
        var level = 0
        var paid: Fen = 0
        var count = 0
        var blacklisted = false
        var recent: Fen = 0
    }

    /// The rules restated independently of TierRules, to cross-check accept/reject decisions.
    static func oracleAccepts(draft: TierLadder, live: TierLadder?, members: [Int: Int]) -> Bool {
        let on = draft.levels.filter(\.enabled)
        guard on.map(\.level) == Array(1..<(1 + on.count)) else { return false }
        guard on.allSatisfy({ $0.threshold >= 0 && (700...1000).contains($0.discount) }) else { return false }
        for (a, b) in zip(on, on.dropFirst()) where !(a.threshold < b.threshold && a.discount > b.discount) { return false }
        let names = draft.levels.map { $0.name.trimmingSpaces() }
        guard names.allSatisfy({ !$0.isEmpty && $0.count <= 12 }), Set(names).count == 4 else { return false }
        if let f = draft.distributorFloor, !(700...1000).contains(f) { return false }
        guard let live else { return true }
        let liveOn = live.levels.filter(\.enabled)
        if !liveOn.isEmpty && live.metric != draft.metric { return false }
        for was in liveOn {
            let now = draft[was.level]
            if !now.enabled {
                if (members[was.level] ?? 0) > 0 { return false }
            } else if now.discount > was.discount || now.threshold > was.threshold {
                return false
            }
        }
        return true
    }

    static func mutate(_ ladder: TierLadder, _ rng: inout SplitMix64) -> TierLadder {
        var d = ladder
        for _ in 0..<rng.int(1...2) {
            let level = rng.int(1...4)
            let step: Int64 = d.metric == .amount ? 30_000 : 3
            switch rng.int(0...99) {
            case 0..<15: d[level].enabled.toggle()
            case 15..<40: d[level].discount -= rng.int(0...40)                       // mostly deepen…
            case 40..<50: d[level].discount += rng.int(1...40)                       // …sometimes not
            case 50..<72: d[level].threshold -= Int64(rng.int(0...Int(step)))
            case 72..<82: d[level].threshold += Int64(rng.int(1...Int(step)))
            case 82..<87: d.metric = d.metric == .amount ? .count : .amount
            case 87..<94: d[level].name = ["", "VIP会员", "金卡", "钻石卡", "超长的等级名称超长的等级名称", "银卡 \(level)"][rng.int(0...5)]
            default: d.distributorFloor = rng.chance(30) ? nil : rng.int(650...1_050)
            }
        }
        return d
    }

    static func membersPerLevel(_ members: [Member]) -> [Int: Int] {
        var m: [Int: Int] = [:]
        for x in members where x.level > 0 { m[x.level, default: 0] += 1 }
        return m
    }

    @Test("whatever checkPublish accepts keeps the upgrade-only promises", arguments: [1 as UInt64, 42, 2026, 0xDEAD_BEEF])
    func upgradeOnly(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var accepted = 0, rejected = 0, upgrades = 0, deepened = 0
        for _ in 0..<8 {   // eight shops, each from scratch
            var live: TierLadder?
            var members = [Member](repeating: Member(), count: 60)
            for _ in 0..<400 {
                // purchases (and a blacklist change now and then)
                for i in members.indices where rng.chance(10) {
                    let amount = Fen(rng.int(0...40_000))
                    members[i].paid += amount
                    members[i].count += 1
                    members[i].recent = amount
                }
                if rng.chance(2) { members[rng.int(0...59)].blacklisted.toggle() }

                // a by-hand change, by a random operator
                if let ladder = live, rng.chance(5) {
                    let i = rng.int(0...59)
                    let role: OperatorRole = rng.chance(70) ? .owner : .staff
                    let reason = rng.chance(50) ? "客户要求" : " "
                    let from = members[i].level, to = rng.int(-1...5)
                    switch TierRules.manualChange(from: from, to: to, role: role, reason: reason,
                                                  blacklisted: members[i].blacklisted, ladder: ladder) {
                    case .success(let c):
                        #expect(role == .owner)
                        #expect(c.to == 0 || ladder[c.to].enabled)
                        #expect(c.to >= c.from || !c.reason.isEmpty)
                        #expect(c.to <= c.from || !members[i].blacklisted)
                        members[i].level = c.to
                    case .failure:
                        break
                    }
                }

                // draft and try to publish
                let draft = Self.mutate(live ?? standardLadder(), &rng)
                let perLevel = Self.membersPerLevel(members)
                let violations = TierRules.checkPublish(draft: draft, live: live, membersPerLevel: perLevel)
                #expect(violations.isEmpty == Self.oracleAccepts(draft: draft, live: live, members: perLevel),
                        "checkPublish disagrees with the oracle: \(violations.map { $0.message(.en) })")
                for v in violations {
                    #expect(v.severity == .blocking)
                    #expect(!v.message(.en).isEmpty && !v.message(.zh).isEmpty)
                }
                guard violations.isEmpty else { rejected += 1; continue }
                accepted += 1
                #expect(TierRules.validate(draft).isEmpty)

                // what the preview promises…
                let rows = members.map { TierImpactRow(level: $0.level, paidAmount: $0.paid, paidCount: $0.count,
                                                       blacklisted: $0.blacklisted, recentPaid: $0.recent) }
                let impact = TierImpact.compute(live: live, draft: draft, rows: rows)

                // …the publish itself: published tiers only get better for members
                if let old = live {
                    for was in old.levels where was.enabled {
                        let now = draft[was.level]
                        if now.enabled {
                            #expect(now.discount <= was.discount, "level \(was.level) discount got shallower")
                            #expect(now.threshold <= was.threshold, "level \(was.level) threshold went up")
                            #expect(draft.metric == old.metric)
                        } else {
                            #expect((perLevel[was.level] ?? 0) == 0, "level \(was.level) disabled with members")
                        }
                    }
                }

                // …and the recompute after it: nobody goes down, nobody pays more, blacklisted stay put
                var movedUp = [0, 0, 0, 0, 0], cheaper = 0
                var cost: Int64 = 0
                for i in members.indices {
                    let m = members[i]
                    let before = live.map { TierRules.effectiveDiscount(level: m.level, blacklisted: m.blacklisted, ladder: $0) } ?? 1000
                    let qualifying = draft.qualifyingLevel(paidAmount: m.paid, paidCount: m.count)
                    let next = TierRules.autoUpgrade(current: m.level, qualifying: qualifying, blacklisted: m.blacklisted)
                    #expect(next >= m.level)
                    if m.blacklisted { #expect(next == m.level) }
                    let after = TierRules.effectiveDiscount(level: next, blacklisted: m.blacklisted, ladder: draft)
                    #expect(after <= before, "member \(i) would pay more: \(before) → \(after)")
                    if next > m.level { movedUp[next] += 1 }
                    if after < before { cheaper += 1; cost += m.recent * Int64(before - after) }
                    members[i].level = next
                }
                #expect(impact.movesUp == movedUp)
                #expect(impact.deepenedMembers == cheaper)
                #expect(impact.costMilliFen == cost)
                upgrades += movedUp.reduce(0, +)
                deepened += cheaper
                live = draft
            }
        }
        // the sequences must actually exercise both outcomes
        #expect(accepted >= 200, "accepted \(accepted)")
        #expect(rejected >= 200, "rejected \(rejected)")
        #expect(upgrades > 0 && deepened > 0)
    }

    @Test("autoUpgrade never lowers a level, over random inputs")
    func autoUpgradeNeverLowers() {
        let seed: UInt64 = 99
        var rng = SplitMix64(seed: seed)
        for i in 0..<10_000 {
            let current = rng.int(0...4), qualifying = rng.int(0...4), blacklisted = rng.chance(20)
            let next = TierRules.autoUpgrade(current: current, qualifying: qualifying, blacklisted: blacklisted)
            let replay: Comment = "seed \(seed), draw \(i): current \(current), qualifying \(qualifying), blacklisted \(blacklisted)"
            #expect(next >= current, replay)
            #expect(next == (blacklisted ? current : max(current, qualifying)), replay)
        }
    }
}
