import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// The upgrade's SQL CASE (`TierUpgrader.levelCase`, one pass over every member inside SQLite) is
/// the domain's `TierLadder.qualifyingLevel` written for SQLite: over random ladders (levels on and
/// off, any thresholds) and values at, next to and between the thresholds, the two agree.
@Suite struct TierQualifyingSQLTests {
    @Test func theSQLCaseAgreesWithTheDomainRuleOverRandomLadders() throws {
        let seed = UInt64.random(in: 0...UInt64.max)
        print("TierQualifyingSQLTests seed \(seed)")
        var rng = SplitMix64(seed: seed)
        let t = try TempStore(); defer { t.cleanup() }
        try t.store.pool.read { db in
            for round in 0..<300 {
                let levels = (1...4).map { level in
                    TierLevel(level: level, enabled: Bool.random(using: &rng), name: "L\(level)",
                              threshold: Int64.random(in: 0...20, using: &rng) * 500, discount: 1000 - level * 10)
                }
                let ladder = TierLadder(metric: Bool.random(using: &rng) ? .amount : .count, levels: levels)
                var values: [Int64] = [0, 1, Int64.random(in: 0...12_000, using: &rng)]
                for l in levels { values += [l.threshold - 1, l.threshold, l.threshold + 1] }
                let sql = "SELECT \(TierUpgrader.levelCase(ladder, value: "v")) FROM (SELECT ? AS v)"
                for v in values {
                    let inSQL = try Int.fetchOne(db, sql: sql, arguments: [v])
                    #expect(inSQL == ladder.qualifyingLevel(value: v), "seed \(seed) round \(round): \(ladder) value \(v)")
                }
            }
        }
    }

    /// The domain rule itself: the highest enabled level reached, a value equal to a threshold reaches it.
    @Test func qualifyingLevelByHand() {
        var ladder = TierLadder.initial
        for l in 1...4 { ladder[l].enabled = true; ladder[l].threshold = Int64(l) * 100 }
        ladder[3].enabled = false
        #expect(ladder.qualifyingLevel(value: 99) == 0)
        #expect(ladder.qualifyingLevel(value: 100) == 1)
        #expect(ladder.qualifyingLevel(value: 300) == 2)     // level 3 is off
        #expect(ladder.qualifyingLevel(value: 400) == 4)
        #expect(ladder.qualifyingSteps.map(\.level) == [4, 2, 1])
    }
}
