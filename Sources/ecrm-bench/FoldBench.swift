import Foundation
import ECRMStore

/// ecrm-bench fold --db PATH [--in-place] [--runs N]: the search delta's fold at the store's size
/// (issue 15), with a tag created the moment the fold takes the write lock: how long the fold held
/// the lock, its whole time, and the tag's wait. `--in-place`: the fold as a rebuild inside one
/// write (the baseline). The store's search tables are rebuilt either way (its delta goes); the
/// off-lock fold runs only when the delta is due: fill search_delta past 2 pairs per member first
/// (and search_meta's delta_rows), e.g. with random rows from the sqlite3 shell (README: Search fold).
enum FoldBench {
    static func run(path: String, inPlace: Bool, runs: Int) throws {
        var holds: [Double] = [], totals: [Double] = [], waits: [Double] = []
        for run in 0..<max(1, runs) {
            let folding = try Store(path: path), tagging = try Store(path: path)
            final class End: @unchecked Sendable { var at = Date(); var folded = false }
            let end = End()
            let done = DispatchSemaphore(value: 0)
            let start = Date()
            Thread.detachNewThread {
                if inPlace { end.folded = (try? SearchAdmin.rebuild(folding)) != nil }
                else { end.folded = (try? SearchAdmin.foldIfDue(folding)) ?? false }
                end.at = Date()
                done.signal()
            }
            // Poll the holder's side-file for the fold taking the lock (or the fold ending without).
            var lockAt: Date?
            while lockAt == nil {
                if tagging.currentWriter()?.activity == .index { lockAt = Date() }
                else if done.wait(timeout: .now()) == .success { done.signal(); break }
                else { usleep(200) }
            }
            let t0 = Date()
            if lockAt != nil { _ = try TagService(store: tagging).create("fw\(run)-\(Int(start.timeIntervalSince1970) % 1_000_000)") }
            let waited = Date().timeIntervalSince(t0)
            done.wait()
            guard end.folded, let lockAt else {
                print("run \(run): no fold (delta not due, or the store busy)")
                continue
            }
            holds.append(end.at.timeIntervalSince(lockAt)); totals.append(end.at.timeIntervalSince(start)); waits.append(waited)
        }
        print(String(format: "fold_mode=%@ fold_total_s=%.2f fold_lock_held_s=%.2f tag_wait_behind_fold_p50_s=%.2f tag_wait_max_s=%.2f peak_rss_mib=%.0f runs=%d",
                     inPlace ? "in-place" : "off-lock", median(totals), median(holds), median(waits), waits.max() ?? 0, peakRSSMiB(), holds.count))
    }
}
