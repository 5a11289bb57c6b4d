import Foundation
import GRDB
import GRDBSQLite

/// A refresh of a large share of the members (a channel import: 300k new and phone-linked members
/// into a 1M store) merged into the built postings instead of a rebuild, with the rebuild's result:
/// the same rows in every search table (SearchMergeTests compares them). A large refresh builds an
/// extra posting set beside the postings first (SearchExtra); this merge takes everything in once
/// that set would pass half the postings' members, or when there is none to build.
///
/// Ranks are dense, so nearly every member's rank changes; but the members a load did not touch keep
/// their order among themselves (their last paid order is as it was), so their old ranks map to the
/// new ones monotonically and a built posting, mapped, stays sorted. The merge:
/// - ranks everyone as the rebuild does (member_list_last in order) and writes the rank tables;
/// - generates pairs only for the members whose text changed (new members among them), from their
///   rows, on two threads while the rank tables are written (PairSpool);
/// - passes once over the built postings in key order, a partition (the hash's top bits) at a
///   time: each posting decoded, its ranks mapped (those of text-changed or gone members dropped,
///   those of members whose order changed, "movers", sorted apart), merged with the new pairs and
///   encoded as the rebuild encodes (PostingEncoder); the partition's old rows are replaced.
/// No other member's text is read, nothing hashed but the changed members' grams, nothing sorted
/// but their pairs and the movers'.
///
/// It needs postings that are exactly a rebuild's of the store before the load (no delta, no moved
/// rank, no text changed without a delta row: 'unindexed_text'), and a layout with no more rank
/// bits than the new member count needs. Otherwise it writes nothing and says `declined`: the
/// caller rebuilds. When the postings turn out not to be a rebuild's halfway (a rank no member
/// had), it rebuilds from the table itself and says `rebuilt`, not `merged`.
enum SearchMerge {
    /// What a call did: merged into the postings, rebuilt them from the table (the postings were not
    /// a rebuild's after all), or declined with nothing written (the caller rebuilds).
    /// (`extra`: not this merge's; a large refresh built a second, smaller posting set instead: SearchExtra.)
    enum Outcome: String, Sendable {
        case merged, rebuilt, declined, extra
    }

    /// search_meta's key for "a refresh changed a member's text and put nothing in the delta" (a
    /// text with no grams): the postings still hold its old grams, so they are not a rebuild's.
    static let unindexedText = "unindexed_text"

    /// A posting with a rank no member had (the postings were not a rebuild's), or a partition no
    /// worker made: the merge rebuilds instead.
    struct Inconsistent: Error {}

    /// Members whose text is read (a changed text, or a check that they still exist).
    static let textFlag: UInt8 = 1
    static let touchedFlag: UInt8 = 2
    static let foundFlag: UInt8 = 4

    /// `textChanged`: members created or whose nick, name or phone may have changed (may include
    /// members gone since); `touched`: others whose rank may have moved, or who may be gone.
    /// Returns `declined`, having written nothing, when the postings cannot be merged into (see above).
    /// `created`: more of `textChanged` (a bulk load's new members, kept apart from its set).
    static func run(_ db: Database, touched: some Sequence<Int64>, textChanged: some Sequence<Int64>,
                    created: [Int64] = []) throws -> Outcome {
        guard try MemberRanks.exist(db), let old = try PostingLayout.load(db),
              try Int64.fetchOne(db, sql: "SELECT 1 FROM search_delta LIMIT 1") == nil,
              try Int64.fetchOne(db, sql: "SELECT 1 FROM search_moved LIMIT 1") == nil,
              try Int64.fetchOne(db, sql: "SELECT value FROM search_meta WHERE key = ?", arguments: [unindexedText]) == nil,
              try SearchExtra.Info.load(db) == nil   // postings with an extra set beside them are not a rebuild's
        else { return .declined }
        var clock = PhaseTimer()
        var outcome = Outcome.declined
        defer { TimingLog.search.write("search merge (\(outcome.rawValue)): \(clock.summary)") }
        // The ranks the postings were built with, by member id; and the member at each of them.
        let oldRankOf = try readMemberRanks(db)
        var oldCount = 0
        for r in oldRankOf where r != MemberRanks.none { oldCount += 1 }
        var memberAtOld = [Int32](repeating: -1, count: oldCount)
        for (id, r) in oldRankOf.enumerated() where r != MemberRanks.none {
            guard r >= 0, Int(r) < oldCount, memberAtOld[Int(r)] < 0 else { return .declined }   // not dense: not a rebuild's
            memberAtOld[Int(r)] = Int32(id)
        }
        let maxId = try Int64.fetchOne(db, sql: "SELECT max(id) FROM member") ?? 0
        guard maxId >= 0, maxId < Int64(Int32.max) else { return .declined }
        let size = max(Int(maxId), oldRankOf.count - 1) + 1
        var flags = [UInt8](repeating: 0, count: size)
        for id in textChanged where id >= 0 && id < size { flags[Int(id)] |= textFlag }
        for id in created where id >= 0 && id < size { flags[Int(id)] |= textFlag }
        for id in touched where id >= 0 && id < size { flags[Int(id)] |= touchedFlag }

        // The changed members' texts (and whether the touched ones still exist).
        var texts = MemberTexts()
        try texts.read(db, flags: &flags)
        clock.mark("texts")
        var ids: [Int64] = []
        ids.reserveCapacity(oldCount + texts.ids.count)
        for id in 0..<size {
            let f = flags[id]
            let exists = f & (textFlag | touchedFlag) != 0 ? f & foundFlag != 0 : id < oldRankOf.count && oldRankOf[id] != MemberRanks.none
            if exists { ids.append(Int64(id)) }
        }
        // A member neither ranked before nor named as changed would be missed: the highest id tells.
        guard (ids.last ?? 0) == maxId, !ids.isEmpty, oldCount * 2 >= ids.count else { return .declined }
        let layout = PostingLayout(memberCount: ids.count)
        guard layout.rkBits >= old.rkBits, layout.bucketBits >= old.bucketBits else { return .declined }

        // Everyone's new rank, as the rebuild gives it.
        var ordinalOf = [Int32](repeating: -1, count: size)
        for (k, id) in ids.enumerated() { ordinalOf[Int(id)] = Int32(k) }
        let ranked = try rankMembers(db, ordinalOf: ordinalOf, count: ids.count)
        let ranks = ranked.ranks
        clock.mark("ranks")

        // Old rank → new rank: kept (≥ 0, in increasing order), dropped (-1), or a mover (-2 - new).
        var oldToNew = [Int32](repeating: -1, count: oldCount)
        var lastKept: Int32 = -1
        for r in 0..<oldCount {
            let id = Int(memberAtOld[r]), f = flags[id]
            let ordinal = ordinalOf[id]
            if f & textFlag != 0 || ordinal < 0 { continue }
            let nr = Int32(ranks[Int(ordinal)])
            if f & touchedFlag != 0 || nr <= lastKept { oldToNew[r] = -2 - nr } else { oldToNew[r] = nr; lastKept = nr }
        }
        ordinalOf = []
        flags = []

        // The changed members' pairs, generated while the rank tables are written.
        let spool = try PairSpool(directory: PairSpool.directory(of: db), threads: 2)
        do {
            var textRanks = [UInt32]()
            textRanks.reserveCapacity(texts.ids.count)
            var k = 0
            for id in texts.ids {
                while ids[k] < id { k += 1 }
                textRanks.append(ranks[k])
            }
            let source = GramSource(texts: texts.scalars, starts: texts.starts, ranks: textRanks, phoneKeys: texts.phoneKeys)
            try spool.fill(source, rkMask: layout.rkMask) {
                try db.execute(sql: "DELETE FROM search_rank")
                try SearchIndexBuilder.writeRanks(db, ranked.order) { ids[$0] }
                try SearchIndexBuilder.writeMemberRanks(db, ids: ids) { ranks[$0] }
            }
        }
        texts = MemberTexts()
        clock.mark("rank table, pairs")
        do {
            try PostingMerge(db: db, old: old, layout: layout, oldToNew: oldToNew, spool: spool).run()
        } catch is Inconsistent {
            try SearchIndex.rebuildAll(db)   // postings that were not a rebuild's after all: from the table
            clock.mark("rebuild")
            outcome = .rebuilt
            return outcome
        }
        clock.mark("postings")
        try db.execute(sql: "DELETE FROM search_meta WHERE key IN ('delta_rows', ?)", arguments: [unindexedText])
        try layout.save(db)
        outcome = .merged
        return outcome
    }

    /// search_member_rank's ranks by member id (MemberRanks.none: no rank).
    static func readMemberRanks(_ db: Database) throws -> [Int32] {
        var out: [Int32] = []
        let scan = try RawStatement(db, "SELECT chunk, data FROM search_member_rank ORDER BY chunk")
        defer { sqlite3_reset(scan.handle) }
        while try scan.next() {
            let base = Int(sqlite3_column_int64(scan.handle, 0)) * MemberRanks.chunkSize
            let c = MemberRanks.chunk(scan.handle, 1)
            let n = c.count
            guard n > 0 else { continue }
            if out.count < base + n { out.append(contentsOf: repeatElement(MemberRanks.none, count: base + n - out.count)) }
            for k in 0..<n { out[base + k] = c[k] }
        }
        return out
    }

    /// The rebuild's ranks (SearchIndexBuilder.rankMembers) for the members with these ordinals.
    private static func rankMembers(_ db: Database, ordinalOf: [Int32], count: Int) throws -> SearchRanks {
        var paid: [Int32] = []
        paid.reserveCapacity(count)
        let s = try RawStatement(db, ListOrders.recencyIdsSQL(db))
        defer { sqlite3_reset(s.handle) }
        while try s.next() {
            let id = sqlite3_column_int64(s.handle, 0)
            guard id >= 0, id < ordinalOf.count, ordinalOf[Int(id)] >= 0 else { continue }
            paid.append(ordinalOf[Int(id)])
        }
        return SearchRanks(count: count, buyersByLastPaid: paid)
    }

    /// The texts of the members flagged textFlag that exist, in id order (as SearchIndexBuilder
    /// keeps them); every flagged member found gets foundFlag.
    struct MemberTexts {
        var ids: [Int64] = []
        var scalars: [UInt32] = []
        var starts: [UInt32] = []
        var phoneKeys: [UInt64] = []

        mutating func read(_ db: Database, flags: inout [UInt8]) throws {
            // Runs of neighbouring ids in one range read each (a load's new members are one run).
            let s = try RawStatement(db, "SELECT id, nick, name, phone FROM member WHERE id BETWEEN ? AND ?")
            let h = s.handle
            var phone: [UInt32] = []
            var id = 0
            let wanted = SearchMerge.textFlag | SearchMerge.touchedFlag
            while id < flags.count {
                guard flags[id] & wanted != 0 else { id += 1; continue }
                var end = id
                while end + 1 < flags.count && flags[end + 1] & wanted != 0 { end += 1 }
                s.bind(1, Int64(id)); s.bind(2, Int64(end))
                while try stepRow(h) {
                    let m = Int(sqlite3_column_int64(h, 0))
                    flags[m] |= SearchMerge.foundFlag
                    guard flags[m] & SearchMerge.textFlag != 0 else { continue }
                    ids.append(Int64(m))
                    starts.append(UInt32(scalars.count)); UTF8Scalars.append(h, 1, to: &scalars)
                    starts.append(UInt32(scalars.count)); UTF8Scalars.append(h, 2, to: &scalars)
                    phone.removeAll(keepingCapacity: true); UTF8Scalars.append(h, 3, to: &phone)
                    phoneKeys.append(Gram.phoneTailKey(phone) ?? 0)
                }
                sqlite3_reset(h)
                id = end + 1
            }
            starts.append(UInt32(scalars.count))
        }
    }
}

/// The pass over the built postings (SearchMerge), partition by partition in key order. This
/// thread copies the old rows into a temporary file (a sequential read of both tables) and empties
/// the tables; two threads meanwhile decode each partition, map its ranks, merge in the new pairs
/// and encode it (the CPU work, one partition each at a time); this thread appends the encoded rows
/// in key order as they are done, as the rebuild's writer does.
struct PostingMerge {
    let db: Database
    let old: PostingLayout
    let layout: PostingLayout
    /// Old rank → new: kept (≥ 0, increasing), dropped (-1), or moved (-2 - new: sorted apart).
    let oldToNew: [Int32]
    let spool: PairSpool
    /// The posting set merged into (the built postings, or the extra set: SearchExtra).
    var tables: PostingTables = .main

    /// Partitions: the hash's top `bits` bits, no more than the old bucket bits (a small bucket lies
    /// in one partition) and no more than a byte (the spool's pairs are kept by top byte).
    var bits: Int { min(8, old.bucketBits) }

    func run() throws {
        let partitions = 1 << bits
        let file = try SpoolFile(in: PairSpool.directory(of: db))
        let queue = MergeQueue(partitions: partitions)
        let work = MergeWork(old: old, layout: layout, oldToNew: oldToNew, pairs: spool, rows: file, bits: bits)
        for _ in 0..<2 {
            queue.workerStarted()
            let thread = Thread {
                defer { queue.workerEnded() }
                let buffers = MergeWork.Buffers()
                defer { queue.addWorkerCPU(TimingLog.threadCPU()) }
                while let k = queue.claim() {
                    do {
                        let rows = try work.encode(partition: k, queue.input(k), buffers)
                        queue.put(k, .success(EncodedPostings(rows: rows, bytes: Array(buffers.out.bytes))))
                    } catch {
                        queue.put(k, .failure(error))
                        return
                    }
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        defer { queue.cancelAndWait() }
        let now = TimingLog.threadCPU
        let t0 = now()
        try copyOldRows(to: file, queue)
        let t1 = now()
        try db.execute(sql: "DELETE FROM \(tables.small); DELETE FROM \(tables.large)")
        let t2 = now()
        let writer = try PostingWriter(db: db, tables: tables)
        for k in 0..<partitions {
            let p = try queue.take(k)
            try p.bytes.withUnsafeBytes { try writer.write(p, bytes: $0) }
        }
        try writer.finish()
        let t3 = now()
        if TimingLog.search.isOn {
            queue.cancelAndWait()
            TimingLog.search.write(String(format: "postings CPU: copy %.2f clear %.2f write %.2f, workers %.2f",
                                          t1 - t0, t2 - t1, t3 - t2, queue.workerCPU))
        }
    }

    /// Every old row, partition by partition: (key, first rank, length, bytes) each, small rows
    /// first; the queue learns where each partition's lie.
    private func copyOldRows(to file: SpoolFile, _ queue: MergeQueue) throws {
        let selectSmall = try RawStatement(db, "SELECT bucket, 0, data FROM \(tables.small) WHERE bucket BETWEEN ? AND ? ORDER BY bucket")
        let selectLarge = try RawStatement(db, "SELECT gram, first_rk, data FROM \(tables.large) WHERE gram BETWEEN ? AND ? ORDER BY gram, first_rk")
        let buffer = ByteBuffer(capacity: 1 << 20)
        var offset: Int64 = 0
        let b = UInt64(bits)
        for p in 0..<(UInt64(1) << b) {
            buffer.count = 0
            let bucketShift = UInt64(old.bucketBits) - b, gramShift = UInt64(old.keyBits) - b
            var small = 0
            for (s, lo, hi) in [(selectSmall, Int64(p << bucketShift), Int64(((p + 1) << bucketShift) - 1)),
                                (selectLarge, Int64(bitPattern: p << gramShift), Int64(bitPattern: ((p + 1) << gramShift) &- 1))] {
                s.bind(1, lo); s.bind(2, hi)
                defer { sqlite3_reset(s.handle) }
                while try s.next() {
                    let h = s.handle
                    let n = Int(sqlite3_column_bytes(h, 2))
                    buffer.reserve(24 + n)
                    buffer.appendWord(UInt64(bitPattern: sqlite3_column_int64(h, 0)))
                    buffer.appendWord(UInt64(bitPattern: sqlite3_column_int64(h, 1)))
                    buffer.appendWord(UInt64(n))
                    if n > 0, let q = sqlite3_column_blob(h, 2) { buffer.appendBytes(UnsafeRawBufferPointer(start: q, count: n)) }
                }
                if s === selectSmall { small = buffer.count }
            }
            try file.write(buffer.bytes, at: offset)
            queue.spooled(Int(p), (offset, small, buffer.count))
            offset += Int64(buffer.count)
        }
    }
}

/// One partition's merge (PostingMerge), on a worker thread.
private struct MergeWork: @unchecked Sendable {
    let old: PostingLayout
    let layout: PostingLayout
    let oldToNew: [Int32]
    let pairs: PairSpool
    let rows: SpoolFile
    let bits: Int

    /// A worker's memory, reused for each of its partitions.
    final class Buffers {
        let input = ByteBuffer(capacity: 1 << 20)
        let kept = PairBuffer(capacity: 1 << 16), keptLarge = PairBuffer(capacity: 1 << 16)
        let extra = PairBuffer(capacity: 1 << 16), all = PairBuffer(capacity: 1 << 16)
        let out = ByteBuffer(capacity: 1 << 20), bucketData = ByteBuffer(capacity: 4096)
        let chunk = UnsafeMutablePointer<UInt64>.allocate(capacity: PairSpool.chunkPairs)
        deinit { chunk.deallocate() }
    }

    /// Partition k's old rows (where they lie in `rows`: offset, end of the small rows, length)
    /// decoded and mapped, merged with its new pairs, and encoded into `b.out`.
    func encode(partition k: Int, _ at: (offset: Int64, small: Int, count: Int), _ b: Buffers) throws -> [EncodedPostings.Row] {
        b.input.count = 0
        b.input.reserve(at.count)
        if at.count > 0 { try rows.read(into: b.input.base, count: at.count, at: at.offset) }
        b.input.count = at.count
        let kept = b.kept, keptLarge = b.keptLarge, extra = b.extra
        kept.count = 0; keptLarge.count = 0; extra.count = 0
        let d = UInt64(layout.rkBits - old.rkBits)
        let newShift = UInt64(layout.rkBits)
        let lowShift = UInt64(old.keyBits - old.bucketBits)
        let oldCount = oldToNew.count
        try oldToNew.withUnsafeBufferPointer { map in
            // One old rank of the gram whose new key bits are `g`.
            @inline(__always) func add(_ g: UInt64, _ r: Int64, _ to: PairBuffer) throws {
                guard r >= 0, r < oldCount else { throw SearchMerge.Inconsistent() }
                let v = map[Int(r)]
                if v >= 0 { to.append(g | UInt64(v)) } else if v <= -2 { extra.append(g | UInt64(-2 - v)) }
            }
            let input = b.input.bytes
            var i = 0
            while i < at.count {
                let key = input.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let first = Int64(bitPattern: input.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
                let n = Int(input.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self))
                let data = UnsafeRawBufferPointer(rebasing: input[(i + 24)..<(i + 24 + n)])
                i += 24 + n
                if i <= at.small {   // a small bucket: (low bits, count, ranks) per gram
                    kept.reserve(n); extra.reserve(n)
                    var j = 0
                    while j < n {
                        let low = Varint.read(data, &j)
                        let count = Int(Varint.read(data, &j))
                        let g = ((key << lowShift | low) >> d) << newShift
                        var r: Int64 = 0
                        for _ in 0..<count { r += Int64(Varint.read(data, &j)); try add(g, r, kept) }
                    }
                } else {             // a large chunk: its first rank, then gaps
                    let g = (key >> d) << newShift
                    keptLarge.reserve(n + 1); extra.reserve(n + 1)
                    var r = first
                    try add(g, r, keptLarge)
                    var j = 0
                    while j < n { r += Int64(Varint.read(data, &j)); try add(g, r, keptLarge) }
                }
            }
        }
        let b8 = 8 - bits
        try pairs.read(topBytes: (k << b8)..<((k + 1) << b8), into: b.chunk) { got in
            extra.reserve(got.count)
            for v in got { extra.append(v) }
        }
        // Two old grams one new gram (a rank bit more): their ranks, one list after the other.
        kept.sortIfNeeded(); keptLarge.sortIfNeeded(); extra.sortIfNeeded()
        PairBuffer.merge(kept, keptLarge, extra, into: b.all)
        return PostingEncoder.encode(sortedPairs: UnsafeBufferPointer(start: b.all.base, count: b.all.count), layout: layout,
                                     into: b.out, bucketData: b.bucketData)
    }
}

/// Partitions between this thread (which copies their old rows out, then writes them back
/// encoded, in order) and the workers (which take the next copied one). At most `ahead`
/// partitions lie encoded and unwritten.
private final class MergeQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var inputs: [(offset: Int64, small: Int, count: Int)?]
    private var done: [Int: Result<EncodedPostings, Error>] = [:]
    private var claimed = 0, written = 0, workers = 0
    private var cancelled = false
    private let ahead = 4

    init(partitions: Int) { inputs = Array(repeating: nil, count: partitions) }

    /// The workers' CPU seconds, added as each ends.
    private(set) var workerCPU = 0.0
    func addWorkerCPU(_ s: Double) { condition.lock(); workerCPU += s; condition.unlock() }

    func workerStarted() { condition.lock(); workers += 1; condition.unlock() }
    func workerEnded() { condition.lock(); workers -= 1; condition.broadcast(); condition.unlock() }

    func spooled(_ k: Int, _ at: (offset: Int64, small: Int, count: Int)) {
        condition.lock(); inputs[k] = at; condition.broadcast(); condition.unlock()
    }

    func input(_ k: Int) -> (offset: Int64, small: Int, count: Int) {
        condition.lock(); defer { condition.unlock() }
        return inputs[k]!
    }

    /// The next partition to encode, once its rows are copied out; nil when none is left.
    func claim() -> Int? {
        condition.lock(); defer { condition.unlock() }
        while !cancelled && claimed < inputs.count && (inputs[claimed] == nil || claimed - written >= ahead) { condition.wait() }
        guard !cancelled, claimed < inputs.count else { return nil }
        claimed += 1
        return claimed - 1
    }

    func put(_ k: Int, _ r: Result<EncodedPostings, Error>) {
        condition.lock(); done[k] = r; condition.broadcast(); condition.unlock()
    }

    func take(_ k: Int) throws -> EncodedPostings {
        condition.lock(); defer { condition.unlock() }
        while done[k] == nil {
            if workers == 0 { throw SearchMerge.Inconsistent() }   // every worker stopped without it: rebuild
            condition.wait()
        }
        let r = done.removeValue(forKey: k)!
        written = k + 1
        condition.broadcast()
        return try r.get()
    }

    func cancelAndWait() {
        condition.lock(); defer { condition.unlock() }
        cancelled = true
        condition.broadcast()
        while workers > 0 { condition.wait() }
    }
}

extension PairBuffer {
    /// Sorts the pairs unless they already are (a check of each neighbour).
    func sortIfNeeded() {
        var i = 1
        while i < count && base[i - 1] <= base[i] { i += 1 }
        guard i < count else { return }
        RadixSort.withScratch { RadixSort.sort(UnsafeMutableBufferPointer(start: base, count: count), fromShift: 56, scratch: $0) }
    }

    /// `out` = the sorted union (with repeats) of three sorted buffers.
    static func merge(_ a: PairBuffer, _ b: PairBuffer, _ c: PairBuffer, into out: PairBuffer) {
        out.count = 0
        out.reserve(a.count + b.count + c.count)
        var i = 0, j = 0, l = 0, k = 0
        let pa = a.base, pb = b.base, pc = c.base, po = out.base
        let na = a.count, nb = b.count, nc = c.count, total = na + nb + nc
        while k < total {
            var v: UInt64 = 0, from = -1
            if i < na { v = pa[i]; from = 0 }
            if j < nb && (from < 0 || pb[j] < v) { v = pb[j]; from = 1 }
            if l < nc && (from < 0 || pc[l] < v) { v = pc[l]; from = 2 }
            po[k] = v
            k += 1
            if from == 0 { i += 1 } else if from == 1 { j += 1 } else { l += 1 }
        }
        out.count = k
    }
}

extension ByteBuffer {
    /// 8 bytes as they lie in memory (read back with loadUnaligned); room reserved by the caller.
    @inline(__always)
    func appendWord(_ v: UInt64) {
        UnsafeMutableRawPointer(base + count).storeBytes(of: v, as: UInt64.self)
        count += 8
    }

    func appendBytes(_ bytes: UnsafeRawBufferPointer) {
        guard let from = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        UnsafeMutableRawPointer(base + count).copyMemory(from: from, byteCount: bytes.count)
        count += bytes.count
    }
}
