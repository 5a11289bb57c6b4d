/// The value distribution quintile edges are found from, kept between imports so that a small
/// change of a few members moves the edges without reading every member again (the store's
/// RFMIncremental). Pure: the store supplies the values as they were and as they are.

/// A multiset of small-range values (an RFM dimension's days or order counts) as counts per value.
public struct RFMHistogram: Sendable, Equatable, Codable {
    public private(set) var counts: [Int64: Int] = [:]
    public private(set) var total = 0

    public init() {}

    public mutating func add(_ v: Int64) { counts[v, default: 0] += 1; total += 1 }

    /// Removes one `v`; false when there is none (the histogram no longer matches the store).
    @discardableResult
    public mutating func remove(_ v: Int64) -> Bool {
        guard let c = counts[v], c > 0 else { return false }
        if c == 1 { counts[v] = nil } else { counts[v] = c - 1 }
        total -= 1
        return true
    }

    /// The four quintile edges (RFM.quintileEdges' rule: the ⌈k·n/5⌉-th smallest values), empty when empty.
    public func quintileEdges() -> [Int64] {
        guard total > 0 else { return [] }
        let keys = counts.keys.sorted()
        var edges: [Int64] = [], i = 0, below = 0
        for k in 1...4 {
            let t = (k * total + 4) / 5 - 1
            while below + counts[keys[i]]! <= t { below += counts[keys[i]]!; i += 1 }
            edges.append(keys[i])
        }
        return edges
    }

    /// How many values exceed `e`.
    public func countAbove(_ e: Int64) -> Int {
        var n = 0
        for (v, c) in counts where v > e { n += c }
        return n
    }
}

/// One edge of a wide-range dimension (amounts) with its place in the multiset: how many values
/// are below it and how many equal it. Its value is the ⌈k·n/5⌉-th smallest exactly when
/// below ≤ ⌈k·n/5⌉ − 1 < below + equal.
public struct RankedEdge: Sendable, Equatable, Codable {
    public var value: Int64
    public var below: Int
    public var equal: Int
    public init(value: Int64, below: Int, equal: Int) { self.value = value; self.below = below; self.equal = equal }

    /// Ranks `values` (any order) against each of `edges`.
    public static func ranked(_ edges: [Int64], in values: some Sequence<Int64>) -> [RankedEdge] {
        var out = edges.map { RankedEdge(value: $0, below: 0, equal: 0) }
        for v in values {
            for k in out.indices {
                if v < out[k].value { out[k].below += 1 } else if v == out[k].value { out[k].equal += 1 }
            }
        }
        return out
    }

    /// The same edge value ranked in the multiset after `removed` left it and `added` joined it
    /// (both sorted ascending; `removed` is part of the multiset).
    public func rebased(removed: [Int64], added: [Int64]) -> RankedEdge {
        func under(_ a: [Int64]) -> Int { lowerBound(a, value) }
        func at(_ a: [Int64]) -> Int { upperBound(a, value) - lowerBound(a, value) }
        return RankedEdge(value: value, below: below - under(removed) + under(added), equal: equal - at(removed) + at(added))
    }

    /// The edge at 0-based rank `t` of the multiset after the change, found from this edge (ranked
    /// in the multiset before it) by walking the distinct values between: `old(from, ascending)`
    /// yields the values before the change strictly above `from` ascending (or strictly below it,
    /// descending), one per member; `removed` and `added` (sorted ascending) are the change. Walks
    /// only as far as the rank moved. Nil when the values run out (they do not match the counts).
    public func moved(toRank t: Int, removed: [Int64], added: [Int64],
                      old: (_ from: Int64, _ ascending: Bool) throws -> AnyIterator<Int64>) rethrows -> RankedEdge? {
        let here = rebased(removed: removed, added: added)
        if here.below <= t && t < here.below + here.equal { return here }
        let up = t >= here.below + here.equal
        let values = try old(value, up)
        var next = values.next()
        // Cursors into the change, on the side walked.
        var a = up ? upperBound(added, value) : lowerBound(added, value) - 1
        var r = up ? upperBound(removed, value) : lowerBound(removed, value) - 1
        var below = up ? here.below + here.equal : here.below
        while true {
            let fromAdded: Int64? = a >= 0 && a < added.count ? added[a] : nil
            guard let v = [next, fromAdded].compactMap({ $0 }).reduce(nil as Int64?, { m, x in m.map { up ? min($0, x) : max($0, x) } ?? x }) else { return nil }
            var c = 0
            while next == v { c += 1; next = values.next() }
            while a >= 0 && a < added.count && added[a] == v { c += 1; a += up ? 1 : -1 }
            while r >= 0 && r < removed.count && (up ? removed[r] < v : removed[r] > v) { r += up ? 1 : -1 }
            while r >= 0 && r < removed.count && removed[r] == v { c -= 1; r += up ? 1 : -1 }
            guard c > 0 else { continue }
            if up {
                if t < below + c { return RankedEdge(value: v, below: below, equal: c) }
                below += c
            } else {
                below -= c
                if below <= t { return RankedEdge(value: v, below: below, equal: c) }
            }
        }
    }
}

/// First index whose element is ≥ v (a sorted ascending).
@inline(__always)
func lowerBound(_ a: [Int64], _ v: Int64) -> Int {
    var lo = 0, hi = a.count
    while lo < hi { let mid = (lo + hi) / 2; if a[mid] < v { lo = mid + 1 } else { hi = mid } }
    return lo
}

/// First index whose element is > v (a sorted ascending).
@inline(__always)
func upperBound(_ a: [Int64], _ v: Int64) -> Int {
    var lo = 0, hi = a.count
    while lo < hi { let mid = (lo + hi) / 2; if a[mid] <= v { lo = mid + 1 } else { hi = mid } }
    return lo
}

extension RFM {
    /// The smallest score that counts as high for a dimension (score·n ≥ sum), as `scoreColumns` finds it.
    public static func lowestHigh(sum: Int64, scored n: Int64) -> UInt8 {
        UInt8((1...6).first { Int64($0) * n >= sum } ?? 6)
    }
}
