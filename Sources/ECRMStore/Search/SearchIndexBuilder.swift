import Foundation
import GRDB
import GRDBSQLite
import ECRMDomain

/// Rebuilds every search structure from member, member_stats: ranks, then postings.
/// Every (gram, rank) pair is generated once, on both cores, into a PairSpool (a temporary file, by
/// the hash's top byte) while the rank table is written; the members' texts are then freed, and the
/// pairs are read back a partition (a run of top bytes, at most `partitionMax` pairs) at a time,
/// two in flight, sorted in place and encoded (PartitionSort), and written in key order. That
/// bounds the build's memory at about 2 × 8 × partitionMax bytes past the texts.
struct SearchIndexBuilder {
    static let defaultPartitionMax = 3 << 20

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
            DELETE FROM search_rank; DELETE FROM search_small; DELETE FROM search_large; DELETE FROM search_delta;
            DELETE FROM search_meta WHERE key IN ('delta_rows', 'unindexed_text')
            """)
        if try MemberRanks.exist(db) { try db.execute(sql: "DELETE FROM search_member_rank; DELETE FROM search_moved") }
        try SearchExtra.clear(db)
        // Phase times go to stderr when ECRM_SEARCH_TIMING is set (for tuning).
        var clock = PhaseTimer()
        defer { TimingLog.search.write("search rebuild: \(clock.summary)") }
        if let early, try runWithEarlyPairs(early, &clock) { return true }
        let ids = try loadTexts()
        clock.mark("texts")
        let order = try rankMembers(ids)
        clock.mark("ranks")
        layout = PostingLayout(memberCount: ids.count)
        let spool = try PairSpool(directory: PairSpool.directory(of: db), threads: 2)
        do {
            let source = GramSource(texts: texts, starts: starts, ranks: ranks, phoneKeys: phoneKeys)
            let memberRanks = ranks
            try spool.fill(source, rkMask: layout.rkMask) {
                try writeRanks(order) { ids[$0] }
                try writeMemberRanks(ids: ids) { memberRanks[$0] }
            }
        }
        texts = []; starts = []; ranks = []; phoneKeys = []
        clock.mark("rank table, pairs")
        try writePostings(spool, &clock)
        try layout.save(db)
        return false
    }

    /// The build from early pairs: they carry the ranks the load worked out from its paid orders,
    /// and are sorted and encoded by then, or are being (EarlyPairs). The rank table goes in
    /// first, then the postings as the early threads finish them. False, having written nothing,
    /// when the pairs failed or do not cover exactly the members 1...n.
    private mutating func runWithEarlyPairs(_ early: EarlyPairs, _ clock: inout PhaseTimer) throws -> Bool {
        // The early threads checked that the texts run 1, 2, 3…, and a load deletes no member:
        // the highest id tells whether they cover the table (a count(*) would read every row).
        let maxId = try Int.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM member") ?? 0
        guard maxId > 0, case .success(let ready) = early.wait(), ready.members == maxId else {
            early.cancel()
            return false
        }
        clock.mark("pairs")
        try writeRanks(ready.ranks.order) { Int64($0) + 1 }
        let memberRanks = ready.ranks.ranks
        try writeMemberRanks(ids: nil, count: memberRanks.count) { memberRanks[$0] }
        clock.mark("rank table")
        layout = ready.layout
        do {
            defer { ready.queue.cancelAndWait() }
            try PostingWriter.write(ready.partitions, from: ready.queue, db: db)
        } catch let error as DatabaseError {
            throw error
        } catch let error as StoreError {
            throw error   // the store's file failed, not the early threads: building again would not help
        } catch {
            // The early threads failed (their temporary file, say): build from the table instead.
            try db.execute(sql: "DELETE FROM search_rank; DELETE FROM search_small; DELETE FROM search_large")
            if try MemberRanks.exist(db) { try db.execute(sql: "DELETE FROM search_member_rank; DELETE FROM search_moved") }
            return false
        }
        clock.mark("sorted, write")
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
        while try stepRow(h) {
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

    /// The ranks (SearchRanks) of the members in `ids`. The buyers come in order from the
    /// recency list order (ListOrders.recencyIdsSQL).
    /// Returns the member ordinals in rank order.
    private mutating func rankMembers(_ ids: [Int64]) throws -> [Int32] {
        let maxId = Int(ids.last ?? 0)
        var ordinal = [Int32](repeating: -1, count: maxId + 1)
        for (k, id) in ids.enumerated() { ordinal[Int(id)] = Int32(k) }
        var paid: [Int32] = []
        paid.reserveCapacity(ids.count)
        let s = try db.makeStatement(sql: ListOrders.recencyIdsSQL(db))
        let h = s.sqliteStatement
        while try stepRow(h) {
            let id = sqlite3_column_int64(h, 0)
            guard id >= 0, id <= maxId, ordinal[Int(id)] >= 0 else { continue }
            paid.append(ordinal[Int(id)])
        }
        sqlite3_reset(h)
        let ranked = SearchRanks(count: ids.count, buyersByLastPaid: paid)
        ranks = ranked.ranks
        return ranked.order
    }

    /// search_rank(rk, member_id) in rank order (appends), BatchInsert.size rows a statement;
    /// SQLite numbers all but rank 0 itself (AppendKey). `id`: a member ordinal's id.
    private func writeRanks(_ order: [Int32], id: (Int) -> Int64) throws { try Self.writeRanks(db, order, id: id) }

    static func writeRanks(_ db: Database, _ order: [Int32], id: (Int) -> Int64) throws {
        var keys = try AppendKey(db, table: "search_rank", column: "rk")
        let append = try BatchInsert(db, "INSERT OR FAIL INTO search_rank(rk, member_id)", values: "(?, ?)", columns: 2)
        try append.insert(order.indices) { s, rk, at in
            keys.bind(s, at + 1, Int64(rk))
            s.bind(at + 2, id(Int(order[rk])))
        }
        try keys.check()
    }

    /// The member → rank chunks (MemberRanks), when the store has them (not yet during the v2
    /// migration). `ids`: the member id per ordinal, ascending (nil: ordinal + 1, `count` members);
    /// `rank`: an ordinal's rank.
    private func writeMemberRanks(ids: [Int64]?, count: Int = 0, rank: (Int) -> UInt32) throws {
        try Self.writeMemberRanks(db, ids: ids, count: count, rank: rank)
    }

    static func writeMemberRanks(_ db: Database, ids: [Int64]?, count: Int = 0, rank: (Int) -> UInt32) throws {
        guard try MemberRanks.exist(db) else { return }
        let n = ids?.count ?? count
        guard n > 0 else { return try MemberRanks.write(db, maxId: 0) { _ in nil } }
        var k = 0   // the ordinal of the first id not yet passed (ids come ascending)
        try MemberRanks.write(db, maxId: ids?.last ?? Int64(n)) { id in
            if let ids {
                while k < n && ids[k] < id { k += 1 }
                return k < n && ids[k] == id ? Int64(rank(k)) : nil
            }
            return id >= 1 && id <= Int64(n) ? Int64(rank(Int(id) - 1)) : nil
        }
    }

    /// Two threads read, sort and encode partitions (one per core of the machines ecrm runs on)
    /// while this thread inserts them in key order.
    private func writePostings(_ spool: PairSpool, _ clock: inout PhaseTimer) throws {
        let queue = PartitionQueue()
        let sort = PartitionSort(spool: spool, layout: layout, partitionMax: partitionMax)
        sort.start(threads: 2, into: queue)
        defer { queue.cancelAndWait() }
        try PostingWriter.write(sort.plan.count, from: queue, db: db)
        clock.mark("sort, write")
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
