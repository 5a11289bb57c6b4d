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
                scale.r = quintileEdgesByCounting(&rk); scale.f = quintileEdgesByCounting(&fk); scale.m = quintileEdgesByCounting(&mk)
            }
        }
        r = [UInt8](repeating: 0, count: count); f = r; m = r
        segment = [UInt8](repeating: Segment.none.code, count: count)
        var n: Int64 = 0, sr: Int64 = 0, sf: Int64 = 0, sm: Int64 = 0
        if scale.quintiles && scale.r.count == 4 {
            // The hot loop with the twelve edges in registers.
            let (r1, r2, r3, r4) = (scale.r[0], scale.r[1], scale.r[2], scale.r[3])
            let (f1, f2, f3, f4) = (scale.f[0], scale.f[1], scale.f[2], scale.f[3])
            let (m1, m2, m3, m4) = (scale.m[0], scale.m[1], scale.m[2], scale.m[3])
            @inline(__always) func q(_ v: Int64, _ e1: Int64, _ e2: Int64, _ e3: Int64, _ e4: Int64) -> UInt8 {
                1 + (v > e1 ? 1 : 0) + (v > e2 ? 1 : 0) + (v > e3 ? 1 : 0) + (v > e4 ? 1 : 0)
            }
            recency.withUnsafeBufferPointer { rec in
            frequency.withUnsafeBufferPointer { fr in
            monetary.withUnsafeBufferPointer { mo in
            r.withUnsafeMutableBufferPointer { ro in
            f.withUnsafeMutableBufferPointer { fo in
            m.withUnsafeMutableBufferPointer { mout in
                for i in 0..<count where fr[i] >= 1 {
                    let a = q(-Int64(rec[i]), r1, r2, r3, r4), b = q(Int64(fr[i]), f1, f2, f3, f4), c = q(mo[i], m1, m2, m3, m4)
                    ro[i] = a; fo[i] = b; mout[i] = c
                    n += 1; sr += Int64(a); sf += Int64(b); sm += Int64(c)
                }
            }}}}}}
        } else {
            for i in 0..<count where frequency[i] >= 1 {
                let (a, b, c) = scale.scores(recencyDays: Int(recency[i]), frequency: Int(frequency[i]), monetary: monetary[i])
                r[i] = a; f[i] = b; m[i] = c
                n += 1; sr += Int64(a); sf += Int64(b); sm += Int64(c)
            }
        }
        scale.scored = n; scale.sumR = sr; scale.sumF = sf; scale.sumM = sm
        // High when score·n ≥ Σscores: the smallest high score per dimension, then the segment's
        // eight codes looked up by the three high/low bits.
        func lowestHigh(_ sum: Int64) -> UInt8 { UInt8((1...6).first { Int64($0) * n >= sum }!) }
        let hr = lowestHigh(sr), hf = lowestHigh(sf), hm = lowestHigh(sm)
        var codes = [UInt8](repeating: 0, count: 8)
        for bits in 0..<8 { codes[bits] = Segment.classify(rHigh: bits & 4 != 0, fHigh: bits & 2 != 0, mHigh: bits & 1 != 0).code }
        frequency.withUnsafeBufferPointer { fr in
        r.withUnsafeBufferPointer { ro in
        f.withUnsafeBufferPointer { fo in
        m.withUnsafeBufferPointer { mo in
        segment.withUnsafeMutableBufferPointer { so in
            for i in 0..<count where fr[i] >= 1 {
                so[i] = codes[(ro[i] >= hr ? 4 : 0) | (fo[i] >= hf ? 2 : 0) | (mo[i] >= hm ? 1 : 0)]
            }
        }}}}}
        return scale
    }

    /// The same four edges as `quintileEdges`, found by counting: values in a narrow range (days,
    /// order counts) by one count per value; wide ranges (amounts) by counts per bucket of values,
    /// then selection only among the values of the buckets holding an edge. `work` may be reordered.
    static func quintileEdgesByCounting(_ work: inout [Int64]) -> [Int64] {
        let n = work.count
        guard n > 0 else { return [] }
        var lo = Int64.max, hi = Int64.min
        for v in work { if v < lo { lo = v }; if v > hi { hi = v } }
        let span = UInt64(bitPattern: hi &- lo)
        var shift: UInt64 = 0
        while span >> shift >= 1 << 16 { shift += 1 }
        var counts = [Int](repeating: 0, count: Int(span >> shift) + 1)
        work.withUnsafeBufferPointer { w in
            counts.withUnsafeMutableBufferPointer { c in
                for v in w { c[Int(UInt64(bitPattern: v &- lo) >> shift)] += 1 }
            }
        }
        var edges: [Int64] = []
        var bucket = 0, below = 0   // values in buckets before `bucket`
        for k in 1...4 {
            let t = (k * n + 4) / 5 - 1
            while below + counts[bucket] <= t { below += counts[bucket]; bucket += 1 }
            if shift == 0 {
                edges.append(lo + Int64(bucket))
            } else {
                // The t-th smallest is the (t − below)-th smallest of this bucket's values.
                var inBucket = work.filter { Int(UInt64(bitPattern: $0 &- lo) >> shift) == bucket }
                select(&inBucket, t - below, from: 0)
                edges.append(inBucket[t - below])
            }
        }
        return edges
    }
}
