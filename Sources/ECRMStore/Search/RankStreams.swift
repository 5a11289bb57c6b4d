import GRDB
import GRDBSQLite

/// An ascending stream of ranks. `seek(t)` returns the first rank ≥ t without consuming it; targets
/// only grow. That one operation is enough to merge, intersect (leapfrog) and page through postings.
protocol RankStream: AnyObject {
    func seek(_ target: Int64) throws -> Int64?
}

final class ArrayStream: RankStream {
    private let ranks: [Int64]
    private var i = 0
    init(_ ranks: [Int64]) { self.ranks = ranks }

    func seek(_ target: Int64) -> Int64? {
        while i < ranks.count && ranks[i] < target { i += 1 }
        return i < ranks.count ? ranks[i] : nil
    }
}

/// A large posting read chunk by chunk. Seeking past whole chunks skips them undecoded, so a
/// leapfrog intersection with a rare gram touches few of a common gram's chunks' bytes.
final class ChunkStream: RankStream {
    private let statement: Statement
    private var h: OpaquePointer { statement.sqliteStatement }
    private var decoded: [Int64] = []
    private var i = 0
    /// The row the statement is on (not yet decoded), if any.
    private var peekFirst: Int64?
    private var peekData: [UInt8] = []

    /// Done: the statement stepped past its last row, and is left to other streams (`idle`).
    private var done = false

    /// nil when the gram has no large posting (`extra`: in the extra set's table).
    init?(_ statements: SearchStatements, gram: Int64, extra: Bool = false) throws {
        statement = try statements.idleChunk(extra: extra)
        sqlite3_reset(statement.sqliteStatement)
        sqlite3_bind_int64(statement.sqliteStatement, 1, gram)
        try step()
        if peekFirst == nil { return nil }
    }

    deinit { if !done { sqlite3_reset(statement.sqliteStatement) } }

    /// A search opens several streams at once (an intersection), each needing a statement no live
    /// stream is stepping, and preparing one per stream (with GRDB's authorizer) cost each search a
    /// few tens of µs, more with an extra set (its own large postings): the connection caches
    /// `slots` of them per table, told apart by a comment (SearchStatements.idleChunk hands them
    /// out). A stream that has stepped holds its statement busy; one that is done or gone leaves it
    /// reset or past its end (not busy), and a done stream never touches it again. More at once
    /// than the slots: a statement of its own.
    static let slots = 12

    static func sql(_ table: String) -> String { "SELECT first_rk, data FROM \(table) WHERE gram = ? ORDER BY first_rk" }

    private func step() throws {
        let rc = sqlite3_step(h)
        if rc == SQLITE_ROW {
            peekFirst = sqlite3_column_int64(h, 0)
            let n = Int(sqlite3_column_bytes(h, 1))
            peekData.removeAll(keepingCapacity: true)
            if n > 0, let p = sqlite3_column_blob(h, 1) {
                peekData.append(contentsOf: UnsafeRawBufferPointer(start: p, count: n))
            }
        } else if rc == SQLITE_DONE {
            peekFirst = nil
            done = true
        } else {
            throw stepFailure(h, rc)
        }
    }

    func seek(_ target: Int64) throws -> Int64? {
        while true {
            while i < decoded.count && decoded[i] < target { i += 1 }
            if i < decoded.count { return decoded[i] }
            guard var first = peekFirst else { return nil }
            var data = peekData
            try step()
            while let next = peekFirst, next <= target {   // the whole taken chunk lies below target
                first = next
                data = peekData
                try step()
            }
            decoded.removeAll(keepingCapacity: true)
            decoded.append(first)
            data.withUnsafeBytes { p in
                var j = 0, v = first
                while j < p.count { v += Int64(Varint.read(p, &j)); decoded.append(v) }
            }
            i = 0
        }
    }
}

/// Ranks as ordering keys (rk << shift: SearchExtra).
final class ShiftStream: RankStream {
    private let inner: RankStream
    private let shift: Int64
    init(_ inner: RankStream, shift: Int) { self.inner = inner; self.shift = Int64(shift) }

    func seek(_ target: Int64) throws -> Int64? {
        // The first rank whose key is ≥ target: target / 2^shift rounded up (arithmetic shift: negatives too).
        let rk = target > Int64.max - (1 << shift) ? Int64.max >> shift : (target + (1 << shift) - 1) >> shift
        return try inner.seek(rk).map { $0 << shift }
    }
}

/// An extra set's ordinals as their ordering keys (search_extra_rank). Keys grow with ordinals, so
/// the stream walks its ordinals forward, one key read per ordinal it passes. The read gives the
/// member at the ordinal too: `memo` keeps the last, so the fetch of the candidate just returned
/// need not read search_extra_rank again.
final class ExtraKeyStream: RankStream {
    private let inner: RankStream
    private let keyOf: ExtraOrdReader
    private let memo: ExtraMemberMemo?
    private var ord: Int64 = 0

    /// `keyOf`: SearchStatements' `.extraKey` (its chunks are read one at a time, as the stream goes).
    init(_ keyOf: Statement, _ inner: RankStream, memo: ExtraMemberMemo? = nil) {
        self.inner = inner
        self.memo = memo
        self.keyOf = ExtraOrdReader(keyOf)
    }

    private func key(_ o: Int64) throws -> Int64? {
        guard let e = try keyOf.entry(o) else { return nil }
        if let memo { memo.ord = o; memo.member = e.member }
        return e.key
    }

    func seek(_ target: Int64) throws -> Int64? {
        while let o = try inner.seek(ord) {
            guard let k = try key(o) else { return nil }   // an ordinal past the table: the set is not what its postings say
            if k >= target { ord = o; return k }
            ord = o + 1
        }
        return nil
    }
}

/// The member search_extra_rank names at one ordinal, as an ExtraKeyStream last read it (ord -1:
/// none yet); one per PostingReader, shared with its CandidateFetcher.
final class ExtraMemberMemo {
    var ord: Int64 = -1
    var member: Int64 = 0
}

final class UnionStream: RankStream {
    private let a: RankStream, b: RankStream
    init(_ a: RankStream, _ b: RankStream) { self.a = a; self.b = b }

    func seek(_ target: Int64) throws -> Int64? {
        let x = try a.seek(target), y = try b.seek(target)
        guard let x else { return y }
        guard let y else { return x }
        return min(x, y)
    }
}

/// Ranks present in every stream (leapfrog join).
final class IntersectStream: RankStream {
    private let streams: [RankStream]
    init(_ streams: [RankStream]) { self.streams = streams }

    func seek(_ target: Int64) throws -> Int64? {
        guard var candidate = try streams[0].seek(target) else { return nil }
        var agree = 1, k = 1
        while agree < streams.count {
            guard let v = try streams[k % streams.count].seek(candidate) else { return nil }
            if v == candidate { agree += 1 } else { candidate = v; agree = 1 }
            k += 1
        }
        return candidate
    }
}
