import GRDB
import GRDBSQLite

/// Opens the stream of one gram: its built posting (large chunks or its small bucket) merged with
/// any refresh deltas and, when a large refresh left one, the extra set's posting (SearchExtra). The
/// stream's values are ordering keys: ranks themselves without an extra set, else a main rank r as
/// r << shift and an extra member's key between its built neighbours' (SearchExtra), so the first n
/// are still the n most recent.
struct PostingReader {
    let db: Database
    let layout: PostingLayout
    /// The extra set, if any (loaded by `init`).
    let extra: SearchExtra.Info?
    /// The member at the extra ordinal last read by this reader's streams (ExtraKeyStream).
    let memo = ExtraMemberMemo()
    /// This reader's statements, each looked up once (SearchStatements).
    let statements: SearchStatements

    init(db: Database, layout: PostingLayout) throws {
        self.db = db
        self.layout = layout
        extra = try SearchExtra.Info.load(db)
        statements = SearchStatements(db)
    }

    init(db: Database, layout: PostingLayout, extra: SearchExtra.Info?) {
        self.db = db
        self.layout = layout
        self.extra = extra
        statements = SearchStatements(db)
    }

    /// The reader of the built postings and the extra set's info from one read of search_meta (a
    /// search opens it once: reading the two apart, and again per candidate fetcher, cost a search
    /// with an extra set several statement runs); nil before the postings were ever built.
    static func open(_ db: Database) throws -> PostingReader? {
        let s = try db.cachedStatement(sql: """
            SELECT key, value FROM search_meta
            WHERE key IN ('rk_bits', 'bucket_bits', 'extra_shift', 'extra_rk_bits', 'extra_bucket_bits', '\(SearchMerge.unindexedText)', '\(SearchExtra.staleKey)')
            """)
        let h = s.sqliteStatement
        sqlite3_reset(h)
        defer { sqlite3_reset(h) }
        var rk: Int?, b: Int?, shift: Int?, extraRk: Int?, extraB: Int?
        var unindexed = false, staleWhole = false
        while try stepRow(h) {
            let v = Int(sqlite3_column_int64(h, 1))
            guard let k = sqlite3_column_text(h, 0) else { continue }
            switch String(cString: k) {
            case "rk_bits": rk = v
            case "bucket_bits": b = v
            case "extra_shift": shift = v
            case "extra_rk_bits": extraRk = v
            case "extra_bucket_bits": extraB = v
            case SearchExtra.staleKey: staleWhole = true
            default: unindexed = true
            }
        }
        guard let rk, let b else { return nil }
        var extra: SearchExtra.Info?
        if let shift, let extraRk, let extraB { extra = SearchExtra.Info(shift: shift, layout: PostingLayout(rkBits: extraRk, bucketBits: extraB)) }
        var reader = PostingReader(db: db, layout: PostingLayout(rkBits: rk, bucketBits: b), extra: extra)
        if extra != nil && !unindexed {
            let d = try reader.statements(.anyDelta).sqliteStatement
            sqlite3_reset(d)
            defer { sqlite3_reset(d) }
            reader.extraSettled = try !stepRow(d)
            reader.staleByRank = reader.extraSettled && staleWhole
        }
        return reader
    }

    /// The extra set is settled: search_delta is empty and 'unindexed_text' unset. A member leaves
    /// the set only by a small refresh (RankUpdate): moved, it gets its grams in search_delta at its
    /// new key (or, having none, 'unindexed_text'); gone, it is deleted from the member table. A large
    /// refresh builds the set again (and needs an empty delta), a fold or rebuild empties it. So in
    /// a settled set no member left but by being deleted: an extra row whose member exists is that
    /// member's current entry, and the join with member is the whole check (without the read of
    /// search_extra_member, a random page per extra candidate: about 35 µs of a 1-character search
    /// at 1M members, when it was a row table).
    private(set) var extraSettled = false

    /// A settled set whose build wrote search_extra_stale (SearchExtra): the superseded main rows
    /// are the ranks there. In a settled set search_moved has rankless rows only (a small refresh's
    /// move leaves a delta row or 'unindexed_text'; a member gone is deleted, and the join with
    /// member drops it), so a main row is current unless its rank is there: a check by rank, on
    /// pages the search's candidates share, instead of a random search_moved page per candidate.
    private(set) var staleByRank = false

    /// A fetcher of this reader's candidates (the extra set's info not read again).
    func fetcher() throws -> CandidateFetcher { try CandidateFetcher(statements, extra: extra, memo: memo, settled: extraSettled, staleByRank: staleByRank) }

    /// nil when no member has the gram.
    func stream(_ hash: UInt64) throws -> RankStream? {
        let main = try mainAndDelta(hash)
        guard let extra, let e = try posting(hash, extra.layout, .extra) else { return main }
        let keys = try ExtraKeyStream(statements(.extraKey), e, memo: memo)
        return main.map { UnionStream($0, keys) } ?? keys
    }

    func intersection(_ hashes: [UInt64]) throws -> RankStream? {
        guard let extra else { return try intersect(hashes, mainAndDelta) }
        // A member's current grams all lie in one set (the built postings and the delta, or the
        // extra set): each set is intersected on its own (the extra set on its ordinals).
        let main = try intersect(hashes, mainAndDelta)
        let inExtra = try intersect(hashes) { try posting($0, extra.layout, .extra) }.map { try ExtraKeyStream(statements(.extraKey), $0, memo: memo) }
        switch (main, inExtra) {
        case (nil, nil): return nil
        case (let m?, nil): return m
        case (nil, let e?): return e
        case (let m?, let e?): return UnionStream(m, e)
        }
    }

    /// The grams' streams intersected; nil at the first gram absent (nothing can match).
    private func intersect(_ hashes: [UInt64], _ open: (UInt64) throws -> RankStream?) throws -> RankStream? {
        var all: [RankStream] = []
        for h in hashes {
            guard let s = try open(h) else { return nil }
            all.append(s)
        }
        return all.count == 1 ? all[0] : IntersectStream(all)
    }

    /// The built posting (as keys) and the delta's rows (keys already: SearchIndex.refresh).
    private func mainAndDelta(_ hash: UInt64) throws -> RankStream? {
        let gram = layout.gram(hash)
        var main = try posting(hash, layout, .main)
        if let m = main, let extra { main = ShiftStream(m, shift: extra.shift) }
        var delta: [Int64] = []
        do {
            let h = try statements(.delta).sqliteStatement
            sqlite3_reset(h)
            sqlite3_bind_int64(h, 1, gram)
            defer { sqlite3_reset(h) }
            while try stepRow(h) { delta.append(sqlite3_column_int64(h, 0)) }
        }
        switch (main, delta.isEmpty) {
        case (nil, true): return nil
        case (nil, false): return ArrayStream(delta)
        case (let m?, true): return m
        case (let m?, false): return UnionStream(m, ArrayStream(delta))
        }
    }

    /// One posting set's posting of the gram (its ranks or ordinals), nil when it has none.
    private func posting(_ hash: UInt64, _ layout: PostingLayout, _ tables: PostingTables) throws -> RankStream? {
        let gram = layout.gram(hash)
        // The extra set's grams are mostly small or absent: a cached probe before preparing a chunk reader.
        let extraSet = tables.large != PostingTables.main.large
        if extraSet, try !hasExtraLarge(gram) { return try smallPosting(gram, layout, tables).map(ArrayStream.init) }
        return try ChunkStream(statements, gram: gram, extra: extraSet) ?? smallPosting(gram, layout, tables).map(ArrayStream.init)
    }

    private func hasExtraLarge(_ gram: Int64) throws -> Bool {
        let h = try statements(.extraHasLarge).sqliteStatement
        sqlite3_reset(h)
        sqlite3_bind_int64(h, 1, gram)
        defer { sqlite3_reset(h) }
        return try stepRow(h)
    }

    private func smallPosting(_ gram: Int64, _ layout: PostingLayout, _ tables: PostingTables) throws -> [Int64]? {
        let s = try statements(tables.large == PostingTables.main.large ? .small : .extraSmall)
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
    /// The extra set's members by ordinal (only with an extra set).
    let extraOrds: ExtraOrdReader?
    /// Whether an extra member is still at its ordinal (only with an extra set not settled).
    let extraMembers: MemberSlotReader?
    /// A member's texts by id (only with an extra set).
    let memberStatement: Statement?
    /// The extra set is settled (PostingReader.extraSettled): its members are read without search_extra_member.
    let settled: Bool
    let memo: ExtraMemberMemo?
    let shift: Int64
    let mask: Int64

    init(_ db: Database) throws {
        try self.init(SearchStatements(db), extra: SearchExtra.Info.load(db), memo: nil)
    }

    /// `staleByRank`: PostingReader's, which holds only for a settled extra set.
    init(_ statements: SearchStatements, extra: SearchExtra.Info?, memo: ExtraMemberMemo?, settled: Bool = false,
         staleByRank: Bool = false) throws {
        self.memo = memo
        self.settled = settled && extra != nil
        statement = try statements(staleByRank ? .fetchMainStale : .fetchMain)
        if let extra {
            shift = Int64(extra.shift)
            mask = extra.mask
            extraOrds = try ExtraOrdReader(statements(.extraKey))
            extraMembers = settled ? nil : MemberSlotReader(try statements(.extraMemberChunk), table: ExtraRanks.memberTable)
            memberStatement = try statements(.fetchMember)
        } else {
            shift = 0; mask = 0; extraOrds = nil; extraMembers = nil; memberStatement = nil
        }
    }

    /// The member at an ordering key (PostingReader), if that entry is still its current one.
    func fetch(rank key: Int64) throws -> Candidate? {
        let h: OpaquePointer
        if key & mask != 0, let extraOrds, let memberStatement {
            let ord = (key & mask) - 1
            let member: Int64
            if let memo, memo.ord == ord {   // the member search_extra_rank names there, read by the stream
                member = memo.member
            } else {
                guard let e = try extraOrds.entry(ord) else { return nil }
                member = e.member
            }
            // Current while search_extra_member still names the member at this ordinal (SearchExtra).
            if let extraMembers, try extraMembers.value(of: member) != ord { return nil }
            h = memberStatement.sqliteStatement
            sqlite3_reset(h)
            sqlite3_bind_int64(h, 1, member)
        } else {
            h = statement.sqliteStatement
            sqlite3_reset(h)
            sqlite3_bind_int64(h, 1, key >> shift)
        }
        defer { sqlite3_reset(h) }
        guard try stepRow(h) else { return nil }
        var c = Candidate(id: sqlite3_column_int64(h, 0))
        UTF8Scalars.append(h, 1, to: &c.nick)
        UTF8Scalars.append(h, 2, to: &c.name)
        UTF8Scalars.append(h, 3, to: &c.phone)
        return c
    }
}

/// The statements one search runs, each looked up in the connection's statement cache at most once
/// a search (PostingReader.statements). A lookup builds and hashes its SQL text: a search opens up to
/// a dozen streams, each with a few statements (more with an extra set: its small and large
/// postings, its key stream), and those lookups cost a search with an extra set tens of µs.
final class SearchStatements {
    enum Kind: Int, CaseIterable {
        case delta, anyDelta, small, extraSmall, extraHasLarge, extraKey, extraMemberChunk, fetchMain
        case fetchMember, fetchMainStale

        var sql: String {
            switch self {
            case .delta: "SELECT rk FROM search_delta WHERE gram = ? ORDER BY rk"
            case .anyDelta: "SELECT 1 FROM search_delta LIMIT 1"
            case .small: "SELECT data FROM \(PostingTables.main.small) WHERE bucket = ?"
            case .extraSmall: "SELECT data FROM \(PostingTables.extra.small) WHERE bucket = ?"
            case .extraHasLarge: "SELECT 1 FROM \(PostingTables.extra.large) WHERE gram = ? LIMIT 1"
            case .extraKey: ExtraOrdReader.sql
            case .extraMemberChunk: MemberSlotReader.sql(ExtraRanks.memberTable)
            case .fetchMain: """
                SELECT r.member_id, m.nick, m.name, m.phone FROM search_rank r JOIN member m ON m.id = r.member_id
                WHERE r.rk = ? AND \(MemberRanks.current("r"))
                """
            case .fetchMember: "SELECT m.id, m.nick, m.name, m.phone FROM member m WHERE m.id = ?"
            // A settled set with its superseded ranks written (PostingReader.staleByRank).
            case .fetchMainStale: """
                SELECT r.member_id, m.nick, m.name, m.phone FROM search_rank r JOIN member m ON m.id = r.member_id
                WHERE r.rk = ?1 AND NOT EXISTS (SELECT 1 FROM search_extra_stale s WHERE s.rk = ?1)
                """
            }
        }

        /// Built once per process (the text is not built again at every lookup).
        static let texts = allCases.map(\.sql)
    }

    let db: Database
    private var held = [Statement?](repeating: nil, count: Kind.allCases.count)
    /// The chunk streams' statements taken so far, per posting set (ChunkStream.idle).
    private var chunks: [[Statement]] = [[], []]

    init(_ db: Database) { self.db = db }

    func callAsFunction(_ kind: Kind) throws -> Statement {
        if let s = held[kind.rawValue] { return s }
        let s = try db.cachedStatement(sql: Kind.texts[kind.rawValue])
        held[kind.rawValue] = s
        return s
    }

    /// A chunk stream's statement that no live stream is stepping: one taken before by this search,
    /// else the next slot of the connection's cache (ChunkStream's comment), else one of its own.
    func idleChunk(extra: Bool) throws -> Statement {
        let set = extra ? 1 : 0
        for s in chunks[set] where sqlite3_stmt_busy(s.sqliteStatement) == 0 { return s }
        let slot = chunks[set].count
        let table = extra ? PostingTables.extra.large : PostingTables.main.large
        guard slot < ChunkStream.slots else { return try db.makeStatement(sql: ChunkStream.sql(table)) }
        let s = try db.cachedStatement(sql: ChunkStream.sql(table) + " -- stream \(slot)")
        chunks[set].append(s)
        // A slot another reader of this connection left busy (not this search's): the next one.
        return sqlite3_stmt_busy(s.sqliteStatement) == 0 ? s : try idleChunk(extra: extra)
    }
}
