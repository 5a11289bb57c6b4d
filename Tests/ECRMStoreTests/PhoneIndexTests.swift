import Testing
import ECRMDomain
@testable import ECRMStore

/// The load's phone table agrees with a dictionary of owners while it grows from its smallest size.
/// Seeded (SplitMix64): a failure names its seed, and the same seed replays the same phones.
@Suite struct PhoneIndexTests {
    @Test(arguments: [UInt64(1), 0x5EED, 20_261_205])
    func agreesWithADictionaryWhileGrowing(seed: UInt64) {
        let index = PhoneIndex()
        var oracle: [UInt64: [Int64]] = [:]
        var rng = SplitMix64(seed: seed)
        for member in Int64(1)...30_000 {
            // Few distinct phones among many members: singles, pairs and crowds beyond the limit.
            let phone = 13_800_000_000 + UInt64.random(in: 0..<20_000, using: &rng)
            index.add(phone, member, limit: 11)
            if oracle[phone, default: []].count < 11 { oracle[phone, default: []].append(member) }
        }
        for (phone, owners) in oracle { #expect(index.owners(phone) == owners, "seed \(seed), phone \(phone)") }
        #expect(index.owners(19_999_999_999).isEmpty, "seed \(seed)")
        // Adding a member again changes nothing; ids beyond the slot's bits are not indexed.
        let p: UInt64 = 15_000_000_001
        index.add(p, 7, limit: 11); index.add(p, 7, limit: 11)
        #expect(index.owners(p) == [7], "seed \(seed)")
        index.add(p, Int64(PhoneIndex.sharedMark), limit: 11)
        #expect(index.owners(p) == [7], "seed \(seed)")
    }
}
