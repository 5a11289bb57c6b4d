import Testing
@testable import ECRMStore

@Suite struct RadixSortTests {
    /// The radix sort agrees with the standard sort on random keys, narrow key ranges (a search
    /// partition shares its top byte), duplicates and tiny inputs.
    @Test(arguments: [0, 1, 2, 47, 48, 49, 1000, 100_000])
    func radixSortAgreesWithTheStandardSort(count: Int) {
        var rng = SystemRandomNumberGenerator()
        let shapes: [[UInt64]] = [
            (0..<count).map { _ in rng.next() },
            (0..<count).map { _ in 0x3A00_0000_0000_0000 | (rng.next() >> 8) },
            (0..<count).map { _ in UInt64.random(in: 0..<16, using: &rng) << 40 },
        ]
        for keys in shapes {
            var a = keys
            RadixSort.sort(&a)
            #expect(a == keys.sorted())
        }
    }
}
