import Foundation
import GRDB
import ECRMStore

/// `ecrm-bench search` and `card`: query latency per class on a long-lived store, like the console.
enum SearchBench {
    static func isCJK(_ c: Character) -> Bool {
        c.unicodeScalars.first.map { (0x4E00...0x9FFF).contains($0.value) } ?? false
    }

    /// ~40 distinct queries per class, drawn from random members and orders.
    static func queries(_ store: Store, perClass n: Int = 40) throws -> [(String, [String])] {
        try store.pool.read { db in
            var rng = SystemRandomNumberGenerator()
            let maxId = try Int64.fetchOne(db, sql: "SELECT max(id) FROM member") ?? 0
            var one = Set<String>(), two = Set<String>(), three = Set<String>(), tails = Set<String>(), phones = Set<String>()
            var attempts = 0
            while (one.count < n || two.count < n || three.count < n || tails.count < n || phones.count < n) && attempts < 100_000 {
                attempts += 1
                guard let row = try Row.fetchOne(db, sql: "SELECT nick, name, phone FROM member WHERE id = ?", arguments: [Int64.random(in: 1...max(1, maxId), using: &rng)]) else { continue }
                let nick: String = row[0], name: String = row[1], phone: String = row[2]
                let text = Array(Bool.random(using: &rng) ? nick : name)
                if let i = text.indices.randomElement(using: &rng) {
                    if isCJK(text[i]), one.count < n { one.insert(String(text[i])) }
                    if i + 1 < text.count, isCJK(text[i]), isCJK(text[i + 1]), two.count < n { two.insert(String(text[i...i + 1])) }
                }
                let nk = Array(nick)
                if nk.count >= 3, three.count < n {
                    let len = Int.random(in: 3...min(5, nk.count), using: &rng)
                    let s = Int.random(in: 0...(nk.count - len), using: &rng)
                    three.insert(String(nk[s..<(s + len)]))
                }
                if phone.count == 11 {
                    if tails.count < n { tails.insert(String(phone.suffix(4))) }
                    if phones.count < n { phones.insert(phone) }
                }
            }
            let lo = try Int64.fetchOne(db, sql: "SELECT min(order_id) FROM orders") ?? 0
            let hi = try Int64.fetchOne(db, sql: "SELECT max(order_id) FROM orders") ?? 0
            var orders: [String] = []
            for _ in 0..<(hi > lo ? n : 0) {
                let from = Int64.random(in: lo...hi, using: &rng)
                // As the shop wrote it: a text number (issue 18) is looked up by its text.
                if let o = try String.fetchOne(db, sql: "SELECT coalesce(order_no, CAST(order_id AS TEXT)) FROM orders WHERE order_id >= ? LIMIT 1", arguments: [from]) { orders.append(o) }
            }
            let absent = Array("鑫龘靐齉爨癵驫麤纞厵灪鬱籲钃饕餮魑魅魍魉".map(String.init).prefix(n))
            return [("1 CJK char", one.sorted()), ("2 CJK chars", two.sorted()), ("3+ chars", three.sorted()),
                    ("absent 1-2 chars", absent + ["鑫龘", "靐齉", "饕餮"]), ("phone tail 4", tails.sorted()),
                    ("phone 11", phones.sorted()), ("order number", orders)]
        }
    }

    static func run(_ store: Store, rounds: Int) throws {
        let classes = try queries(store)
        var sink = 0
        for (_, qs) in classes { for q in qs { sink += try store.pool.read { try MemberSearch.search($0, q).count } } }   // warm-up
        for (name, qs) in classes {
            var samples: [Double] = []
            var hits = 0
            for _ in 0..<rounds {
                for q in qs.shuffled() {
                    samples.append(try time { hits += try store.pool.read { try MemberSearch.search($0, q).count } } * 1000)
                }
            }
            print(String(format: "search %-17@ queries=%3d samples=%4d avg_hits=%5.1f p50_ms=%.3f p95_ms=%.3f max_ms=%.2f",
                         name as NSString, qs.count, samples.count, Double(hits) / Double(max(1, samples.count)),
                         percentile(samples, 0.5), percentile(samples, 0.95), samples.max() ?? 0))
        }
        print(String(format: "search_peak_rss_mib=%.0f (warm-up hits %d)", peakRSSMiB(), sink))
    }

    static func card(_ store: Store, rounds: Int) throws {
        let ids = try store.pool.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM member ORDER BY random() LIMIT 200")
        }
        for id in ids.prefix(20) { _ = try store.pool.read { try MemberQueries.detail($0, id: id) } }
        var samples: [Double] = []
        for _ in 0..<rounds {
            for id in ids.shuffled() {
                samples.append(try time { _ = try store.pool.read { try MemberQueries.detail($0, id: id) } } * 1000)
            }
        }
        print(String(format: "card samples=%d p50_ms=%.3f p95_ms=%.3f max_ms=%.2f peak_rss_mib=%.0f",
                     samples.count, percentile(samples, 0.5), percentile(samples, 0.95), samples.max() ?? 0, peakRSSMiB()))
    }
}
