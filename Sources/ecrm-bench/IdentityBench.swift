import Foundation
import ECRMStore
import ECRMDomain

/// `ecrm-bench identities --db PATH [--dir D] [--jd N] [--offline N]` on an imported shop (issue 19's
/// targets): writes a JD members file and an offline-card members file (30% of them carrying the
/// phone of an existing member), imports them with phone linking (wall and CPU seconds) beside
/// `sqlite3 .import` of the same files into bare tables, then times search by an identity (JD
/// account, card number) and the card of members with five identities.
enum IdentityBench {
    static func run(_ store: Store, dir: String, jd: Int, offline: Int, rounds: Int) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let phones = try IdentityBenchSupport.samplePhones(store, count: (jd + offline) * 3 / 10)
        var rng = SystemRandomNumberGenerator()
        var shared = phones.makeIterator()
        func phone(_ i: Int) -> String {
            if i % 10 < 3, let p = shared.next() { return p }
            return "19" + String(format: "%09d", Int.random(in: 0..<1_000_000_000, using: &rng))
        }
        let jdFile = dir + "/jd-members.csv", offFile = dir + "/offline-members.csv"
        var text = "buyer_id,nick,phone\n"
        for i in 0..<jd { text += "jd_\(String(format: "%07d", i)),京东用户\(i),\(phone(i))\n" }
        try Data(text.utf8).write(to: URL(fileURLWithPath: jdFile))
        text = "buyer_id,nick,phone\n"
        for i in 0..<offline { text += "VIP\(String(format: "%07d", i)),门店会员\(i),\(phone(i + 7))\n" }
        try Data(text.utf8).write(to: URL(fileURLWithPath: offFile))
        text = ""

        // Baseline: the same files into bare tables.
        let base = dir + "/identities-baseline.sqlite"
        try? FileManager.default.removeItem(atPath: base)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [base]
        let pipe = Pipe()
        p.standardInput = pipe
        let t0 = DispatchTime.now().uptimeNanoseconds
        try p.run()
        pipe.fileHandleForWriting.write(Data("""
            CREATE TABLE jd(buyer_id TEXT PRIMARY KEY, nick, phone);
            CREATE TABLE offline(buyer_id TEXT PRIMARY KEY, nick, phone);
            .mode csv
            .import --skip 1 \(jdFile) jd
            .import --skip 1 \(offFile) offline

            """.utf8))
        try pipe.fileHandleForWriting.close()
        p.waitUntilExit()
        let baseline = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        try? FileManager.default.removeItem(atPath: base)
        print(String(format: "identities_sqlite3_import_keyed_s=%.2f", baseline))

        let c0 = processCPUSeconds()
        var reports: [ImportReport] = []
        let wall = try time {
            reports.append(try Importer(store: store).run(.members, path: jdFile, channel: .jd))
            reports.append(try Importer(store: store).run(.members, path: offFile, channel: .offline))
        }
        let cpuS = processCPUSeconds() - c0
        print(String(format: "identities_import_s=%.2f cpu_s=%.2f ratio=%.2f jd_linked=%d jd_candidates=%d offline_linked=%d offline_candidates=%d peak_rss_mib=%.0f",
                     wall, cpuS, wall / baseline, reports[0].identitiesLinked, reports[0].candidates,
                     reports[1].identitiesLinked, reports[1].candidates, peakRSSMiB(reports)))

        // Search by an identity (JD account, card number): p50/p95 over random ones.
        let queries = (0..<40).map { _ in "jd_" + String(format: "%07d", Int.random(in: 0..<jd, using: &rng)) }
            + (0..<40).map { _ in "VIP" + String(format: "%07d", Int.random(in: 0..<offline, using: &rng)) }
        for q in queries.prefix(10) { _ = try IdentityBenchSupport.search(store, q) }
        var samples: [Double] = []
        var misses = 0
        for _ in 0..<rounds {
            for q in queries.shuffled() {
                samples.append(try time { if try IdentityBenchSupport.search(store, q).count == 0 { misses += 1 } } * 1000)
            }
        }
        print(String(format: "search_identity samples=%d misses=%d p50_ms=%.3f p95_ms=%.3f max_ms=%.2f",
                     samples.count, misses, percentile(samples, 0.5), percentile(samples, 0.95), samples.max() ?? 0))

        // The card of members with five identities (their Taobao one and four linked by hand).
        let buyers = try IdentityBenchSupport.taobaoOnlyMembers(store, count: 200)
        let channels: [Channel] = [.wechat, .douyin, .pdd, .youzan]
        for (k, buyer) in buyers.enumerated() {
            for c in channels { _ = try? Identities.link(store, member: buyer, channel: c, externalId: "bench\(k)-\(c.rawValue)") }
        }
        for buyer in buyers.prefix(20) { _ = try IdentityBenchSupport.openCard(store, key: buyer) }
        var card: [Double] = []
        var five = 0
        for _ in 0..<rounds {
            for buyer in buyers.shuffled() {
                card.append(try time { if try IdentityBenchSupport.openCard(store, key: buyer) >= 5 { five += 1 } } * 1000)
            }
        }
        print(String(format: "card_5_identities samples=%d with_5_or_more=%d p50_ms=%.3f p95_ms=%.3f max_ms=%.2f",
                     card.count, five, percentile(card, 0.5), percentile(card, 0.95), card.max() ?? 0))
    }
}
