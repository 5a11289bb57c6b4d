/// Scores 1...5 per dimension, high/low against the mean score, and the segment (PRODUCT.md: RFM).
public struct RFMScore: Sendable, Equatable, Codable {
    /// 0 when the member is not scored (F = 0).
    public var r: UInt8
    public var f: UInt8
    public var m: UInt8
    public var segment: Segment

    public static let unscored = RFMScore(r: 0, f: 0, m: 0, segment: .none)
    public init(r: UInt8, f: UInt8, m: UInt8, segment: Segment) {
        self.r = r; self.f = f; self.m = m; self.segment = segment
    }
}

public struct RFMScoring: Sendable {
    /// One per input measure, same order.
    public var scores: [RFMScore]
    public var scoredCount: Int
    /// Mean score per dimension over the scored members (0 when none is scored).
    public var meanR: Double
    public var meanF: Double
    public var meanM: Double
}

public enum RFM {
    /// Scores every measure. Unscored members (F = 0) get `RFMScore.unscored`.
    public static func score(_ measures: [RFMMeasure], mode: ScoringMode) -> RFMScoring {
        let scored = measures.indices.filter { measures[$0].isScored }
        var r = [UInt8](repeating: 0, count: measures.count)
        var f = r, m = r
        switch mode {
        case .auto:
            // R sorts descending (more recent ranks higher), so rank by −R ascending.
            assignQuintiles(scored.map { -Int64(measures[$0].recencyDays ?? 0) }, scored, into: &r)
            assignQuintiles(scored.map { Int64(measures[$0].frequency) }, scored, into: &f)
            assignQuintiles(scored.map { measures[$0].monetary }, scored, into: &m)
        case .custom(let edges):
            for i in scored {
                let x = measures[i]
                r[i] = 5 - bucket(Int64(x.recencyDays ?? 0), edges.recencyDays.map(Int64.init))
                f[i] = 1 + bucket(Int64(x.frequency), edges.frequency.map(Int64.init))
                m[i] = 1 + bucket(x.monetary, edges.monetary)
            }
        }
        // Compare score·n ≥ Σscores instead of score ≥ mean: exact, no floating-point edge cases.
        let n = Int64(scored.count)
        var sumR: Int64 = 0, sumF: Int64 = 0, sumM: Int64 = 0
        for i in scored { sumR += Int64(r[i]); sumF += Int64(f[i]); sumM += Int64(m[i]) }
        var scores = [RFMScore](repeating: .unscored, count: measures.count)
        for i in scored {
            let seg = Segment.classify(rHigh: Int64(r[i]) * n >= sumR, fHigh: Int64(f[i]) * n >= sumF, mHigh: Int64(m[i]) * n >= sumM)
            scores[i] = RFMScore(r: r[i], f: f[i], m: m[i], segment: seg)
        }
        let d = n > 0 ? Double(n) : 1
        return RFMScoring(scores: scores, scoredCount: scored.count,
                          meanR: Double(sumR) / d, meanF: Double(sumF) / d, meanM: Double(sumM) / d)
    }

    /// Quintile rule: sort ascending; the first holder of a value at 0-based position i of n scores
    /// 1 + ⌊5i/n⌋, and every member with that value shares the score.
    ///
    /// No sort is needed: i is the number of values below v, and 1 + ⌊5i/n⌋ ≥ k exactly when
    /// i ≥ q = ⌈(k−1)n/5⌉, i.e. when v exceeds the value at sorted position q − 1. So four order
    /// statistics (found by selection, O(n)) decide every score with four comparisons; sorting the
    /// three dimensions of 1M members and a binary search per member took most of an RFM computation.
    static func assignQuintiles(_ values: [Int64], _ members: [Int], into out: inout [UInt8]) {
        let n = values.count
        guard n > 0 else { return }
        let cuts = quintileCuts(values)
        for (k, v) in values.enumerated() {
            var score: UInt8 = 1
            if v > cuts.0 { score += 1 }
            if v > cuts.1 { score += 1 }
            if v > cuts.2 { score += 1 }
            if v > cuts.3 { score += 1 }
            out[members[k]] = score
        }
    }

    /// The values at sorted positions ⌈kn/5⌉ − 1 for k = 1…4 (n ≥ 1): a value scores above k
    /// exactly when it exceeds the k-th of them.
    static func quintileCuts(_ values: [Int64]) -> (Int64, Int64, Int64, Int64) {
        let n = values.count
        var a = values
        var cut = [Int64](repeating: 0, count: 4)
        var lo = 0
        a.withUnsafeMutableBufferPointer { buf in
            for k in 1...4 {
                let pos = (k * n + 4) / 5 - 1
                // Positions ascend, so each search starts where the last one's value settled.
                cut[k - 1] = select(buf, pos, from: lo, to: n)
                lo = pos
            }
        }
        return (cut[0], cut[1], cut[2], cut[3])
    }

    /// The value at sorted position `k` of `a[lo..<hi]` (Hoare's selection with a three-way
    /// partition, so the long runs of equal values F and R have cost nothing extra); `a` is
    /// reordered so that everything before `k` is ≤ and everything after is ≥ that value.
    static func select(_ a: UnsafeMutableBufferPointer<Int64>, _ k: Int, from lo: Int, to hi: Int) -> Int64 {
        var lo = lo, hi = hi
        while hi - lo > 1 {
            // Median of three as the pivot.
            let x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi - 1]
            let pivot = max(min(x, y), min(max(x, y), z))
            // a[lo..<lt] < pivot, a[lt..<i] == pivot, a[gt..<hi] > pivot.
            var lt = lo, i = lo, gt = hi
            while i < gt {
                let v = a[i]
                if v < pivot { a.swapAt(lt, i); lt += 1; i += 1 } else if v > pivot { gt -= 1; a.swapAt(i, gt) } else { i += 1 }
            }
            if k < lt { hi = lt } else if k >= gt { lo = gt } else { return pivot }
        }
        return a[lo]
    }

    /// How many of the ascending edges the value exceeds (0...4). Capped at 4 so edges that skipped
    /// `CustomEdges.problem()` (e.g. a hand-edited settings file) cannot trap or leave 1...5.
    static func bucket(_ v: Int64, _ edges: [Int64]) -> UInt8 {
        var b: UInt8 = 0
        for e in edges where v > e { b += 1 }
        return min(b, 4)
    }

    /// M edges for custom mode, seeded from the shop's quintiles: the largest M that auto mode
    /// would score 1, 2, 3, 4, nudged to stay strictly increasing.
    public static func seedMonetaryEdges(_ measures: [RFMMeasure]) -> [Fen] {
        let values = measures.filter(\.isScored).map(\.monetary).sorted()
        guard !values.isEmpty else { return [10_000, 30_000, 60_000, 100_000] }
        var edges: [Fen] = []
        for k in 1...4 {
            let idx = max(0, (k * values.count + 4) / 5 - 1)
            var e = values[min(idx, values.count - 1)]
            if let last = edges.last, e <= last { e = last + 1 }
            edges.append(e)
        }
        return edges
    }
}
