import Testing
@testable import ECRMDomain

/// Scoring from columns (the store's incremental refresh) and scoring one member against a stored
/// scale (a merge) give exactly what the whole-shop scoring gives.
@Suite struct RFMScaleTests {
    static func measures(_ rng: inout SplitMix64, n: Int) -> [RFMMeasure] {
        (0..<n).map { _ in
            let f = Int(rng.next() % 4)
            let rec = Int(rng.next() % 9) * 40
            return RFMMeasure(recencyDays: f == 0 && rng.next() % 2 == 0 ? nil : rec, frequency: f, monetary: Fen(rng.next() % 5) * 1_000,
                              paidCount: f, firstPaid: nil, lastPaid: nil)
        }
    }

    @Test func columnsScoreAsTheWholeShopScoring() {
        var rng = SplitMix64(seed: 31)
        for round in 0..<500 {
            let xs = Self.measures(&rng, n: Int(rng.next() % 60))
            let mode: ScoringMode = round % 3 == 0 ? .custom(CustomEdges(monetary: [500, 1_000, 2_500, 4_000])) : .auto
            let whole = RFM.score(xs, mode: mode)
            var r: [UInt8] = [], f: [UInt8] = [], m: [UInt8] = [], seg: [UInt8] = []
            let scale = RFM.scoreColumns(recency: xs.map { Int32($0.recencyDays ?? 0) }, frequency: xs.map { Int32($0.frequency) },
                                         monetary: xs.map(\.monetary), mode: mode, r: &r, f: &f, m: &m, segment: &seg)
            #expect(scale == whole.scale, "round \(round)")
            for i in xs.indices {
                let s = whole.scores[i]
                #expect([r[i], f[i], m[i], seg[i]] == [s.r, s.f, s.m, s.segment.code], "round \(round) member \(i)")
                // One member scored against the stored scale: what the whole-shop scoring gave it.
                #expect(whole.scale.score(xs[i]) == s, "round \(round) member \(i)")
            }
        }
    }
}

/// Edges by counting (narrow ranges per value, wide ones per bucket) equal edges by selection.
@Suite struct QuintileEdgesByCountingTests {
    @Test func equalEdgesBySelection() {
        var rng = SplitMix64(seed: 44)
        for round in 0..<3_000 {
            let n = 1 + Int(rng.next() % 400)
            let spread: UInt64 = [1, 5, 400, 70_000, 1 << 40, UInt64.max][round % 6]
            var values = (0..<n).map { _ in Int64(bitPattern: rng.next() % spread) }
            if round % 4 == 1 { values = values.map { -abs($0 / 2) } }
            if round % 9 == 2 { values.sort() }
            var a = values, b = values
            #expect(RFM.quintileEdgesByCounting(&a) == RFM.quintileEdges(&b), "round \(round)")
        }
    }
}
