import Foundation
import ECRMStore
import ECRMDomain

/// `ecrm-bench damaged`: issue 15's reliability target. Seeded damaged copies of a valid UTF-8
/// orders file with Chinese nicks (DamagedImport), each imported into a fresh store as
/// `ecrm import orders` does; prints garbled rows stored, intact rows rejected and file-level
/// failures (targets: 0, 0, 0), and the seeds of any copy that missed.
enum DamagedBench {
    static func run(copies: Int, rows: Int, seed: UInt64, directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let original = DamagedImport.original(rows: rows, seed: seed)
        var total = DamagedImport.Outcome()
        var missed: [UInt64] = []
        let db = directory + "/shop.sqlite"
        let started = DispatchTime.now().uptimeNanoseconds
        for k in 0..<UInt64(copies) {
            let copySeed = seed &* 1_000_003 &+ k
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
            let store = try Store(path: db, create: true)
            let damaged = DamagedImport.damage(original.bytes, seed: copySeed)
            let o = try DamagedImport.importAndCheck(damaged, rows: original.rows, path: directory + "/orders.csv",
                                                     store: store, importer: Importer(store: store))
            if o.garbledStored > 0 || o.intactRejected > 0 || o.fileFailures > 0 { missed.append(copySeed) }
            total += o
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        print("damaged_copies=\(copies) rows_per_copy=\(rows) seed=\(seed)")
        print("intact_rows=\(total.intact) rows_stored=\(total.rowsStored) rows_rejected=\(total.rowsRejected)")
        print("garbled_rows_stored=\(total.garbledStored) intact_rows_rejected=\(total.intactRejected) file_level_failures=\(total.fileFailures)")
        print(String(format: "damaged_total_s=%.1f", seconds))
        if !missed.isEmpty { print("missed_seeds=\(missed.prefix(20).map(String.init).joined(separator: ","))") }
    }
}
