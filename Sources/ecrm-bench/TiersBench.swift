import Foundation
@_spi(Bench) import ECRMStore
import ECRMDomain

/// `ecrm-bench tiers --db PATH [--runs N]`: the tier issue's figures on a big store — preview (target
/// ≤ 500 ms at 1M members) and publish with the auto-upgrade of every member in one transaction
/// (target ≤ 3 s). Each run publishes a draft with ~15% lower thresholds, so members really move up.
enum TiersBench {
    static func run(_ store: Store, runs: Int) throws {
        // Price the impact over the data's own last 30 days (bench files end in the past).
        let asOf = try BenchSupport.lastPaidDay(store) ?? Clock.today()
        if try TierService.live(store) == nil {
            try TierService.saveDraft(store, TierLadder(metric: .amount, levels: [
                TierLevel(level: 1, enabled: true, name: "普通会员", threshold: 300_000, discount: 980),
                TierLevel(level: 2, enabled: true, name: "高级会员", threshold: 1_000_000, discount: 950),
                TierLevel(level: 3, enabled: true, name: "VIP会员", threshold: 3_000_000, discount: 920),
                TierLevel(level: 4, enabled: true, name: "至尊VIP会员", threshold: 8_000_000, discount: 880),
            ]))
            let first = try TierService.preview(store, asOf: asOf)
            var r: TierService.PublishResult?
            let t = try time { r = try TierService.publish(store, reviewed: first, confirmFloor: true) }
            print(String(format: "tiers_first_publish_s=%.2f upgraded=%d", t, r?.upgraded ?? 0))
        }
        var previewTimes: [Double] = [], publishTimes: [Double] = []
        var members = 0
        for _ in 0..<runs {
            try TierService.editDraft(store) { l in
                for level in 1...4 { l[level].threshold = l[level].threshold * 85 / 100 }
            }
            var preview: TierPreview?
            for _ in 0..<3 { previewTimes.append(try time { preview = try TierService.preview(store, asOf: asOf) }) }
            guard let p = preview else { continue }
            members = p.membersPerLevel.reduce(0, +)
            var r: TierService.PublishResult?
            publishTimes.append(try time { r = try TierService.publish(store, reviewed: p, confirmFloor: true) })
            print(String(format: "  v%lld: preview moves %d up (cost %@), publish upgraded %d in %.2f s",
                         r?.version ?? 0, p.impact.totalMovingUp, Money.display(p.impact.costFen), r?.upgraded ?? 0, publishTimes.last ?? 0))
        }
        // Worst case: level 1 from 0 yuan, so nearly every member moves up in the one transaction.
        try TierService.editDraft(store) { $0[1].threshold = 0 }
        let everyone = try TierService.preview(store, asOf: asOf)
        var mass: TierService.PublishResult?
        let massTime = try time { mass = try TierService.publish(store, reviewed: everyone, confirmFloor: true) }
        print(String(format: "tiers_mass_publish_s=%.2f upgraded=%d", massTime, mass?.upgraded ?? 0))
        print(String(format: "tiers_members=%d tiers_preview_median_s=%.3f tiers_publish_median_s=%.2f (runs=%d, as-of %@) peak_rss_mib=%.0f",
                     members, median(previewTimes), median(publishTimes), runs, asOf.description, peakRSSMiB()))
    }
}
