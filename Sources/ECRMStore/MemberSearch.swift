import GRDB
import ECRMDomain

/// Member lookup for the console, `ecrm search` and `ecrm member show`.
///
/// Tiers, each filled in recency order (most recent buyer first) and skipping members already shown:
/// order number → buyer_id → card number → full phone → phone tail → exact nick/name → prefix → substring.
/// Text tiers read gram postings (Search/): 1 character = unigram, 2 = bigram, 3+ = the intersection
/// of the query's trigrams; every candidate is checked against the member's real text, so what is
/// typed is always literal and ASCII case-insensitive.
public enum MemberSearch {
    static func search(_ db: Database, _ text: String, limit: Int = 50) throws -> [MemberSummary] {
        let run = try self.run(db, text, limit: limit)
        let byId = Dictionary(run.hits.map { ($0.id, $0.why) }, uniquingKeysWith: { a, _ in a })
        return try MemberQueries.summaries(db, ids: run.hits.map(\.id)).map {
            var s = $0
            s.matchedBy = byId[s.id] ?? ""
            return s
        }
    }

    /// Every match's id, in the order `search` lists them (no limit): what a result list pages
    /// through and what export and bulk tag act on. Ids only, so even a common character is cheap.
    static func allIds(_ db: Database, _ text: String) throws -> [Int64] {
        try ids(db, text, limit: Int.max)
    }

    /// The first `limit` matches' ids, without their summaries (`ecrm-bench search --ids`: the search alone).
    static func ids(_ db: Database, _ text: String, limit: Int = 50) throws -> [Int64] {
        try run(db, text, limit: limit).hits.map(\.id)
    }

    private static func run(_ db: Database, _ text: String, limit: Int) throws -> SearchRun {
        var run = SearchRun(db: db, limit: limit)
        let raw = text.trimmingSpaces()
        guard !raw.isEmpty, limit > 0 else { return run }
        try run.keyTiers(raw)
        // Digits that found an order or a phone are that; a nick is only searched for digits that found nothing.
        if run.hits.isEmpty || !SearchText.isDigits(SearchText.normalized(raw)) {
            try run.textTiers(SearchText.normalized(raw))
        }
        return run
    }
}

/// One search's state: the hits so far, in display order.
struct SearchRun {
    let db: Database
    let limit: Int
    var hits: [(id: Int64, why: String)] = []
    private var seen = Set<Int64>()
    /// The postings' reader and a candidate fetcher, opened once per search (`reader()`, `fetcher()`).
    private var opened: PostingReader??
    private var openedFetcher: CandidateFetcher?

    init(db: Database, limit: Int) {
        self.db = db
        self.limit = limit
    }

    var full: Bool { hits.count >= limit }

    /// nil before the postings were ever built.
    private mutating func reader() throws -> PostingReader? {
        if let opened { return opened }
        let r = try PostingReader.open(db)
        opened = .some(r)
        return r
    }

    private mutating func fetcher(_ reader: PostingReader) throws -> CandidateFetcher {
        if let openedFetcher { return openedFetcher }
        let f = try reader.fetcher()
        openedFetcher = f
        return f
    }

    mutating func add(_ id: Int64, _ why: String) {
        if !full && seen.insert(id).inserted { hits.append((id, why)) }
    }

    /// Exact keys looked up in their own indexes; several members per key are ranked by recency.
    mutating func keyTiers(_ q: String) throws {
        let digits = Phone.normalized(q)
        for id in try OrderLookup.members(number: q, db) { add(id, "order") }
        try addAll("SELECT id FROM member WHERE buyer_id = ?", [q], "buyer_id")
        // Any channel's identity (IdentityTables): a JD account, a Shopify e-mail, an offline card.
        if !full { for id in try Identities.members(externalId: q, db, limit: limit) { add(id, "identity") } }
        try addAll("""
            SELECT m.id FROM member m LEFT JOIN member_stats s ON s.member_id = m.id WHERE m.card_no = ?
            ORDER BY s.last_paid_at DESC, m.id DESC
            """, [q], "card")
        // A phone may be typed with spaces, dashes or +86.
        let phoneLike = q.unicodeScalars.allSatisfy { ($0.value >= 48 && $0.value <= 57) || " -+()".unicodeScalars.contains($0) }
        guard phoneLike else { return }
        if digits.count >= 11 {
            guard !full else { return }
            let reader = try reader()
            let fetcher = try reader.map { try self.fetcher($0) }
            for id in try ExactLookup.members(phone: digits, db, limit: limit, reader: reader, fetcher: fetcher) { add(id, "phone") }
        } else if digits.count >= 4, let reader = try reader() {
            let tail = SearchText.normalized(digits)
            try scan(reader.stream(Gram.phoneTailKey(tail)!), reader, "phone tail") { SearchText.hasSuffix($0.phone, tail) }
        }
    }

    mutating func textTiers(_ q: [UInt32]) throws {
        guard !q.isEmpty, !full, let reader = try reader() else { return }
        try scan(reader.stream(Gram.exactKey(q[...])), reader, "exact") { $0.nick == q || $0.name == q }
        if q.count == 1 {
            try scan(reader.stream(Gram.key(.prefix1, q[0])), reader, "prefix") { SearchText.hasPrefix($0.nick, q) || SearchText.hasPrefix($0.name, q) }
            try scan(reader.stream(Gram.key(.uni, q[0])), reader, "contains") { SearchText.contains($0.nick, q) || SearchText.contains($0.name, q) }
        } else if q.count == 2 {
            try scan(reader.stream(Gram.key(.prefix2, q[0], q[1])), reader, "prefix") { SearchText.hasPrefix($0.nick, q) || SearchText.hasPrefix($0.name, q) }
            try scan(reader.stream(Gram.key(.bi, q[0], q[1])), reader, "contains") { SearchText.contains($0.nick, q) || SearchText.contains($0.name, q) }
        } else {
            let tris = Self.trigrams(q)
            try scan(reader.intersection([Gram.key(.prefix2, q[0], q[1])] + tris), reader, "prefix") {
                SearchText.hasPrefix($0.nick, q) || SearchText.hasPrefix($0.name, q)
            }
            try scan(reader.intersection(tris), reader, "contains") { SearchText.contains($0.nick, q) || SearchText.contains($0.name, q) }
        }
    }

    /// The query's distinct trigrams; a long query keeps eight spread over it (the text check does the rest).
    static func trigrams(_ q: [UInt32]) -> [UInt64] {
        var keys: [UInt64] = []
        for i in 0...(q.count - 3) {
            let k = Gram.key(.tri, q[i], q[i + 1], q[i + 2])
            if !keys.contains(k) { keys.append(k) }
        }
        guard keys.count > 8 else { return keys }
        return (0..<8).map { keys[$0 * (keys.count - 1) / 7] }
    }

    private mutating func addAll(_ sql: String, _ args: StatementArguments, _ why: String) throws {
        guard !full else { return }
        for id in try Int64.fetchAll(db, sql: sql + " LIMIT \(limit)", arguments: args) { add(id, why) }
    }

    /// Walks a stream in recency order, keeping candidates that pass `accept`, until the page is full.
    /// The stream is opened only if the page is not full yet: a common character's prefix tier fills
    /// it, and opening its 'contains' stream read the first chunk of each posting set for nothing.
    private mutating func scan(_ stream: @autoclosure () throws -> RankStream?, _ reader: PostingReader, _ why: String, _ accept: (Candidate) -> Bool) throws {
        guard !full, let stream = try stream() else { return }
        let fetcher = try fetcher(reader)
        var target = Int64.min
        while !full, let rk = try stream.seek(target) {
            target = rk + 1
            guard let c = try fetcher.fetch(rank: rk), !seen.contains(c.id), accept(c) else { continue }
            add(c.id, why)
        }
    }
}
