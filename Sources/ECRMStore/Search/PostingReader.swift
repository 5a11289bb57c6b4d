import GRDB
import GRDBSQLite

/// Opens the rank stream of one gram: its built posting (large chunks or its small bucket) merged
/// with any refresh deltas.
struct PostingReader {
    let db: Database
    let layout: PostingLayout

    /// nil when no member has the gram.
    func stream(_ hash: UInt64) throws -> RankStream? {
        let gram = layout.gram(hash)
        let main: RankStream? = try ChunkStream(db, gram: gram) ?? smallPosting(gram).map(ArrayStream.init)
        let delta = try Int64.fetchAll(db.cachedStatement(sql: "SELECT rk FROM search_delta WHERE gram = ? ORDER BY rk"),
                                       arguments: [gram])
        switch (main, delta.isEmpty) {
        case (nil, true): return nil
        case (nil, false): return ArrayStream(delta)
        case (let m?, true): return m
        case (let m?, false): return UnionStream(m, ArrayStream(delta))
        }
    }

    func intersection(_ hashes: [UInt64]) throws -> RankStream? {
        var streams: [RankStream] = []
        for h in hashes {
            guard let s = try stream(h) else { return nil }   // one gram absent: nothing can match
            streams.append(s)
        }
        return streams.count == 1 ? streams[0] : IntersectStream(streams)
    }

    private func smallPosting(_ gram: Int64) throws -> [Int64]? {
        let s = try db.cachedStatement(sql: "SELECT data FROM search_small WHERE bucket = ?")
        sqlite3_reset(s.sqliteStatement)
        sqlite3_bind_int64(s.sqliteStatement, 1, layout.bucket(gram))
        defer { sqlite3_reset(s.sqliteStatement) }
        guard try stepRow(s.sqliteStatement), let p = sqlite3_column_blob(s.sqliteStatement, 0) else { return nil }
        let buf = UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(s.sqliteStatement, 0)))
        let want = layout.lowBits(gram)
        var i = 0
        while i < buf.count {
            let low = Varint.read(buf, &i)
            let count = Int(Varint.read(buf, &i))
            if low == want {
                var out: [Int64] = []
                out.reserveCapacity(count)
                var v: Int64 = 0
                for k in 0..<count { v = (k == 0 ? 0 : v) + Int64(Varint.read(buf, &i)); out.append(v) }
                return out
            }
            for _ in 0..<count { _ = Varint.read(buf, &i) }
        }
        return nil
    }
}

/// A candidate's current text, fetched by rank to check it really matches (postings may hold hash
/// collisions, trigram co-occurrences that are not a substring, or entries a refresh made stale).
struct Candidate {
    var id: Int64
    var nick: [UInt32] = []
    var name: [UInt32] = []
    var phone: [UInt32] = []
}

struct CandidateFetcher {
    let statement: Statement

    init(_ db: Database) throws {
        statement = try db.cachedStatement(sql: """
            SELECT r.member_id, m.nick, m.name, m.phone FROM search_rank r JOIN member m ON m.id = r.member_id
            WHERE r.rk = ? AND \(MemberRanks.current("r"))
            """)
    }

    func fetch(rank: Int64) throws -> Candidate? {
        let h = statement.sqliteStatement
        sqlite3_reset(h)
        sqlite3_bind_int64(h, 1, rank)
        defer { sqlite3_reset(h) }
        guard try stepRow(h) else { return nil }
        var c = Candidate(id: sqlite3_column_int64(h, 0))
        UTF8Scalars.append(h, 1, to: &c.nick)
        UTF8Scalars.append(h, 2, to: &c.name)
        UTF8Scalars.append(h, 3, to: &c.phone)
        return c
    }
}
