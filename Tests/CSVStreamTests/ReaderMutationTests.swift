import Foundation
import Testing

@testable import CSVStream

/// Issue 15, item 7 for the reader: seeded random byte strings made of what matters to a CSV
/// reader (separators, quotes, line ends, UTF-8 and GBK pieces, invalid bytes) read the same
/// whatever the chunk size, with no crash and no hang. A failure names its seed.
@Suite struct ReaderMutationTests {
    static let alphabet: [[UInt8]] = [
        [0x2C], [0x22], [0x0A], [0x0D], [0x0D, 0x0A], [0x61], [0x31], [0x20], Array("张".utf8), Array("小明".utf8),
        [0xD5, 0xC5], [0xFF], [0xC3], [0x80], [0xE5, 0xB0], [0x00], [0xEF, 0xBB, 0xBF],
    ]

    @Test(arguments: [CSVEncoding.auto, .utf8, .gb18030])
    func sameRecordsWhateverTheChunkSize(encoding: CSVEncoding) throws {
        var rng = SeededBytes(state: 0x15A)
        for seed in 0..<150 {
            rng.state = 0x15A &+ UInt64(seed) &* 0x9E37_79B9
            var bytes: [UInt8] = []
            for _ in 0..<(1 + Int(rng.next() % 120)) { bytes += Self.alphabet[Int(rng.next() % UInt64(Self.alphabet.count))] }
            let reference = try readItems(bytes, encoding: encoding, chunkSize: CSVReader.defaultChunkSize)
            for chunk in [1, 2, 5] {
                let other = try readItems(bytes, encoding: encoding, chunkSize: chunk)
                #expect(other.items == reference.items && other.encoding == reference.encoding, "seed \(seed) chunk \(chunk)")
            }
        }
    }
}

/// SplitMix64, as ECRMDomain has it (CSVStream's tests do not depend on ECRMDomain).
struct SeededBytes {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
