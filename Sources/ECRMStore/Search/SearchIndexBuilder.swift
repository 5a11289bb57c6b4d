import Foundation
import GRDB
import GRDBSQLite

/// Rebuilds every search structure from member, member_stats: ranks, then postings.
/// Gram generation is cheap (hashing), so it is repeated once per partition instead of holding all
/// ~30M pairs of a 1M shop at once: each partition (a range of the hash's top byte) holds at most
/// `partitionMax` pairs, which bounds the build's memory at about 2 × 8 × partitionMax bytes.
struct SearchIndexBuilder {
    static let partitionMax = 2 << 20
    static let unranked = UInt32.max

    let db: Database
    private var texts: [UInt32] = []
    /// Per member loaded: rank, and where nick and name sit in `texts` (name ends where the next starts).
    private var ranks: [UInt32] = []
    private var starts: [UInt32] = []
    private var phoneKeys: [UInt64] = []
    private var layout = PostingLayout(memberCount: 0)

    init(db: Database) { self.db = db }

    mutating func run() throws {
        try db.execute(sql: """
            DELETE FROM search_rank; DELETE FROM search_small; DELETE FROM search_large; DELETE FROM search_delta;
            DROP INDEX IF EXISTS search_rank_member
            """)
        var clock = BuildClock()
        let (rankOf, count) = try writeRanks()
        clock.mark("ranks")
        layout = PostingLayout(memberCount: count)
        try loadTexts(rankOf, count: count)
        clock.mark("texts")
        try writePostings(&clock)
        try layout.save(db)
        try db.execute(sql: "CREATE UNIQUE INDEX search_rank_member ON search_rank(member_id)")
        clock.mark("rank index")
    }

    /// rk 0 = the latest paid order; members who never bought come last, newest member first.
    /// Returns rank by member id (`unranked` for none); ids are dense, the loader hands them out in sequence.
    private func writeRanks() throws -> (rankOf: [UInt32], count: Int) {
        let maxId = try Int64.fetchOne(db, sql: "SELECT max(id) FROM member") ?? 0
        var rankOf = [UInt32](repeating: Self.unranked, count: Int(max(0, maxId)) + 1)
        let insert = try RawStatement(db, "INSERT INTO search_rank(rk, member_id) VALUES (?, ?)")
        let paid = try db.makeStatement(sql: """
            SELECT member_id FROM member_stats WHERE last_paid_at IS NOT NULL ORDER BY last_paid_at DESC, member_id DESC
            """)
        var rk: Int64 = 0
        while sqlite3_step(paid.sqliteStatement) == SQLITE_ROW {
            let id = sqlite3_column_int64(paid.sqliteStatement, 0)
            insert.bind(1, rk); insert.bind(2, id)
            try insert.step()
            rankOf[Int(id)] = UInt32(rk)
            rk += 1
        }
        sqlite3_reset(paid.sqliteStatement)
        let all = try db.makeStatement(sql: "SELECT id FROM member ORDER BY id DESC")
        while sqlite3_step(all.sqliteStatement) == SQLITE_ROW {
            let id = sqlite3_column_int64(all.sqliteStatement, 0)
            if rankOf[Int(id)] != Self.unranked { continue }
            insert.bind(1, rk); insert.bind(2, id)
            try insert.step()
            rankOf[Int(id)] = UInt32(rk)
            rk += 1
        }
        sqlite3_reset(all.sqliteStatement)
        return (rankOf, Int(rk))
    }

    private mutating func loadTexts(_ rankOf: [UInt32], count n: Int) throws {
        ranks.reserveCapacity(n); starts.reserveCapacity(2 * n + 1); phoneKeys.reserveCapacity(n)
        let s = try db.makeStatement(sql: "SELECT id, nick, name, phone FROM member")
        let h = s.sqliteStatement
        var phone: [UInt32] = []
        while sqlite3_step(h) == SQLITE_ROW {
            let id = Int(sqlite3_column_int64(h, 0))
            guard id >= 0, id < rankOf.count, rankOf[id] != Self.unranked else { continue }
            let rk = rankOf[id]
            ranks.append(rk)
            starts.append(UInt32(texts.count)); UTF8Scalars.append(h, 1, to: &texts)
            starts.append(UInt32(texts.count)); UTF8Scalars.append(h, 2, to: &texts)
            phone.removeAll(keepingCapacity: true); UTF8Scalars.append(h, 3, to: &phone)
            phoneKeys.append(Gram.phoneTailKey(phone) ?? 0)
        }
        sqlite3_reset(h)
        starts.append(UInt32(texts.count))
    }

    /// Calls body(hash, rank) for every gram of every member.
    @inline(__always)
    private func forEachPair(_ body: (UInt64, UInt32) -> Void) {
        for m in 0..<ranks.count {
            let rk = ranks[m]
            let a = Int(starts[2 * m]), b = Int(starts[2 * m + 1]), c = Int(starts[2 * m + 2])
            Gram.forEach(field: texts[a..<b]) { body($0, rk) }
            Gram.forEach(field: texts[b..<c]) { body($0, rk) }
            if phoneKeys[m] != 0 { body(phoneKeys[m], rk) }
        }
    }

    private func writePostings(_ clock: inout BuildClock) throws {
        var histogram = [Int](repeating: 0, count: 256)
        forEachPair { h, _ in histogram[Int(h >> 56)] += 1 }
        clock.mark("count")
        let writer = try PostingWriter(db: db, layout: layout)
        var lo = 0
        while lo < 256 {
            var hi = lo, total = 0
            while hi < 256 && (hi == lo || total + histogram[hi] <= Self.partitionMax) { total += histogram[hi]; hi += 1 }
            let rkMask: UInt64 = (1 << UInt64(layout.rkBits)) - 1
            let (l, u) = (UInt64(lo), UInt64(hi))
            var pairs = [UInt64](unsafeUninitializedCapacity: total) { buf, n in
                var k = 0
                forEachPair { h, rk in
                    let top = h >> 56
                    if top >= l && top < u { buf[k] = (h & ~rkMask) | UInt64(rk); k += 1 }
                }
                n = k
            }
            clock.mark("generate")
            RadixSort.sort(&pairs)
            clock.mark("sort")
            try writer.write(sortedPairs: pairs)
            clock.mark("write")
            lo = hi
        }
        try writer.finish()
    }
}

/// Decodes a text column's UTF-8 straight into search scalars (no String per value).
enum UTF8Scalars {
    static func append(_ stmt: OpaquePointer, _ col: Int32, to out: inout [UInt32]) {
        guard let p = sqlite3_column_text(stmt, col) else { return }
        let n = Int(sqlite3_column_bytes(stmt, col))
        var i = 0
        while i < n {
            let b0 = UInt32(p[i])
            var v: UInt32, len: Int
            if b0 < 0x80 { v = b0; len = 1 }
            else if b0 >= 0xF0 { v = b0 & 0x07; len = 4 }
            else if b0 >= 0xE0 { v = b0 & 0x0F; len = 3 }
            else { v = b0 & 0x1F; len = 2 }
            if i + len > n { break }
            if len > 1 { for k in 1..<len { v = v << 6 | (UInt32(p[i + k]) & 0x3F) } }
            out.append(v >= 65 && v <= 90 ? v + 32 : v)
            i += len
        }
    }
}

/// Phase times of a rebuild, printed to stderr when ECRM_SEARCH_TIMING is set (for tuning).
struct BuildClock {
    private var last = DispatchTime.now().uptimeNanoseconds
    private var totals: [(String, Double)] = []
    private let on = ProcessInfo.processInfo.environment["ECRM_SEARCH_TIMING"] != nil

    mutating func mark(_ phase: String) {
        guard on else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let s = Double(now - last) / 1e9
        last = now
        if let i = totals.firstIndex(where: { $0.0 == phase }) { totals[i].1 += s } else { totals.append((phase, s)) }
        if phase == "rank index" {
            FileHandle.standardError.write(Data(("search rebuild: " + totals.map { "\($0.0) \(String(format: "%.2f", $0.1))s" }.joined(separator: ", ") + "\n").utf8))
        }
    }
}
