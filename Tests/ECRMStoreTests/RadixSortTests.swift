import Testing
@testable import ECRMStore

@Suite struct RadixSortTests {
    /// Both radix sorts agree with the standard sort on random keys, narrow key ranges (a search
    /// partition shares its top byte), duplicates and tiny inputs.
    @Test(arguments: [0, 1, 2, 47, 48, 49, 1000, 100_000])
    func radixSortsAgreeWithTheStandardSort(count: Int) {
        var rng = SystemRandomNumberGenerator()
        let shapes: [[UInt64]] = [
            (0..<count).map { _ in rng.next() },
            (0..<count).map { _ in 0x3A00_0000_0000_0000 | (rng.next() >> 8) },
            (0..<count).map { _ in UInt64.random(in: 0..<16, using: &rng) << 40 },
        ]
        for keys in shapes {
            var a = keys, b = keys
            RadixSort.sort(&a)
            RadixSort.sortInPlace(&b)
            let expected = keys.sorted()
            #expect(a == expected)
            #expect(b == expected)
        }
    }
}
