import Testing
@testable import ECRMDomain

/// The kept distribution (RFMHistogram, RankedEdge) gives the quintile edges that selection over
/// the whole multiset gives, after any change: values removed and added, the count going up or
/// down, many ties, edges moving far or not at all.
@Suite struct RFMDistributionTests {
    static func values(_ rng: inout SplitMix64, n: Int, spread: UInt64) -> [Int64] {
        (0..<n).map { _ in Int64(rng.next() % spread) * (rng.next() % 3 == 0 ? 7 : 1) }
    }

    @Test func histogramEdgesAreTheQuintileEdges() {
        var rng = SplitMix64(seed: 61)
        for round in 0..<2_000 {
            let xs = Self.values(&rng, n: 1 + Int(rng.next() % 80), spread: 1 + rng.next() % 40)
            var h = RFMHistogram()
            for v in xs { h.add(v) }
            // Remove some, add some: the histogram follows.
            var now = xs
            for _ in 0..<Int(rng.next() % 10) where !now.isEmpty {
                let i = Int(rng.next() % UInt64(now.count))
                let removed = h.remove(now[i])
                #expect(removed)
                now.remove(at: i)
            }
            for _ in 0..<Int(rng.next() % 10) { let v = Int64(rng.next() % 50); h.add(v); now.append(v) }
            guard !now.isEmpty else { #expect(h.quintileEdges().isEmpty); continue }
            var work = now
            let edges = RFM.quintileEdges(&work)
            #expect(h.quintileEdges() == edges, "round \(round)")
            for e in edges { #expect(h.countAbove(e) == now.filter { $0 > e }.count, "round \(round)") }
        }
        var h = RFMHistogram()
        let removed = h.remove(3)
        #expect(!removed)
    }

    @Test func rankedEdgesMoveToTheNewQuintileEdges() {
        var rng = SplitMix64(seed: 62)
        for round in 0..<3_000 {
            let spread = [5, 40, 1_000][Int(rng.next() % 3)]
            let before = Self.values(&rng, n: 1 + Int(rng.next() % 120), spread: UInt64(spread))
            var work = before
            let oldEdges = RFM.quintileEdges(&work)
            let ranked = RankedEdge.ranked(oldEdges, in: before)
            // A change: some members leave (removed values), some come or change (added values).
            var after = before, removed: [Int64] = [], added: [Int64] = []
            for _ in 0..<Int(rng.next() % 30) where !after.isEmpty {
                let i = Int(rng.next() % UInt64(after.count))
                removed.append(after.remove(at: i))
            }
            for _ in 0..<Int(rng.next() % 30) {
                let v = rng.next() % 4 == 0 ? Int64(spread + Int(rng.next() % 50)) : Int64(rng.next() % UInt64(spread))
                added.append(v); after.append(v)
            }
            removed.sort(); added.sort()
            guard !after.isEmpty else { continue }
            var w2 = after
            let newEdges = RFM.quintileEdges(&w2)
            let sortedBefore = before.sorted()
            var walked = 0
            for k in 0..<4 {
                let t = ((k + 1) * after.count + 4) / 5 - 1
                let moved = ranked[k].moved(toRank: t, removed: removed, added: added) { from, up in
                    let vs = up ? sortedBefore.filter { $0 > from } : sortedBefore.filter { $0 < from }.reversed()
                    var it = vs.makeIterator()
                    return AnyIterator { walked += 1; return it.next() }
                }
                #expect(moved?.value == newEdges[k], "round \(round) edge \(k)")
                #expect(moved == RankedEdge.ranked([newEdges[k]], in: after).first, "round \(round) edge \(k)")
                // Rebased at the same value: the same ranks as counting afresh.
                #expect(ranked[k].rebased(removed: removed, added: added) == RankedEdge.ranked([oldEdges[k]], in: after).first)
            }
            #expect(walked <= 4 * (before.count + 1), "round \(round)")
        }
    }

    @Test func lowestHighIsTheScoringsHighLine() {
        for n in Int64(1)...40 {
            for sum in n...(5 * n) {
                let s = RFM.lowestHigh(sum: sum, scored: n)
                #expect(Int64(s) * n >= sum && (s == 1 || Int64(s - 1) * n < sum))
            }
        }
    }
}
