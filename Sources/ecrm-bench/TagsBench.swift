import Foundation
@_spi(Bench) import ECRMStore
import ECRMDomain

/// Timings for tags, health and export on a big store (after `ecrm-bench rfm`, so member_rfm exists).
enum TagsBench {
    /// Bulk tag of the segment closest to 100,000 members and of a province, each undone; rule-tag evaluation.
    static func tags(_ store: Store, rounds: Int) throws {
        let tags = TagService(store: store), bulk = BulkTagger(store: store)
        let name = "bench-\(getpid())"
        try tags.create(name)
        defer { _ = try? tags.delete(name) }
        let near = try BenchSupport.segmentAndProvinceNear(store, size: 100_000)
        let (segment, province): (MemberSet, MemberSet) = (.segment(near.segment), .region(province: near.province, city: nil))
        for set in [segment, province] {
            var previews: [Double] = [], applies: [Double] = [], undos: [Double] = []
            var changed = 0
            for _ in 0..<rounds {
                previews.append(try time { _ = try bulk.preview(name, set) })
                applies.append(try time { changed = try bulk.apply(name, to: set).changed })
                undos.append(try time { _ = try bulk.undoLast() })
            }
            print(String(format: "bulk_tag set=\"%@\" members=%d preview_median_s=%.3f apply_median_s=%.3f undo_median_s=%.3f (runs=%d)",
                         set.description, changed, median(previews), median(applies), median(undos), rounds))
        }
        // Rule tags: a profile + spend rule and an RFM rule; first evaluation fills, later ones find nothing to change.
        let rules = [("\(name)-r1", MemberRule(provinces: [provinceName(province)], spendMin: 50_000)),
                     ("\(name)-r2", MemberRule(lifecycles: [.active], segments: [.importantValue, .importantDevelop]))]
        defer { for (n, _) in rules { _ = try? tags.delete(n) } }
        let fill = try time { for (n, r) in rules { try tags.create(n, rule: r) } }
        var evals: [Double] = []
        var changes: [RuleTags.Change] = []
        for _ in 0..<rounds { evals.append(try time { changes = try RuleTags.evaluateAll(store) }) }
        let members = changes.filter { $0.tag.hasPrefix(name) }.map { "\($0.members)" }.joined(separator: "+")
        print(String(format: "rule_tags count=%d bench_rule_members=%@ first_fill_s=%.3f evaluate_all_median_s=%.3f (runs=%d)",
                     changes.count, members, fill, median(evals), rounds))
    }

    /// Shop health and the 7-day birthday list.
    static func health(_ store: Store, rounds: Int, asOf: Day) throws {
        var hs: [Double] = [], bs: [Double] = []
        var h: ShopHealth?
        var n = 0
        for _ in 0..<rounds {
            hs.append(try time { h = try ShopHealth.compute(store, asOf: asOf) })
            bs.append(try time { n = try Birthdays.upcoming(store, from: asOf, days: 7).count })
        }
        let refundStart = DispatchTime.now().uptimeNanoseconds
        try BenchSupport.refundAggregate(store)
        let refundOnly = Double(DispatchTime.now().uptimeNanoseconds - refundStart) / 1e9
        print(String(format: "health buyers=%d repurchase=%.3f reactivation=%.3f refund_by_count=%.4f median_s=%.3f (refund query alone %.3f s) birthdays_7d=%d birthdays_median_s=%.3f (runs=%d) peak_rss_mib=%.0f",
                     h?.buyers ?? 0, h?.repurchase.value ?? 0, h?.reactivation.rate.value ?? 0, h?.refunds.byCount.value ?? 0,
                     median(hs), refundOnly, n, median(bs), rounds, peakRSSMiB()))
    }

    /// Export of every member through Exporter (masked phones).
    static func export(_ store: Store, rounds: Int, asOf: Day) throws {
        let path = NSTemporaryDirectory() + "ecrm-bench-export-\(getpid()).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var ts: [Double] = []
        var n = 0
        for _ in 0..<rounds {
            ts.append(try time { n = try Exporter(store: store).export(to: path, settings: RFMSettings(asOf: asOf), reveal: false) })
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print(String(format: "export members=%d bytes=%d median_s=%.2f (runs=%d) peak_rss_mib=%.0f", n, size, median(ts), rounds, peakRSSMiB()))
    }

    private static func provinceName(_ set: MemberSet) -> String {
        set.rule?.provinces?.first ?? ""
    }
}
