import GRDB

/// Members whose nick or phone equals a key, most recent buyer first, read from the search postings
/// (the whole-text gram of a nick, the last four digits of a phone) and checked against the stored
/// text. These two lookups were all that B-tree indexes on member(nick) and member(phone) served,
/// and a bulk import spent about 1 s of a 1M-member load building them.
enum ExactLookup {
    /// Members whose nick is exactly `nick` (case and all).
    static func members(nick: String, _ db: Database, limit: Int) throws -> [Int64] {
        let q = SearchText.normalized(nick)
        guard !q.isEmpty else { return [] }
        guard let reader = try reader(db) else {
            return try Int64.fetchAll(db, sql: "SELECT id FROM member WHERE nick = ? LIMIT \(limit)", arguments: [nick])
        }
        let exact = try db.cachedStatement(sql: "SELECT nick = ? FROM member WHERE id = ?")
        // The postings fold ASCII case; the stored nick decides.
        return try collect(reader.stream(Gram.exactKey(q[...])), reader.fetcher(), limit) {
            try $0.nick == q && Bool.fetchOne(exact, arguments: [nick, $0.id]) == true
        }
    }

    /// Members whose stored phone is exactly these digits.
    static func members(phone digits: String, _ db: Database, limit: Int) throws -> [Int64] {
        try members(phone: digits, db, limit: limit, reader: reader(db), fetcher: nil)
    }

    /// As above with a search's reader (nil: no postings) and fetcher, opened once per search.
    static func members(phone digits: String, _ db: Database, limit: Int, reader: PostingReader?, fetcher: CandidateFetcher?) throws -> [Int64] {
        let q = SearchText.normalized(digits)
        guard let key = Gram.phoneTailKey(q) else {
            return try Int64.fetchAll(db, sql: "SELECT id FROM member WHERE phone = ? LIMIT \(limit)", arguments: [digits])
        }
        guard let reader else {
            return try Int64.fetchAll(db, sql: "SELECT id FROM member WHERE phone = ? LIMIT \(limit)", arguments: [digits])
        }
        return try collect(reader.stream(key), fetcher ?? reader.fetcher(), limit) { $0.phone == q }
    }

    /// nil before the postings were ever built (then a table scan answers instead).
    private static func reader(_ db: Database) throws -> PostingReader? {
        try PostingReader.open(db)
    }

    private static func collect(_ stream: RankStream?, _ fetcher: @autoclosure () throws -> CandidateFetcher, _ limit: Int,
                                _ accept: (Candidate) throws -> Bool) throws -> [Int64] {
        guard let stream, limit > 0 else { return [] }
        let fetcher = try fetcher()
        var out: [Int64] = []
        var target = Int64.min
        while out.count < limit, let rk = try stream.seek(target) {
            target = rk + 1
            // Postings can outlive a member's rank move (search_delta): never list one twice.
            if let c = try fetcher.fetch(rank: rk), !out.contains(c.id), try accept(c) { out.append(c.id) }
        }
        return out
    }
}
