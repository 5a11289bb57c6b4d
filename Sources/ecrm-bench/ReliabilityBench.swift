import Foundation
import ECRMStore
import ECRMDomain

/// Figures for "writers wait their turn" (Tests/Bench/reliability.sh runs the multi-process part).
enum ReliabilityBench {
    /// An orders import holds the write lock; once it has it, a tag is created from a second store
    /// connection and timed: its wait is what an operator tagging during the daily import sees.
    /// Also prints how long the import held the lock against its whole run (parsing before the
    /// lock is what keeps the hold short). The import's orders are rolled back between runs by
    /// working on a copy of the store each time.
    /// `rfm`: the stored RFM follows as of today in the import's transaction, as `ecrm import` does.
    static func waitBehindImport(path: String, orders: String, runs: Int, rfm: Bool = false) throws {
        var waits: [Double] = [], holds: [Double] = [], totals: [Double] = [], afterTag: [Double] = []
        for run in 0..<max(1, runs) {
            let copy = path + ".wait-copy"
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) }
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            let importing = try Store(path: copy), tagging = try Store(path: copy)
            let start = Date()
            let done = DispatchSemaphore(value: 0)
            final class End: @unchecked Sendable { var at = Date() }
            let end = End()
            Thread.detachNewThread {
                var importer = Importer(store: importing)
                if rfm { importer.recomputeRFMAsOf = Clock.today() }
                _ = try? importer.run(.orders, path: orders)
                end.at = Date()
                done.signal()
            }
            // Poll the holder's side-file for the import taking the lock.
            while tagging.currentWriter()?.activity != .importing { usleep(200) }
            let lockAt = Date()
            let t0 = Date()
            try TagService(store: tagging).create("wait-\(run)")
            let waited = Date().timeIntervalSince(t0)
            let tagDone = Date()
            done.wait()
            // The import goes on after the tag got its turn: its WAL checkpoint (WalCheckpoints).
            afterTag.append(end.at.timeIntervalSince(tagDone))
            waits.append(waited)
            holds.append(end.at.timeIntervalSince(lockAt))
            totals.append(end.at.timeIntervalSince(start))
            for suffix in ["", "-wal", "-shm", "-writer"] { try? FileManager.default.removeItem(atPath: copy + suffix) }
        }
        print(String(format: "import_total_s=%.2f import_lock_held_s=%.2f tag_wait_behind_import_p50_s=%.2f tag_wait_max_s=%.2f import_after_tag_p50_s=%.2f runs=%d",
                     median(totals), median(holds), median(waits), waits.max() ?? 0, median(afterTag), waits.count))
    }
}
