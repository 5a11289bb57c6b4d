import Foundation
import ECRMStore
import ECRMDomain

/// Issue 19 figures: `ecrm duplicates` over the whole store (target ≤ 2 s at 1M members), and the
/// merge and unmerge of one candidate pair (≤ 50 ms each). Wall and CPU (user+sys) time per step.
enum MergeBench {
    /// (wall, cpu) seconds of `body`.
    static func measure(_ body: () throws -> Void) rethrows -> (Double, Double) {
        let c = processCPUSeconds()
        let w = try time(body)
        return (w, processCPUSeconds() - c)
    }

    static func run(_ store: Store, runs: Int) throws {
        let service = MergeService(store: store, language: .en)
        var walls: [Double] = [], cpus: [Double] = []
        var found: MergeService.Candidates?
        for _ in 0..<runs {
            let (w, c) = try measure { found = try service.duplicates() }
            walls.append(w); cpus.append(c)
        }
        var byRule: [String: Int] = [:]
        for p in found?.pairs ?? [] { for e in p.evidence { byRule[e.code, default: 0] += 1 } }
        print(String(format: "duplicates pairs=%d crowded=%d %@ median_wall_s=%.3f median_cpu_s=%.3f (runs=%d)", found?.pairs.count ?? 0, found?.crowded.count ?? 0,
                     byRule.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "), median(walls), median(cpus), runs))
        guard let pairs = found?.pairs, let pair = pairs.first(where: { $0.evidence.contains { $0.code == "same_phone" } }) ?? pairs.first else { return }
        var previews: [Double] = [], merges: [Double] = [], unmerges: [Double] = [], mergeCPU: [Double] = [], unmergeCPU: [Double] = []
        for _ in 0..<runs {
            previews.append(try measure { _ = try service.preview(keep: pair.a.buyerId, other: pair.b.buyerId) }.0)
            let m = try measure { try service.merge(keep: pair.a.buyerId, other: pair.b.buyerId) }
            let u = try measure { try service.unmerge(pair.b.buyerId) }
            merges.append(m.0); mergeCPU.append(m.1); unmerges.append(u.0); unmergeCPU.append(u.1)
        }
        print(String(format: "merge pair=%@+%@ preview_median_ms=%.1f merge_median_ms=%.1f merge_cpu_ms=%.1f unmerge_median_ms=%.1f unmerge_cpu_ms=%.1f (runs=%d)",
                     pair.a.buyerId, pair.b.buyerId, median(previews) * 1000, median(merges) * 1000, median(mergeCPU) * 1000,
                     median(unmerges) * 1000, median(unmergeCPU) * 1000, runs))
    }
}
