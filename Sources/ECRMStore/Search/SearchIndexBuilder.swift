import Foundation
import GRDB
import GRDBSQLite
import ECRMDomain

/// Rebuilds every search structure from member, member_stats: ranks, then postings.
/// Every (gram, rank) pair is generated once, on both cores, into a PairSpool (a temporary file, by
/// the hash's top byte) while the rank table is written; the members' texts are then freed, and the
/// pairs are read back a partition (a run of top bytes, at most `partitionMax` pairs) at a time,
/// two in flight (PartitionQueue), sorted in place and written in key order. That bounds the build's
/// memory at about 2 × 8 × partitionMax bytes past the texts.
struct SearchIndexBuilder {
    static let defaultPartitionMax = 3 << 20
    static let unranked = UInt32.max

    let db: Database
    private var texts: [UInt32] = []
    /// Per member, in id order: rank, and where nick and name sit in `texts` (name ends where the next starts).
    private var ranks: [UInt32] = []
    private var starts: [UInt32] = []
    private var phoneKeys: [UInt64] = []
    private var layout = PostingLayout(memberCount: 0)

    /// Pairs a partition may hold (tests make it small to build through many partitions).
    let partitionMax: Int

    init(db: Database, partitionMax: Int = Self.defaultPartitionMax) {
        self.db = db
        self.partitionMax = partitionMax
    }

    /// `early`: pairs already generated from the load's member texts (EarlyPairs); used when they
    /// cover exactly the member table (members 1...n), else the build reads the table.
    /// Returns whether the early pairs were used.
    @discardableResult
    mutating func run(early: EarlyPairs? = nil) throws -> Bool {
        try db.execute(sql: """
            DELETE FROM search_rank; DELETE FROM search_small; DELETE FROM search_large; DELETE FROM search_delta
            """)
        // Phase times go to stderr when ECRM_SEARCH_TIMING is set (for tuning).
        var clock = PhaseTimer()
        defer {
            if ProcessInfo.processInfo.environment["ECRM_SEARCH_TIMING"] != nil {
                FileHandle.standardError.write(Data("search rebuild: \(clock.summary)\n".utf8))
            }
        }
        if let early, try runWithEarlyPairs(early, &clock) { return true }
        let ids = try loadTexts()
        clock.mark("texts")
        let order = try rankMembers(ids)
        clock.mark("ranks")
        layout = PostingLayout(memberCount: ids.count)
        let spool = try PairSpool(directory: PairSpool.directory(of: db), threads: 2)
        do {
            let source = GramSource(texts: texts, starts: starts, ranks: ranks, phoneKeys: phoneKeys)
            try spool.fill(source, rkMask: layout.rkMask) { try writeRanks(order, ids) }
        }
        texts = []; starts = []; ranks = []; phoneKeys = []
        clock.mark("rank table, pairs")
        try writePostings(spool, ordinalRanks: nil, &clock)
        try layout.save(db)
        return false
    }

    /// The build from early pairs: ranks and the rank table first (the pairs may still be coming),
    /// then the postings, with each pair's ordinal replaced by its member's rank. False, having
    /// written nothing, when the pairs failed or do not cover exactly the members 1...n.
    private mutating func runWithEarlyPairs(_ early: EarlyPairs, _ clock: inout PhaseTimer) throws -> Bool {
        let row = try Row.fetchOne(db, sql: "SELECT count(*), coalesce(max(id), 0) FROM member")!
        let n: Int = row[0], maxId: Int = row[1]
        guard n > 0, n == maxId else { return false }
        let ids = Array(1...Int64(n))
        clock.mark("ids")
        let order = try rankMembers(ids)
        clock.mark("ranks")
        try writeRanks(order, ids)
        clock.mark("rank table")
        guard case .success(let ready) = early.wait(), ready.members == n else {
            try db.execute(sql: "DELETE FROM search_rank")
            return false
        }
        clock.mark("pairs")
        layout = ready.layout
        try writePostings(ready.spool, ordinalRanks: ranks, &clock)
        try layout.save(db)
        return true
    }

    /// Every member's searchable text, in id order; returns the ids.
    private mutating func loadTexts() throws -> [Int64] {
        let n = try Int.fetchOne(db, sql: "SELECT count(*) FROM member") ?? 0
        var ids: [Int64] = []
        ids.reserveCapacity(n); starts.reserveCapacity(2 * n + 1); phoneKeys.reserveCapacity(n)
        let s = try db.makeStatement(sql: "SELECT id, nick, name, phone FROM member")
        let h = s.sqliteStatement
        var phone: [UInt32] = []
        while sqlite3_step(h) == SQLITE_ROW {
            ids.append(sqlite3_column_int64(h, 0))
            starts.append(UInt32(texts.count)); UTF8Scalars.append(h, 1, to: &texts)
            starts.append(UInt32(texts.count)); UTF8Scalars.append(h, 2, to: &texts)
            phone.removeAll(keepingCapacity: true); UTF8Scalars.append(h, 3, to: &phone)
            phoneKeys.append(Gram.phoneTailKey(phone) ?? 0)
        }
        sqlite3_reset(h)
        starts.append(UInt32(texts.count))
        return ids
    }

    /// rk 0 = the latest paid order (ties: the higher id first); members who never bought come
    /// last, newest member first. The buyers come in order from the member_stats_last index (26 MB
    /// at 1M, against 93 MB for the table with its histories); the rest from the ids in hand.
    /// Returns the member ordinals in rank order.
    private mutating func rankMembers(_ ids: [Int64]) throws -> [Int32] {
        let maxId = Int(ids.last ?? 0)
        var ordinal = [Int32](repeating: -1, count: maxId + 1)
        for (k, id) in ids.enumerated() { ordinal[Int(id)] = Int32(k) }
        var paid: [Int32] = []
        paid.reserveCapacity(ids.count)
        let s = try db.makeStatement(sql: """
            SELECT member_id FROM member_stats INDEXED BY member_stats_last WHERE last_paid_at IS NOT NULL ORDER BY last_paid_at, member_id
            """)
        let h = s.sqliteStatement
        while sqlite3_step(h) == SQLITE_ROW {
            let id = sqlite3_column_int64(h, 0)
            guard id >= 0, id <= maxId, ordinal[Int(id)] >= 0 else { continue }
            paid.append(ordinal[Int(id)])
        }
        sqlite3_reset(h)
        ranks = [UInt32](repeating: Self.unranked, count: ids.count)
        // Ordinals in rank order (rk is the position).
        var order: [Int32] = []
        order.reserveCapacity(ids.count)
        order.append(contentsOf: paid.reversed())
        for (rk, k) in order.enumerated() { ranks[Int(k)] = UInt32(rk) }
        for k in ids.indices.reversed() where ranks[k] == Self.unranked {
            ranks[k] = UInt32(order.count)
            order.append(Int32(k))
        }
        return order
    }

    /// search_rank(rk, member_id) in rank order (appends), BatchInsert.size rows a statement.
    /// Rank 0 goes in with its number; SQLite numbers the rest max(rk) + 1 as they are appended,
    /// which is their rank, without the search an explicit key costs each insert.
    private func writeRanks(_ order: [Int32], _ ids: [Int64]) throws {
        guard let first = order.first else { return }
        try db.execute(sql: "INSERT INTO search_rank(rk, member_id) VALUES (0, ?)", arguments: [ids[Int(first)]])
        let append = try BatchInsert(db, "INSERT INTO search_rank(member_id)", values: "(?)", columns: 1)
        try append.insert(order.indices.dropFirst()) { s, rk, at in s.bind(at + 1, ids[Int(order[rk])]) }
        guard sqlite3_last_insert_rowid(db.sqliteConnection) == Int64(order.count - 1) else {
            throw StoreError.invalid("internal error: the search ranks were not numbered 0…\(order.count - 1)")
        }
    }

    /// Two threads read and sort partitions (one per core of the machines ecrm runs on) while
    /// this thread writes them in key order.
    /// `ordinalRanks`: for early pairs, which carry the member's ordinal instead of its rank.
    private func writePostings(_ spool: PairSpool, ordinalRanks: [UInt32]?, _ clock: inout PhaseTimer) throws {
        // Partitions are runs of top bytes; inside one, the pairs are read straight into their
        // top-16-bit group, so the sort that follows works on cache-sized groups (its first,
        // cache-missing level is done for free).
        let histogram = spool.histogram
        var partitions: [(lo: Int, hi: Int, count: Int)] = []
        var lo = 0
        func pairs(top byte: Int) -> Int { histogram[(byte << 8)..<((byte + 1) << 8)].reduce(0, +) }
        while lo < 256 {
            var hi = lo, total = 0
            while hi < 256 && (hi == lo || total + pairs(top: hi) <= partitionMax) { total += pairs(top: hi); hi += 1 }
            partitions.append((lo, hi, total))
            lo = hi
        }
        let writer = try PostingWriter(db: db, layout: layout)
        let plan = partitions
        let rkMask = layout.rkMask
        let queue = PartitionQueue()
        let workers = 2
        let done = DispatchGroup()
        for w in 0..<workers {
            done.enter()
            let thread = Thread {
                defer { done.leave() }
                let chunk = UnsafeMutablePointer<UInt64>.allocate(capacity: PairSpool.chunkPairs)
                defer { chunk.deallocate() }
                for k in stride(from: w, to: plan.count, by: workers) {
                    guard queue.mayBuild(k) else { return }
                    let (l, u, total) = plan[k]
                    let first = l << 8, width = (u - l) << 8
                    // Where each top-16-bit group starts in the partition; `next` advances as pairs land.
                    var starts = [Int](repeating: 0, count: width + 1)
                    for j in 0..<width { starts[j + 1] = starts[j] + histogram[first + j] }
                    var next = starts
                    do {
                        var pairs = try [UInt64](unsafeUninitializedCapacity: total) { buf, n in
                            try next.withUnsafeMutableBufferPointer { next in
                                try spool.read(topBytes: l..<u, into: chunk) { got in
                                    if let ordinalRanks {
                                        ordinalRanks.withUnsafeBufferPointer { rankOf in
                                            for h in got {
                                                let j = Int(h >> 48) &- first
                                                buf[next[j]] = (h & ~rkMask) | UInt64(rankOf[Int(h & rkMask)])
                                                next[j] += 1
                                            }
                                        }
                                        return
                                    }
                                    for h in got {
                                        let j = Int(h >> 48) &- first
                                        buf[next[j]] = h
                                        next[j] += 1
                                    }
                                }
                            }
                            n = total
                        }
                        pairs.withUnsafeMutableBufferPointer { p in
                            RadixSort.withScratch { scratch in
                                for j in 0..<width where starts[j + 1] - starts[j] > 1 {
                                    RadixSort.sort(UnsafeMutableBufferPointer(rebasing: p[starts[j]..<starts[j + 1]]), fromShift: 40, scratch: scratch)
                                }
                            }
                        }
                        queue.put(k, .success(pairs))
                    } catch {
                        queue.put(k, .failure(error))
                        return
                    }
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        defer {
            queue.cancel()
            done.wait()
        }
        for k in partitions.indices {
            try writer.write(sortedPairs: queue.take(k).get())
            queue.didWrite()
        }
        try writer.finish()
        clock.mark("sort, write")
    }
}

/// Sorted partitions passed from the generating threads to the writing thread in key order. A
/// partition may be started only while fewer than `ahead` lie between it and the one being
/// written, which bounds memory at about `ahead` partitions (with their sort scratch).
private final class PartitionQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [Int: Result<[UInt64], Error>] = [:]
    private var written = 0
    private var cancelled = false
    private let ahead = 2

    /// A generating thread waits until it may build partition k; false once the build is abandoned.
    func mayBuild(_ k: Int) -> Bool {
        condition.lock(); defer { condition.unlock() }
        while k >= written + ahead && !cancelled { condition.wait() }
        return !cancelled
    }

    func put(_ k: Int, _ pairs: Result<[UInt64], Error>) {
        condition.lock(); defer { condition.unlock() }
        ready[k] = pairs
        condition.broadcast()
    }

    /// The writer waits for partition k's sorted pairs.
    func take(_ k: Int) -> Result<[UInt64], Error> {
        condition.lock(); defer { condition.unlock() }
        while ready[k] == nil { condition.wait() }
        return ready.removeValue(forKey: k)!
    }

    func didWrite() {
        condition.lock(); defer { condition.unlock() }
        written += 1
        condition.broadcast()
    }

    /// Stops the generating threads (the writer is done, or failed).
    func cancel() {
        condition.lock(); defer { condition.unlock() }
        cancelled = true
        condition.broadcast()
    }
}

/// The members' grams, read-only, so both cores can generate pairs from it at once.
struct GramSource: Sendable {
    let texts: [UInt32]
    let starts: [UInt32]
    let ranks: [UInt32]
    let phoneKeys: [UInt64]

    var memberCount: Int { ranks.count }

    /// Calls body(hash, rank) for every gram of the members at these ordinals.
    @inline(__always)
    func forEachPair(members: Range<Int>, _ body: (UInt64, UInt32) -> Void) {
        texts.withUnsafeBufferPointer { t in
            starts.withUnsafeBufferPointer { st in
                ranks.withUnsafeBufferPointer { rks in
                    phoneKeys.withUnsafeBufferPointer { phones in
                        let tp = t.baseAddress   // nil only when every field is empty
                        for m in members {
                            let rk = rks[m]
                            let a = Int(st[2 * m]), b = Int(st[2 * m + 1]), c = Int(st[2 * m + 2])
                            Gram.forEachOfMember(nick: UnsafeBufferPointer(start: tp.map { $0 + a }, count: b - a),
                                                 name: UnsafeBufferPointer(start: tp.map { $0 + b }, count: c - b),
                                                 phoneKey: phones[m]) { body($0, rk) }
                        }
                    }
                }
            }
        }
    }
}

/// Decodes a text column's UTF-8 straight into search scalars (no String per value).
enum UTF8Scalars {
    static func append(_ stmt: OpaquePointer, _ col: Int32, to out: inout [UInt32]) {
        guard let p = sqlite3_column_text(stmt, col) else { return }
        append(UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(stmt, col))), to: &out)
    }

    static func append(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt32]) {
        guard let base = bytes.baseAddress else { return }
        let p = base.assumingMemoryBound(to: UInt8.self)
        let n = bytes.count
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
