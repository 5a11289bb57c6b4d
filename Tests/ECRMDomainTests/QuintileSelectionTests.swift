import Testing
@testable import ECRMDomain

/// Quintile scores come from four order statistics found by selection (RFMScoring.assignQuintiles);
/// PRODUCT.md's rule written the plain way (sort, first holder of a value at position i scores
/// 1 + ⌊5i/n⌋) must give the same scores for any values, ties and sizes.
@Suite struct QuintileSelectionTests {
    static func byTheRule(_ values: [Int64]) -> [UInt8] {
        let sorted = values.sorted()
        return values.map { v in UInt8(1 + 5 * sorted.firstIndex(of: v)! / values.count) }
    }

    @Test func selectionScoresAsTheRuleSays() {
        var rnd = SplitMix64(seed: 21)
        for round in 0..<400 {
            let n = 1 + Int(rnd.next() % 300)
            // Few distinct values (long ties, as F), many (as M), or sorted and reversed runs.
            let spread = [2, 7, 50, 1_000_000][round % 4]
            var values = (0..<n).map { _ in Int64(rnd.next() % UInt64(spread)) - Int64(spread / 3) }
            if round % 5 == 1 { values.sort() }
            if round % 5 == 2 { values.sort(by: >) }
            var out = [UInt8](repeating: 0, count: n)
            RFM.assignQuintiles(values, Array(0..<n), into: &out)
            #expect(out == Self.byTheRule(values), "round \(round), n \(n), seed 21")
        }
    }

    @Test func selectFindsTheOrderStatistic() {
        var rnd = SplitMix64(seed: 5)
        for _ in 0..<200 {
            let n = 1 + Int(rnd.next() % 200)
            let values = (0..<n).map { _ in Int64(rnd.next() % 20) }
            let t = Int(rnd.next() % UInt64(n))
            var a = values
            RFM.select(&a, t, from: 0)
            #expect(a[t] == values.sorted()[t])
            #expect(a[..<t].allSatisfy { $0 <= a[t] } && a[(t + 1)...].allSatisfy { $0 >= a[t] })
        }
    }
}
