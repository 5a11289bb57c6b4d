import Testing
@testable import ECRMDomain

/// The quintile scores found by selection (four order statistics) equal the rule as PRODUCT.md
/// writes it: sort ascending, the first holder of a value at position i of n scores 1 + ⌊5i/n⌋.
@Suite("RFM quintiles by selection agree with the sorted rule (2,000 seeded inputs)")
struct QuintileSelectionRandomTests {
    /// The rule written out the slow way.
    static func byTheRule(_ values: [Int64]) -> [UInt8] {
        let sorted = values.sorted()
        let n = sorted.count
        var first: [Int64: Int] = [:]
        for (i, v) in sorted.enumerated() where first[v] == nil { first[v] = i }
        return values.map { UInt8(1 + 5 * first[$0]! / n) }
    }

    static func bySelection(_ values: [Int64]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: values.count)
        RFM.assignQuintiles(values, Array(values.indices), into: &out)
        return out
    }

    @Test("random inputs: few distinct values, many, sorted, reversed, all equal (n = 1…300)")
    func randomInputs() {
        var rng = SplitMix64(seed: 20)
        for round in 0..<2_000 {
            let n = 1 + Int(rng.next() % 300)
            let spread: UInt64 = [1, 3, 7, 50, 1_000_000][round % 5]
            var values = (0..<n).map { _ in Int64(rng.next() % spread) - Int64(spread / 2) }
            if round % 7 == 3 { values.sort() }
            if round % 7 == 4 { values.sort(by: >) }
            #expect(Self.bySelection(values) == Self.byTheRule(values), "n=\(n) values=\(values)")
        }
    }

    @Test("the pinned small cases", arguments: [
        ([10, 20, 20, 20, 30], [1, 2, 2, 2, 5]),
        ([1, 2, 2, 3], [1, 2, 2, 4]),
        ([7, 7, 7], [1, 1, 1]),
        ([5], [1]),
        ([2, 1], [3, 1]),
        ([1, 2, 3, 4, 5, 6], [1, 1, 2, 3, 4, 5]),
    ] as [([Int64], [UInt8])])
    func pinned(values: [Int64], scores: [UInt8]) {
        #expect(Self.bySelection(values) == scores)
        #expect(Self.byTheRule(values) == scores)
    }

    @Test("a large input with long runs of equal values (like F) and the extremes of Int64")
    func large() {
        var rng = SplitMix64(seed: 7)
        var values = (0..<100_000).map { _ in Int64(rng.next() % 6) }
        values[17] = .max; values[99] = .min
        #expect(Self.bySelection(values) == Self.byTheRule(values))
    }
}
