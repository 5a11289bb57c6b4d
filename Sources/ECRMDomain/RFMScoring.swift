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
    /// The edges and score sums this scoring used: what a member scored later against it gets
    /// (a merged member, until the next whole-shop scoring).
    public var scale: RFMScale
}

public enum RFM {
    /// Scores every measure. Unscored members (F = 0) get `RFMScore.unscored`.
    public static func score(_ measures: [RFMMeasure], mode: ScoringMode) -> RFMScoring {
        let scored = measures.indices.filter { measures[$0].isScored }
        var r = [UInt8](repeating: 0, count: measures.count)
        var f = r, m = r
        var scale = RFMScale(mode: mode)
        switch mode {
        case .auto:
            // R sorts descending (more recent ranks higher), so rank by −R ascending.
            scale.r = assignQuintiles(scored.map { -Int64(measures[$0].recencyDays ?? 0) }, scored, into: &r)
            scale.f = assignQuintiles(scored.map { Int64(measures[$0].frequency) }, scored, into: &f)
            scale.m = assignQuintiles(scored.map { measures[$0].monetary }, scored, into: &m)
        case .custom:
            for i in scored {
                let x = measures[i]
                (r[i], f[i], m[i]) = scale.scores(recencyDays: x.recencyDays ?? 0, frequency: x.frequency, monetary: x.monetary)
            }
        }
        // Compare score·n ≥ Σscores instead of score ≥ mean: exact, no floating-point edge cases.
        scale.scored = Int64(scored.count)
        for i in scored { scale.sumR += Int64(r[i]); scale.sumF += Int64(f[i]); scale.sumM += Int64(m[i]) }
        var scores = [RFMScore](repeating: .unscored, count: measures.count)
        let n = scale.scored, sumR = scale.sumR, sumF = scale.sumF, sumM = scale.sumM
        for i in scored {
            let seg = Segment.classify(rHigh: Int64(r[i]) * n >= sumR, fHigh: Int64(f[i]) * n >= sumF, mHigh: Int64(m[i]) * n >= sumM)
            scores[i] = RFMScore(r: r[i], f: f[i], m: m[i], segment: seg)
        }
        let (meanR, meanF, meanM) = scale.means
        return RFMScoring(scores: scores, scoredCount: scored.count, meanR: meanR, meanF: meanF, meanM: meanM, scale: scale)
    }

    /// Quintile rule: sort ascending; the first holder of a value at 0-based position i of n scores
    /// 1 + ⌊5i/n⌋, and every member with that value shares the score.
    /// Returns the four edges (empty when no value).
    @discardableResult
    static func assignQuintiles(_ values: [Int64], _ members: [Int], into out: inout [UInt8]) -> [Int64] {
        let n = values.count
        guard n > 0 else { return [] }
        // The first holder of v sits at position pos = how many values are below v, and
        // 1 + ⌊5·pos/n⌋ ≥ k + 1 exactly when pos ≥ ⌈k·n/5⌉, that is when v exceeds the ⌈k·n/5⌉-th
        // smallest value. So four order statistics decide every score: found by counting (linear
        // time; selection only inside the buckets holding them) instead of a sort, and each
        // member's score is four comparisons instead of a binary search.
        var work = values
        let edges = quintileEdgesByCounting(&work)
        let e1 = edges[0], e2 = edges[1], e3 = edges[2], e4 = edges[3]
        for k in 0..<n {
            let v = values[k]
            var score: UInt8 = 1
            if v > e1 { score += 1 }
            if v > e2 { score += 1 }
            if v > e3 { score += 1 }
            if v > e4 { score += 1 }
            out[members[k]] = score
        }
        return edges
    }

    /// The four quintile edges of `work` (n > 0): the ⌈k·n/5⌉-th smallest values, k = 1…4. A value
    /// scores 1 + how many of them it exceeds. `work` is reordered.
    static func quintileEdges(_ work: inout [Int64]) -> [Int64] {
        let n = work.count
        var edges: [Int64] = []
        var from = 0
        for k in 1...4 {
            let t = (k * n + 4) / 5 - 1   // 0-based index of the ⌈k·n/5⌉-th smallest
            select(&work, t, from: from)
            edges.append(work[t])
            from = t   // everything from t on is ≥ work[t]: the next statistic is there
        }
        return edges
    }

    /// Puts into a[t] the value a full sort would put there, considering a[from...] only (the part
    /// before `from` must hold nothing larger than what is after it). Three-way partitions around a
    /// median of three, so long runs of equal values (F) end the search early; after 64 rounds
    /// the rest is sorted, so no input can make it quadratic.
    static func select(_ a: inout [Int64], _ t: Int, from: Int) {
        a.withUnsafeMutableBufferPointer { a in
            var lo = from, hi = a.count
            var rounds = 0
            while hi - lo > 1 {
                rounds += 1
                if rounds > 64 {
                    var rest = UnsafeMutableBufferPointer(rebasing: a[lo..<hi])
                    rest.sort()
                    return
                }
                let x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi - 1]
                let pivot = max(min(x, y), min(max(x, y), z))
                // [lo, lt) < pivot, [lt, i) == pivot, (gt, hi) > pivot.
                var lt = lo, i = lo, gt = hi - 1
                while i <= gt {
                    let v = a[i]
                    if v < pivot {
                        a.swapAt(lt, i); lt += 1; i += 1
                    } else if v > pivot {
                        a.swapAt(i, gt); gt -= 1
                    } else {
                        i += 1
                    }
                }
                if t < lt { hi = lt } else if t > gt { lo = gt + 1 } else { return }
            }
        }
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
