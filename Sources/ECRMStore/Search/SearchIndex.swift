import GRDB
import GRDBSQLite

/// Keeps the search structures in step with member data. Called by the importer and the demo
/// after every load, inside the load's transaction. (Layout and the design choice: PostingLayout.)
enum SearchIndex {
    static let schema = """
        CREATE TABLE search_rank (rk INTEGER PRIMARY KEY, member_id INTEGER NOT NULL);
        CREATE TABLE search_small (bucket INTEGER PRIMARY KEY, data BLOB NOT NULL);
        CREATE TABLE search_large (gram INTEGER NOT NULL, first_rk INTEGER NOT NULL, data BLOB,
                                   PRIMARY KEY (gram, first_rk)) WITHOUT ROWID;
        CREATE TABLE search_delta (gram INTEGER NOT NULL, rk INTEGER NOT NULL, PRIMARY KEY (gram, rk)) WITHOUT ROWID;
        CREATE TABLE search_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
        """

    /// After a bulk load: rebuild everything from the member table.
    /// `early`: pairs a fresh bulk load generated from its member texts meanwhile (EarlyPairs).
    /// Returns whether the early pairs were used.
    @discardableResult
    static func rebuildAll(_ db: Database, partitionMax: Int = SearchIndexBuilder.defaultPartitionMax, early: EarlyPairs? = nil) throws -> Bool {
        var builder = SearchIndexBuilder(db: db, partitionMax: partitionMax)
        return try builder.run(early: early)
    }

    /// After a small load or an edit: refresh the given members only (new members, changed nick,
    /// name or phone, new paid orders). Their grams go to search_delta at their current rank; what
    /// the built postings still say about them is filtered out when candidates are checked.
    static func refresh(_ db: Database, members: Set<Int64>) throws {
        guard !members.isEmpty else { return }
        guard let layout = try PostingLayout.load(db) else { try rebuildAll(db); return }
        var ranks = try RankUpdate(db)
        // Prepared once (a statement per member was most of a 5,000-member refresh), and the pairs
        // inserted in key order: neighbouring inserts then land on the same pages of search_delta.
        let texts = try RawStatement(db, "SELECT nick, name, phone FROM member WHERE id = ?")
        var pairs: [(gram: Int64, rk: Int64)] = []
        for (id, rk) in try ranks.apply(members: members) {
            texts.bind(1, id)
            guard try texts.next() else { sqlite3_reset(texts.handle); continue }
            let nick = columnText(texts.handle, 0), name = columnText(texts.handle, 1), phone = columnText(texts.handle, 2)
            sqlite3_reset(texts.handle)
            for hash in grams(nick: nick, name: name, phone: phone) { pairs.append((layout.gram(hash), rk)) }
        }
        pairs.sort { ($0.gram, $0.rk) < ($1.gram, $1.rk) }
        let insertDelta = try RawStatement(db, "INSERT OR IGNORE INTO search_delta(gram, rk) VALUES (?, ?)")
        for p in pairs {
            insertDelta.bind(1, p.gram); insertDelta.bind(2, p.rk)
            try insertDelta.step()
        }
    }

    private static func columnText(_ h: OpaquePointer, _ i: Int32) -> String {
        sqlite3_column_text(h, i).map { String(cString: $0) } ?? ""
    }

    static func grams(nick: String, name: String, phone: String) -> [UInt64] {
        var out: [UInt64] = []
        SearchText.normalized(nick).withUnsafeBufferPointer { nick in
            SearchText.normalized(name).withUnsafeBufferPointer { name in
                Gram.forEachOfMember(nick: nick, name: name, phoneKey: Gram.phoneTailKey(SearchText.normalized(phone)) ?? 0) { out.append($0) }
            }
        }
        return out
    }
}

/// Moves refreshed members in the recency order without renumbering anyone else: a member whose
/// last paid order is at least as new as that of the most recent member not being refreshed becomes
/// the most recent (rk = min - 1, several in paid order); a new member who never bought goes last
/// (max + 1). A refund or an older back-filled order keeps the rank until the next rebuild.
struct RankUpdate {
    let db: Database
    private var minRk: Int64 = 0
    private var maxRk: Int64 = -1

    private let deleteRank: RawStatement
    private let insertRank: RawStatement

    init(_ db: Database) throws {
        self.db = db
        deleteRank = try RawStatement(db, "DELETE FROM search_rank WHERE rk = ?")
        insertRank = try RawStatement(db, "INSERT INTO search_rank(rk, member_id) VALUES (?, ?)")
        minRk = try Int64.fetchOne(db, sql: "SELECT min(rk) FROM search_rank") ?? 0
        maxRk = try Int64.fetchOne(db, sql: "SELECT max(rk) FROM search_rank") ?? -1
    }

    /// The newest last paid order among members not being refreshed (their stats are still as ranked).
    private func frontPaid(excluding members: Set<Int64>) throws -> String? {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT r.member_id, s.last_paid_at FROM search_rank r LEFT JOIN member_stats s ON s.member_id = r.member_id ORDER BY r.rk
            """)
        while let row = try rows.next() {
            if !members.contains(row[0]) { return row[1] }
        }
        return nil
    }

    /// The current ranks of the given members, from one pass over the rank table (about 50 ms at
    /// 1M members): an index on member_id would serve only this, and a bulk rebuild spent 0.4 s
    /// building it.
    private func currentRanks(of members: Set<Int64>) throws -> [Int64: Int64] {
        var ranks: [Int64: Int64] = [:]
        let scan = try RawStatement(db, "SELECT rk, member_id FROM search_rank")
        defer { sqlite3_reset(scan.handle) }
        while try scan.next() {
            let member = sqlite3_column_int64(scan.handle, 1)
            if members.contains(member) { ranks[member] = sqlite3_column_int64(scan.handle, 0) }
        }
        return ranks
    }

    /// Returns (member id, rank) for each member that still exists.
    mutating func apply(members: Set<Int64>) throws -> [(Int64, Int64)] {
        let front = try frontPaid(excluding: members)
        let ranks = try currentRanks(of: members)
        var out: [(Int64, Int64)] = []
        var movers: [(id: Int64, paid: String)] = []
        var newcomers: [Int64] = []
        let lastPaid = try RawStatement(db, "SELECT s.last_paid_at FROM member m LEFT JOIN member_stats s ON s.member_id = m.id WHERE m.id = ?")
        for id in members.sorted() {
            let rk = ranks[id]
            lastPaid.bind(1, id)
            guard try lastPaid.next() else {
                sqlite3_reset(lastPaid.handle)
                if let rk { deleteRank.bind(1, rk); try deleteRank.step() }
                continue
            }
            let paid: String? = sqlite3_column_text(lastPaid.handle, 0).map { String(cString: $0) }
            sqlite3_reset(lastPaid.handle)
            if let paid, rk == nil || paid >= (front ?? "") {
                movers.append((id, paid))
            } else if let rk {
                out.append((id, rk))
            } else {
                newcomers.append(id)
            }
        }
        // Oldest first, so the most recent of them ends up with the smallest rank.
        for m in movers.sorted(by: { ($0.paid, $0.id) < ($1.paid, $1.id) }) {
            minRk -= 1
            try place(m.id, rk: minRk, replacing: ranks[m.id])
            out.append((m.id, minRk))
        }
        for id in newcomers {
            maxRk += 1
            try place(id, rk: maxRk, replacing: ranks[id])
            out.append((id, maxRk))
        }
        return out
    }

    private func place(_ id: Int64, rk: Int64, replacing old: Int64?) throws {
        if let old { deleteRank.bind(1, old); try deleteRank.step() }
        insertRank.bind(1, rk); insertRank.bind(2, id)
        try insertRank.step()
    }
}
