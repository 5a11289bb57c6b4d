import Testing
@testable import ECRMDomain

@Suite("RFM scoring: quintiles, custom edges, high/low, segments")
struct RFMScoringTests {
    // MARK: the segment table, row by row

    @Test("the eight-segment table (high R = recent)",
          arguments: [
              (true, true, true, Segment.importantValue, "important_value", "重要价值客户"),
              (true, false, true, .importantDevelop, "important_develop", "重要发展客户"),
              (false, true, true, .importantRetain, "important_retain", "重要保持客户"),
              (false, false, true, .importantWinback, "important_winback", "重要挽留客户"),
              (true, true, false, .generalValue, "general_value", "一般价值客户"),
              (true, false, false, .generalDevelop, "general_develop", "一般发展客户"),
              (false, true, false, .generalRetain, "general_retain", "一般保持客户"),
              (false, false, false, .generalWinback, "general_winback", "一般挽留客户"),
          ])
    func segmentRow(r: Bool, f: Bool, m: Bool, segment: Segment, key: String, chinese: String) {
        #expect(Segment.classify(rHigh: r, fHigh: f, mHigh: m) == segment)
        #expect(segment.rawValue == key)
        #expect(segment.chineseName == chinese)
        #expect(Segment(code: segment.code) == segment)
    }

    @Test("segment none: key, name and code")
    func segmentNone() {
        #expect(Segment.none.rawValue == "none")
        #expect(Segment(code: Segment.none.code) == Segment.none)
        #expect(Segment(code: 200) == nil)
        #expect(Segment.allCases.count == 9)
    }

    @Test("eight members, one per H/L combination, land in the eight rows (custom scores 5 or 1, mean 3)")
    func everyRowThroughScoring() {
        let edges = CustomEdges(monetary: [100, 200, 300, 400])
        var measures: [RFMMeasure] = []
        var expected: [Segment] = []
        for r in [true, false] { for f in [true, false] { for m in [true, false] {
            measures.append(measure(r: r ? 10 : 400, f: f ? 6 : 1, m: m ? 500 : 50))
            expected.append(Segment.classify(rHigh: r, fHigh: f, mHigh: m))
        } } }
        let s = RFM.score(measures, mode: .custom(edges))
        #expect(s.scores.map(\.segment) == expected)
        #expect(Set(expected).count == 8)
        #expect(s.meanR == 3 && s.meanF == 3 && s.meanM == 3)
        #expect(s.scores[0] == RFMScore(r: 5, f: 5, m: 5, segment: .importantValue))
        #expect(s.scores[7] == RFMScore(r: 1, f: 1, m: 1, segment: .generalWinback))
    }

    // MARK: auto quintiles

    @Test("ties share the score of the first holder at position i: 1 + ⌊5i/n⌋ (input order irrelevant)")
    func quintilesWithTies() {
        // sorted: 1 1 1 2 2 3 5 5 8 9 → first holders at 0,3,5,6,8,9 → 1,2,3,4,5,5
        let f = [5, 1, 9, 2, 1, 8, 3, 1, 5, 2]
        let s = RFM.score(f.map { measure(r: 0, f: $0, m: 0) }, mode: .auto)
        #expect(s.scores.map(\.f) == [4, 1, 5, 2, 1, 5, 3, 1, 4, 2])
    }

    @Test("tie groups straddling a quintile boundary take the first holder's score",
          arguments: [
              ([10, 20, 20, 20, 30], [1, 2, 2, 2, 5]),
              ([1, 2, 2, 3], [1, 2, 2, 4]),
              ([7, 7, 7, 7, 7, 7, 7], [1, 1, 1, 1, 1, 1, 1]),
              ([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]),
              ([1, 2, 3, 4, 5, 6], [1, 1, 2, 3, 4, 5]),
          ] as [([Int], [UInt8])])
    func quintileGroups(values: [Int], scores: [UInt8]) {
        let s = RFM.score(values.map { measure(r: 0, f: 1, m: Fen($0)) }, mode: .auto)
        #expect(s.scores.map(\.m) == scores)
    }

    @Test("small n: one member scores 1/1/1 and is high on all (≥ mean) → important value")
    func oneMember() {
        let s = RFM.score([measure(r: 3, f: 2, m: 100)], mode: .auto)
        #expect(s.scores == [RFMScore(r: 1, f: 1, m: 1, segment: .importantValue)])
        #expect(s.scoredCount == 1)
    }

    @Test("small n = 2 and n = 3")
    func twoAndThree() {
        let two = RFM.score([measure(r: 5, f: 3, m: 100), measure(r: 50, f: 7, m: 100)], mode: .auto)
        // R: −50 < −5 → R=50 scores 1, R=5 scores 1+⌊5/2⌋ = 3. F: 3 → 1, 7 → 3. M tied → 1, 1.
        #expect(two.scores[0] == RFMScore(r: 3, f: 1, m: 1, segment: .importantDevelop))
        #expect(two.scores[1] == RFMScore(r: 1, f: 3, m: 1, segment: .importantRetain))
        let three = RFM.score([measure(r: 0, f: 1, m: 300), measure(r: 10, f: 1, m: 100), measure(r: 100, f: 1, m: 200)], mode: .auto)
        // R descending: 100 → 1, 10 → 2, 0 → 4. M: 100 → 1, 200 → 2, 300 → 4. Means 7/3: 4 high, 2 and 1 low.
        // F is tied (all 1 = mean), so it is high for everyone.
        #expect(three.scores.map(\.r) == [4, 2, 1])
        #expect(three.scores.map(\.f) == [1, 1, 1])
        #expect(three.scores.map(\.m) == [4, 1, 2])
        #expect(three.scores.map(\.segment) == [.importantValue, .generalRetain, .generalRetain])
    }

    @Test("R ranks descending: the most recent member scores highest")
    func recencyDescending() {
        let r = [365, 0, 30, 90, 180]
        let s = RFM.score(r.map { measure(r: $0, f: 1, m: 1) }, mode: .auto)
        #expect(s.scores.map(\.r) == [1, 5, 4, 3, 2])
    }

    @Test("unscored members (F = 0) are left out of n and get none")
    func unscoredLeftOut() {
        let s = RFM.score([measure(r: nil, f: 0, m: 0), measure(r: 1, f: 1, m: 10), measure(r: 200, f: 0, m: 0), measure(r: 2, f: 2, m: 20)],
                          mode: .auto)
        #expect(s.scoredCount == 2)
        #expect(s.scores[0] == .unscored)
        #expect(s.scores[2] == .unscored)
        #expect(s.scores[1] == RFMScore(r: 3, f: 1, m: 1, segment: .generalDevelop))
        #expect(s.scores[3] == RFMScore(r: 1, f: 3, m: 3, segment: .importantRetain))
    }

    @Test("nobody scored: all none, means 0")
    func nobodyScored() {
        let s = RFM.score([measure(r: nil, f: 0, m: 0)], mode: .auto)
        #expect(s.scores == [.unscored])
        #expect(s.scoredCount == 0 && s.meanR == 0)
        #expect(RFM.score([], mode: .auto).scores.isEmpty)
    }

    // MARK: high or low

    @Test("high is score ≥ mean, equality included",
          arguments: [
              ([1, 3, 5], [false, true, true]),      // mean 3: 3 is high
              ([1, 2, 5], [false, false, true]),     // mean 8/3: 2 is low
              ([1, 2], [false, true]),               // mean 1.5
              ([2, 2, 2], [true, true, true]),
              ([1, 1, 1, 5], [false, false, false, true]), // mean 2
          ] as [([Int], [Bool])])
    func highIsAtLeastMean(frequencies: [Int], high: [Bool]) {
        let s = RFM.score(frequencies.map { measure(r: 0, f: $0, m: 0) }, mode: .custom(CustomEdges(monetary: [1, 2, 3, 4])))
        #expect(s.scores.map(\.f) == frequencies.map { UInt8(min($0, 5)) })
        // R and M are all equal (high), so F alone picks value vs develop.
        #expect(s.scores.map { $0.segment == .importantValue } == high)
        #expect(s.scores.map { $0.segment == .importantDevelop } == high.map { !$0 })
    }

    @Test("the mean comparison is exact even when the mean is not representable (1/3 steps)")
    func exactMean() {
        // F scores 1,1,1,...: 3n members where mean is (2·k + 1·rest)/n — pick scores 2,1,1 → mean 4/3.
        let s = RFM.score([measure(r: 0, f: 2, m: 0), measure(r: 0, f: 1, m: 0), measure(r: 0, f: 1, m: 0)],
                          mode: .custom(CustomEdges(monetary: [1, 2, 3, 4])))
        #expect(s.scores.map(\.segment) == [.importantValue, .importantDevelop, .importantDevelop])
        #expect(abs(s.meanF - 4.0 / 3.0) < 1e-12)
    }

    // MARK: custom edges

    @Test("custom R default edges ≤30/≤90/≤180/≤365 → 5/4/3/2, else 1",
          arguments: [(0, 5), (30, 5), (31, 4), (90, 4), (91, 3), (180, 3), (181, 2), (365, 2), (366, 1), (4000, 1)] as [(Int, UInt8)])
    func customRecency(days: Int, score: UInt8) {
        let s = RFM.score([measure(r: days, f: 1, m: 1)], mode: .custom(CustomEdges(monetary: [10, 20, 30, 40])))
        #expect(s.scores[0].r == score)
    }

    @Test("custom F default edges: 1/2/3/4/≥5 orders → 1…5",
          arguments: [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 5), (100, 5)] as [(Int, UInt8)])
    func customFrequency(orders: Int, score: UInt8) {
        let s = RFM.score([measure(r: 1, f: orders, m: 1)], mode: .custom(CustomEdges(monetary: [10, 20, 30, 40])))
        #expect(s.scores[0].f == score)
    }

    @Test("custom M edges: ≤e1 → 1 … ≤e4 → 4, else 5",
          arguments: [(0, 1), (10_000, 1), (10_001, 2), (30_000, 2), (30_001, 3), (60_000, 3), (60_001, 4), (100_000, 4), (100_001, 5)] as [(Fen, UInt8)])
    func customMonetary(fen: Fen, score: UInt8) {
        let s = RFM.score([measure(r: 1, f: 1, m: fen)], mode: .custom(CustomEdges(monetary: [10_000, 30_000, 60_000, 100_000])))
        #expect(s.scores[0].m == score)
    }

    @Test("CustomEdges.problem: exactly four strictly increasing non-negative edges")
    func edgeProblems() {
        #expect(CustomEdges(monetary: [1, 2, 3, 4]).problem() == nil)
        #expect(CustomEdges(monetary: [1, 2, 3]).problem() == "M needs exactly 4 edges, got 3")
        #expect(CustomEdges(recencyDays: [30, 30, 180, 365], monetary: [1, 2, 3, 4]).problem() == "R edges must strictly increase (30 then 30)")
        #expect(CustomEdges(frequency: [-1, 2, 3, 4], monetary: [1, 2, 3, 4]).problem() == "F edges must not be negative")
    }

    @Test("bad custom edges never produce a score outside 1…5 (no trap, no grid overflow)")
    func badEdgesStayInRange() {
        let edges = CustomEdges(recencyDays: [1, 2, 3, 4, 5, 6], frequency: [1, 2, 3, 4, 5, 6], monetary: [1, 2, 3, 4, 5, 6])
        let s = RFM.score([measure(r: 100, f: 100, m: 100)], mode: .custom(edges))
        #expect(s.scores[0].r == 1)
        #expect(s.scores[0].f == 5)
        #expect(s.scores[0].m == 5)
    }

    // MARK: seeding M edges

    @Test("seedMonetaryEdges: the largest M auto mode would score 1, 2, 3, 4")
    func seedEdges() {
        #expect(RFM.seedMonetaryEdges([100, 200, 300, 400, 500].map { measure(r: 0, f: 1, m: $0) }) == [100, 200, 300, 400])
        #expect(RFM.seedMonetaryEdges((1...10).reversed().map { measure(r: 0, f: 1, m: Fen($0 * 100)) }) == [200, 400, 600, 800])
        // unscored members do not seed
        #expect(RFM.seedMonetaryEdges([measure(r: nil, f: 0, m: 0)] + [100, 200, 300, 400, 500].map { measure(r: 0, f: 1, m: $0) })
                == [100, 200, 300, 400])
        // ties are nudged so the edges still strictly increase
        #expect(RFM.seedMonetaryEdges(Array(repeating: measure(r: 0, f: 1, m: 500), count: 5)) == [500, 501, 502, 503])
        #expect(RFM.seedMonetaryEdges([]) == [10_000, 30_000, 60_000, 100_000])
        #expect(CustomEdges(monetary: RFM.seedMonetaryEdges([measure(r: 0, f: 1, m: 7)])).problem() == nil)
    }

    @Test("with distinct M values, custom scoring on seeded edges reproduces auto scoring")
    func seededEdgesMatchAuto() {
        let seed: UInt64 = 2026
        var rng = SplitMix64(seed: seed)
        for round in 0..<200 {
            let n = rng.int(1...60)
            var values = Set<Fen>()
            // multiples of 10, so the +1 nudges for n < 5 never reach the next real value
            while values.count < n { values.insert(Fen(rng.int(0...100_000)) * 10) }
            let measures = values.shuffled(using: &rng).map { measure(r: 0, f: 1, m: $0) }
            let auto = RFM.score(measures, mode: .auto).scores.map(\.m)
            let custom = RFM.score(measures, mode: .custom(CustomEdges(monetary: RFM.seedMonetaryEdges(measures)))).scores.map(\.m)
            #expect(auto == custom, "seed \(seed), round \(round): n = \(n)")
        }
    }
}
