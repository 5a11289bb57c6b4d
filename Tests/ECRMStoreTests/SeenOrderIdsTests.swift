import Testing
@testable import ECRMStore
import ECRMDomain

/// SeenOrderIds against a plain dictionary: ascending runs with small, 16-bit-overflowing and huge
/// steps, ids out of order, repeats of either, and line gaps (multi-line records, blank lines).
@Suite struct SeenOrderIdsTests {
    @Test(arguments: [1 as UInt64, 2, 3, 4, 5])
    func answersAsADictionaryWould(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let seen = SeenOrderIds()
        var reference: [Int64: Int] = [:]
        var id: Int64 = Int64(rng.next() % 1000) - 500
        var line = 2
        var given: [Int64] = []
        for _ in 0..<5000 {
            let roll = rng.next() % 100
            let next: Int64
            switch roll {
            case 0..<60: next = id + 1 + Int64(rng.next() % 9000)                  // ascending, 16-bit step
            case 60..<70: next = id + 65_535 + Int64(rng.next() % 1_000_000_000_000)  // ascending, far step
            case 70..<85 where !given.isEmpty: next = given[Int(rng.next() % UInt64(given.count))]   // a repeat
            default: next = Int64(rng.next() % 2_000_000) - 1_000_000              // anywhere
            }
            if next > id { id = next }
            line += rng.next() % 10 == 0 ? 2 + Int(rng.next() % 3) : 1
            let expected = reference[next]
            #expect(seen.firstLine(of: next, at: line) == expected, "seed \(seed): id \(next) line \(line)")
            if expected == nil { reference[next] = line; given.append(next) }
        }
    }
}
