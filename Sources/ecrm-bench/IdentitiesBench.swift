import Foundation
import ECRMStore
import ECRMDomain

/// `ecrm-bench identities-import` and `identities` (issue 19's targets; Tests/Bench/identities.sh
/// runs them next to `sqlite3 .import` of the same files):
/// - the extra channels' import with phone linking (JD, then offline: members then orders each);
/// - search by any identity (JD account, card number, Taobao buyer id): p50/p95;
/// - card open of members with 5 identities: p50/p95.
enum IdentitiesBench {
    /// Runs `body`, appending its wall and CPU milliseconds.
    static func sample(_ wall: inout [Double], _ cpu: inout [Double], _ body: () throws -> Void) rethrows {
        let c0 = processCPUSeconds() * 1000
        wall.append(try time(body) * 1000)
        cpu.append(processCPUSeconds() * 1000 - c0)
    }

    /// The four files in one import (`ecrm import jd members … orders … offline members … orders …`),
    /// or, `perChannel`, one import per channel.
    static func importChannels(_ store: Store, dir: String, perChannel: Bool = false) throws {
        var linked = 0, candidates = 0, added = 0
        let cpu0 = processCPUSeconds()
        let files = [("jd", Channel.jd), ("offline", Channel.offline)].map { prefix, channel in
            [Importer.File(.members, "\(dir)/\(prefix)_members.csv", channel: channel), Importer.File(.orders, "\(dir)/\(prefix)_orders.csv", channel: channel)]
        }
        let wall = try time {
            for load in perChannel ? files : [files.flatMap { $0 }] {
                var importer = Importer(store: store)
                importer.measurePhasePeaks = true
                let reports = try importer.run(files: load)
                for r in reports {
                    print("  \(r.channel): \(r.summary)")
                    if !r.phases.isEmpty { print("    phases: \(r.phases)\n    search build: \(r.searchBuild)\(r.searchEarly ? " (paired early)" : "")") }
                    linked += r.identitiesLinked; candidates += r.candidates; added += r.added
                }
            }
        }
        print(String(format: "identities_import_s=%.2f identities_import_cpu_s=%.2f rows_added=%d linked=%d candidates=%d peak_rss_mib=%.0f",
                     wall, processCPUSeconds() - cpu0, added, linked, candidates, peakRSSMiB()))
    }

    static func lookups(_ store: Store, rounds: Int) throws {
        // Members with 5 identities: their Taobao buyer id plus 4 linked by hand.
        let five = try IdentityBenchSupport.taobaoOnlyMembers(store, count: 200)
        let linkTimes = try five.enumerated().map { i, buyer in
            try time {
                for (c, id) in [(Channel.jd, "bench_jd_\(i)"), (.offline, "BENCHC\(i)"), (.douyin, "bench_dy_\(i)"), (.wechat, "bench_wx_\(i)")] {
                    _ = try Identities.link(store, member: buyer, channel: c, externalId: id)
                }
            } / 4 * 1000
        }
        print(String(format: "link_by_hand members=%d p50_ms=%.3f p95_ms=%.3f", five.count, percentile(linkTimes, 0.5), percentile(linkTimes, 0.95)))

        var classes: [(String, [String])] = []
        for c in [Channel.jd, .offline, .taobao] { classes.append((c.rawValue, try IdentityBenchSupport.sampleIds(store, channel: c, count: 300))) }
        classes.append(("linked by hand", five.indices.map { "bench_dy_\($0)" }))
        var all: [Double] = [], allCPU: [Double] = []
        for (_, qs) in classes { for q in qs.prefix(20) { _ = try IdentityBenchSupport.search(store, q) } }   // warm-up
        for (name, qs) in classes {
            var samples: [Double] = [], cpu: [Double] = [], found = 0
            for _ in 0..<rounds {
                for q in qs.shuffled() {
                    try sample(&samples, &cpu) { if try IdentityBenchSupport.search(store, q).count > 0 { found += 1 } }
                }
            }
            all += samples; allCPU += cpu
            print(String(format: "search_by_identity %-14@ queries=%d samples=%d found=%.1f%% p50_ms=%.3f p95_ms=%.3f max_ms=%.2f cpu_p50_ms=%.3f cpu_p95_ms=%.3f",
                         name as NSString, qs.count, samples.count, 100 * Double(found) / Double(max(1, samples.count)),
                         percentile(samples, 0.5), percentile(samples, 0.95), samples.max() ?? 0, percentile(cpu, 0.5), percentile(cpu, 0.95)))
        }
        print(String(format: "search_by_identity_all p50_ms=%.3f p95_ms=%.3f cpu_p50_ms=%.3f cpu_p95_ms=%.3f",
                     percentile(all, 0.5), percentile(all, 0.95), percentile(allCPU, 0.5), percentile(allCPU, 0.95)))

        var cards: [Double] = [], cardsCPU: [Double] = []
        var listed = 0
        for b in five.prefix(20) { _ = try IdentityBenchSupport.openCard(store, key: b) }   // warm-up
        for _ in 0..<rounds {
            for b in five.shuffled() { try sample(&cards, &cardsCPU) { listed = try IdentityBenchSupport.openCard(store, key: b) } }
        }
        print(String(format: "card_5_identities samples=%d identities=%d p50_ms=%.3f p95_ms=%.3f max_ms=%.2f cpu_p50_ms=%.3f cpu_p95_ms=%.3f",
                     cards.count, listed, percentile(cards, 0.5), percentile(cards, 0.95), cards.max() ?? 0,
                     percentile(cardsCPU, 0.5), percentile(cardsCPU, 0.95)))
        var views: [Double] = [], viewsCPU: [Double] = []
        var overview: ChannelOverview?
        for _ in 0..<max(3, rounds) { try sample(&views, &viewsCPU) { overview = try ChannelOverview.compute(store) } }
        if let o = overview {
            print(String(format: "channels_view median_ms=%.1f cpu_median_ms=%.1f members=%d multi_channel=%d links_30d=%d channels=%@", median(views), median(viewsCPU),
                         o.members, o.multiChannel, o.links.total, o.channels.map { "\($0.channel):\($0.members)" }.joined(separator: ",") as NSString))
        }
        // The plain way, for comparison: one pass over every order, one over every member.
        var plain: [Double] = [], plainCPU: [Double] = []
        var check: (ordersScan: Fen, implicitMembers: Int) = (0, 0)
        for _ in 0..<3 { try sample(&plain, &plainCPU) { check = try IdentityBenchSupport.plainChannelScans(store) } }
        print(String(format: "channels_plain_scans median_ms=%.1f cpu_median_ms=%.1f same_spend=%@", median(plain), median(plainCPU),
                     (check.ordersScan == overview?.spend ? "yes" : "NO") as NSString))
    }
}
