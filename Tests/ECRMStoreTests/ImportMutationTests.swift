import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// Issue 15, item 7: the seeded mutation test for the import row parser (the libFuzzer target,
/// Tests/Fuzz/, covers the CSV reader: the row parser needs the whole package). Damaged copies of a valid UTF-8 orders file with
/// Chinese nicks: no crash, no hang, every intact row kept as written, nothing garbled, no
/// file-level failure. `ECRM_MUTATION_SEED` replays one seed; a failure names its seed.
@Suite struct ImportMutationTests {
    static let baseSeed: UInt64 = ProcessInfo.processInfo.environment["ECRM_MUTATION_SEED"].flatMap { UInt64($0) } ?? 20_261_205
    static let copies = ProcessInfo.processInfo.environment["ECRM_MUTATION_SEED"] == nil ? 24 : 1

    @Test(arguments: [false, true])
    func damagedCopiesKeepEveryIntactRowAndGarbleNothing(bulk: Bool) throws {
        let original = DamagedImport.original(rows: 300, seed: 7)
        for k in 0..<UInt64(Self.copies) {
            let seed = Self.baseSeed &+ k
            let t = try TempStore(); defer { t.cleanup() }
            let damaged = DamagedImport.damage(original.bytes, seed: seed)
            let o = try DamagedImport.importAndCheck(damaged, rows: original.rows, path: t.dir + "/o.csv", store: t.store,
                                                     importer: t.importer(bulk: bulk))
            #expect(o.fileFailures == 0 && o.intactRejected == 0 && o.garbledStored == 0 && o.intact >= 290,
                    "seed \(seed) (bulk \(bulk)): \(o)")
            #expect(try t.store.pool.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") } == ["ok"], "seed \(seed)")
        }
    }

    /// With quotes among the damage a record may legitimately span lines; still no crash, no hang,
    /// and every row is either stored or reported.
    @Test func damageWithQuotesNeverCrashesAndAccountsForEveryRecord() throws {
        let original = DamagedImport.original(rows: 120, seed: 8)
        for k in 0..<UInt64(Self.copies) {
            let seed = Self.baseSeed &+ 1000 &+ k
            let t = try TempStore(); defer { t.cleanup() }
            var damaged = DamagedImport.damage(original.bytes, seed: seed, quotes: true)
            var rng = SplitMix64(seed: seed)
            for _ in 0..<3 { damaged.insert(UInt8(ascii: "\""), at: DamagedImport.header.count + Int(rng.next() % UInt64(damaged.count - DamagedImport.header.count))) }
            let path = t.dir + "/o.csv"
            try Data(damaged).write(to: URL(fileURLWithPath: path))
            let r = try t.importer(bulk: k % 2 == 0).run(.orders, path: path)
            let stored = try t.store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM orders") ?? 0 }
            #expect(r.added == stored, "seed \(seed)")
            #expect(r.added + r.rejected <= 130, "seed \(seed)")
        }
    }
}
