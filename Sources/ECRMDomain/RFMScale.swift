/// How one whole-shop scoring turned values into scores (PRODUCT.md: RFM): per dimension the four
/// edges (a value scores 1 + how many edges it exceeds; R on −recency days, so more recent is
/// higher), and the score sums over the scored members (high = score·n ≥ sum, i.e. ≥ the mean).
/// Stored with every recompute, so a member whose values change between recomputes (a merge) is
/// scored as that scoring would have scored it.
public struct RFMScale: Sendable, Equatable, Codable {
    /// Quintiles (auto: edges found from the values, R's on −recency days) or the owner's edges
    /// (custom: R's in recency days, ≤ edge scores higher).
    public var quintiles: Bool
    /// Four edges per dimension; empty with quintiles when nobody is scored.
    public var r: [Int64] = [], f: [Int64] = [], m: [Int64] = []
    public var scored: Int64 = 0
    public var sumR: Int64 = 0, sumF: Int64 = 0, sumM: Int64 = 0

    public init(mode: ScoringMode) {
        switch mode {
        case .auto: quintiles = true
        case .custom(let e):
            quintiles = false
            r = e.recencyDays.map(Int64.init); f = e.frequency.map(Int64.init); m = e.monetary
        }
    }

    /// A scored member's three scores (F ≥ 1).
    @inline(__always)
    public func scores(recencyDays: Int, frequency: Int, monetary: Fen) -> (UInt8, UInt8, UInt8) {
        if quintiles {
            return (1 + Self.above(-Int64(recencyDays), r), 1 + Self.above(Int64(frequency), f), 1 + Self.above(monetary, m))
        }
        // RFM.bucket's rule: capped at 4, so edges that skipped CustomEdges.problem() stay in 1...5.
        return (5 - min(Self.above(Int64(recencyDays), r), 4), 1 + min(Self.above(Int64(frequency), f), 4), 1 + min(Self.above(monetary, m), 4))
    }

    /// The segment of scores (all ≥ 1) against this scoring's means.
    @inline(__always)
    public func segment(r: UInt8, f: UInt8, m: UInt8) -> Segment {
        Segment.classify(rHigh: Int64(r) * scored >= sumR, fHigh: Int64(f) * scored >= sumF, mHigh: Int64(m) * scored >= sumM)
    }

    /// One member's score against this scale (unscored when F = 0).
    public func score(_ x: RFMMeasure) -> RFMScore {
        guard x.isScored else { return .unscored }
        let (r, f, m) = scores(recencyDays: x.recencyDays ?? 0, frequency: x.frequency, monetary: x.monetary)
        return RFMScore(r: r, f: f, m: m, segment: segment(r: r, f: f, m: m))
    }

    public var means: (r: Double, f: Double, m: Double) {
        let d = scored > 0 ? Double(scored) : 1
        return (Double(sumR) / d, Double(sumF) / d, Double(sumM) / d)
    }

    @inline(__always)
    static func above(_ v: Int64, _ edges: [Int64]) -> UInt8 {
        var n: UInt8 = 0
        for e in edges where v > e { n += 1 }
        return n
    }
}

extension RFM {
    /// Scores a shop given as columns (one entry per member): recency days (read only where F ≥ 1),
    /// frequency, monetary. The same scores, segments and scale as `score(_:mode:)` over the same
    /// measures, without a million measure structs: the store's incremental refresh keeps its
    /// members this way. Writes r, f, m (0 when unscored) and the segment code per member.
    public static func scoreColumns(recency: [Int32], frequency: [Int32], monetary: [Int64], mode: ScoringMode,
                                    r: inout [UInt8], f: inout [UInt8], m: inout [UInt8], segment: inout [UInt8]) -> RFMScale {
        let count = frequency.count
        var scale = RFMScale(mode: mode)
        if scale.quintiles {
            var n = 0
            for i in 0..<count where frequency[i] >= 1 { n += 1 }
            if n > 0 {
                var rk = [Int64](), fk = [Int64](), mk = [Int64]()
                rk.reserveCapacity(n); fk.reserveCapacity(n); mk.reserveCapacity(n)
                for i in 0..<count where frequency[i] >= 1 {
                    rk.append(-Int64(recency[i])); fk.append(Int64(frequency[i])); mk.append(monetary[i])
                }
                scale.r = quintileEdges(&rk); scale.f = quintileEdges(&fk); scale.m = quintileEdges(&mk)
            }
        }
        r = [UInt8](repeating: 0, count: count); f = r; m = r
        segment = [UInt8](repeating: Segment.none.code, count: count)
        var n: Int64 = 0, sr: Int64 = 0, sf: Int64 = 0, sm: Int64 = 0
        for i in 0..<count where frequency[i] >= 1 {
            let (a, b, c) = scale.scores(recencyDays: Int(recency[i]), frequency: Int(frequency[i]), monetary: monetary[i])
            r[i] = a; f[i] = b; m[i] = c
            n += 1; sr += Int64(a); sf += Int64(b); sm += Int64(c)
        }
        scale.scored = n; scale.sumR = sr; scale.sumF = sf; scale.sumM = sm
        // The segment's eight codes, looked up by the three high/low bits.
        var codes = [UInt8](repeating: 0, count: 8)
        for bits in 0..<8 { codes[bits] = Segment.classify(rHigh: bits & 4 != 0, fHigh: bits & 2 != 0, mHigh: bits & 1 != 0).code }
        for i in 0..<count where frequency[i] >= 1 {
            let bits = (Int64(r[i]) * n >= sr ? 4 : 0) | (Int64(f[i]) * n >= sf ? 2 : 0) | (Int64(m[i]) * n >= sm ? 1 : 0)
            segment[i] = codes[bits]
        }
        return scale
    }
}
