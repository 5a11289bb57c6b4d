import Foundation
import GRDB
import ECRMDomain

/// For `ecrm-bench` only: the samples its timings are taken over (queries drawn from random members
/// and orders, the groups nearest a size, the data's last paid day), read here so the benchmark
/// holds no SQL and never touches the database. Not part of the product; hence SPI, not public API.
/// Each is one read transaction with the operator's right checked inside it, like every store call.
@_spi(Bench) public enum BenchSupport {
    /// The day of the newest paid order (bench files end in the past), or nil for an empty store.
    public static func lastPaidDay(_ store: Store) throws -> Day? {
        try store.read(.require(.lookUp)) { db in
            try String.fetchOne(db, sql: "SELECT max(last_paid_at) FROM member_list_last").flatMap(Day.parse)
        }
    }

    /// `count` member ids in random order (the card timings).
    public static func randomMemberIds(_ store: Store, count: Int) throws -> [Int64] {
        try store.read(.require(.lookUp)) { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM member ORDER BY random() LIMIT ?", arguments: [count])
        }
    }

    /// A search's first `limit` matches as ids, without the summaries a result list shows (the search alone).
    public static func searchIds(_ store: Store, _ text: String, limit: Int = 50) throws -> [Int64] {
        try store.read(.require(.lookUp)) { try MemberSearch.ids($0, text, limit: limit) }
    }

    /// The system's generator, or with a seed a reproducible one (ECRMDomain's SplitMix64).
    public struct BenchRandom: RandomNumberGenerator {
        var seeded: SplitMix64?
        var system = SystemRandomNumberGenerator()
        public init(seed: UInt64?) { seeded = seed.map(SplitMix64.init(seed:)) }

        public mutating func next() -> UInt64 { seeded?.next() ?? system.next() }
    }

    static func isCJK(_ c: Character) -> Bool {
        c.unicodeScalars.first.map { (0x4E00...0x9FFF).contains($0.value) } ?? false
    }

    /// About `n` distinct search queries per class, drawn from random members and orders: one and two
    /// CJK characters, 3+ characters of a nick, absent characters, phone tails, full phones, order numbers.
    /// `seed`: the same queries on every run over the same store (paired before/after timings).
    public static func searchQueries(_ store: Store, perClass n: Int = 40, seed: UInt64? = nil) throws -> [(String, [String])] {
        try store.read(.require(.lookUp)) { db in
            var rng = BenchRandom(seed: seed)
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

    /// The stored RFM segment and the province whose member counts are nearest `size` (bulk tagging).
    public static func segmentAndProvinceNear(_ store: Store, size: Int) throws -> (segment: Segment, province: String) {
        try store.read(.require(.lookUp)) { db in
            let segs = try Row.fetchAll(db, sql: "SELECT segment, count(*) FROM member_rfm GROUP BY segment")
            let seg = segs.min { abs(($0[1] as Int) - size) < abs(($1[1] as Int) - size) }.flatMap { Segment(code: $0[0]) } ?? .importantValue
            let provs = try Row.fetchAll(db, sql: "SELECT province, count(*) FROM member GROUP BY province")
            let prov: String = provs.min { abs(($0[1] as Int) - size) < abs(($1[1] as Int) - size) }?[0] ?? ""
            return (seg, prov)
        }
    }

    /// The refund figures' orders aggregate alone (the part of shop health it costs), for timing.
    public static func refundAggregate(_ store: Store) throws {
        _ = try store.read(.require(.lookUp)) { db in
            try Row.fetchAll(db, sql: "SELECT status, count(*), sum(amount) FROM orders WHERE status IN ('paid','refunded') GROUP BY status")
        }
    }
}
