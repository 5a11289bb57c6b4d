import Foundation
@_spi(Bench) import ECRMStore

/// `ecrm-bench search` and `card`: query latency per class on a long-lived store, like the console.
enum SearchBench {
    /// ~40 distinct queries per class, drawn from random members and orders.
    static func queries(_ store: Store, perClass n: Int = 40, seed: UInt64? = nil) throws -> [(String, [String])] {
        try BenchSupport.searchQueries(store, perClass: n, seed: seed)
    }

    /// `seed`: the same queries (and order) on every run; `only`: the classes whose name contains it.
    /// `idsOnly`: the search without the result rows' summaries (BenchSupport.searchIds).
    static func run(_ store: Store, rounds: Int, seed: UInt64? = nil, only: String? = nil, idsOnly: Bool = false) throws {
        let classes = try queries(store, seed: seed).filter { only == nil || $0.0.contains(only!) }
        var rng = BenchSupport.BenchRandom(seed: seed)
        var sink = 0
        // Warm-up; with --ids, also a digest of every query's ids in order per class (the same digest
        // from two builds over the same store and seed: the same members in the same order).
        var digests: [String] = []
        for (name, qs) in classes {
            var digest: UInt64 = 0xcbf2_9ce4_8422_2325
            for q in qs {
                if idsOnly {
                    let ids = try BenchSupport.searchIds(store, q)
                    sink += ids.count
                    for id in ids { digest = (digest ^ UInt64(bitPattern: id)) &* 0x100_0000_01b3 }
                    digest = (digest ^ 0xff) &* 0x100_0000_01b3
                } else {
                    sink += try MemberSearch.search(store, q).count
                }
            }
            if idsOnly { digests.append("\(name): \(String(digest, radix: 16))") }
        }
        if idsOnly { print("search ids digest: " + digests.joined(separator: ", ")) }
        for (name, qs) in classes {
            var samples: [Double] = []
            var hits = 0
            for _ in 0..<rounds {
                for q in qs.shuffled(using: &rng) {
                    samples.append(try time { hits += try idsOnly ? BenchSupport.searchIds(store, q).count : MemberSearch.search(store, q).count } * 1000)
                }
            }
            print(String(format: "search %-17@ queries=%3d samples=%4d avg_hits=%5.1f p50_ms=%.3f p95_ms=%.3f max_ms=%.2f",
                         name as NSString, qs.count, samples.count, Double(hits) / Double(max(1, samples.count)),
                         percentile(samples, 0.5), percentile(samples, 0.95), samples.max() ?? 0))
        }
        print(String(format: "search_peak_rss_mib=%.0f (warm-up hits %d)", peakRSSMiB(), sink))
    }

    static func card(_ store: Store, rounds: Int) throws {
        let ids = try BenchSupport.randomMemberIds(store, count: 200)
        for id in ids.prefix(20) { _ = try MemberQueries.detail(store, id: id) }
        var samples: [Double] = []
        for _ in 0..<rounds {
            for id in ids.shuffled() {
                samples.append(try time { _ = try MemberQueries.detail(store, id: id) } * 1000)
            }
        }
        print(String(format: "card samples=%d p50_ms=%.3f p95_ms=%.3f max_ms=%.2f peak_rss_mib=%.0f",
                     samples.count, percentile(samples, 0.5), percentile(samples, 0.95), samples.max() ?? 0, peakRSSMiB()))
    }
}
