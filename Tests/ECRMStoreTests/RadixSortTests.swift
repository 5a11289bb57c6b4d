import Testing
@testable import ECRMStore

@Suite struct RadixSortTests {
    /// The radix sort agrees with the standard sort on random keys, narrow key ranges (a search
    /// partition shares its top byte), duplicates and tiny inputs.
    @Test(arguments: [0, 1, 2, 47, 48, 49, 256, 257, 1000, RadixSort.smallKeys, RadixSort.smallKeys + 1, 100_000])
    func radixSortAgreesWithTheStandardSort(count: Int) {
        var rng = SystemRandomNumberGenerator()
        let shapes: [[UInt64]] = [
            (0..<count).map { _ in rng.next() },
            (0..<count).map { _ in 0x3A00_0000_0000_0000 | (rng.next() >> 8) },
            (0..<count).map { _ in UInt64.random(in: 0..<16, using: &rng) << 40 },
            // Two shared top bytes (levels skipped without moving), then random low bits.
            (0..<count).map { _ in 0x3A3B_0000_0000_0000 | (rng.next() >> 16) },
            // One value repeated (every level skipped).
            [UInt64](repeating: 0x0102_0304_0506_0708, count: count),
        ]
        for keys in shapes {
            #expect(sorted(keys, fromShift: 56) == keys.sorted())
        }
        // As the search build calls it: groups that share their top 16 bits, sorted from bit 40.
        let group = (0..<count).map { _ in 0xBEEF_0000_0000_0000 | (rng.next() >> 16) }
        #expect(sorted(group, fromShift: 40) == group.sorted())
        // With spare room for the whole range (distributed through it), or for only part of it
        // (the large levels in place, the smaller ones through it).
        for room in [count, count / 3] {
            for keys in shapes + [group] {
                #expect(sorted(keys, fromShift: 56, spare: room) == keys.sorted())
            }
        }
    }

    private func sorted(_ keys: [UInt64], fromShift shift: UInt64, spare room: Int = 0) -> [UInt64] {
        var a = keys
        let spare = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: room)
        defer { spare.deallocate() }
        a.withUnsafeMutableBufferPointer { buf in
            RadixSort.withScratch { RadixSort.sort(buf, fromShift: shift, scratch: $0, spare: spare) }
        }
        return a
    }
}
