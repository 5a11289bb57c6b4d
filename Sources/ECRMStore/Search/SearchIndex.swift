import Foundation
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

    /// When the refresh delta is folded into the postings (a rebuild: every member's postings from
    /// the member table, no delta left). A refresh rebuilds at once when it covers a large share of
    /// the members (`share`: one in `share` of the ranked members, and at least `minMembers`), as a
    /// bulk-like load of identities does: merged into the postings when there is no delta
    /// (SearchMerge: the rebuild's result for 55-70% of its CPU at 1M), else from the table. The delta's growth is folded after an import, built off
    /// the write lock and swapped in by a short transaction of its own (SearchAdmin.foldIfDue,
    /// SearchFold), once it holds `deltaPerMember` pairs per
    /// ranked member (at least `minDelta`); a refresh folds it itself only past `insideFactor` times
    /// that (the fold after imports kept failing).
    /// Measured at 1M members (release, loaded machine): a rebuild 3.1 s CPU, peak 117 MiB; a
    /// 5,000-buyer daily import whose buyers all move to the front adds ~180k delta pairs, so the
    /// bound (2M) folds after about every eleventh such import. The delta's pages a daily import
    /// dirties grow with it (713 pages into an empty delta; its inserts spread over every leaf).
    struct RefreshLimits: Sendable {
        var share = 16
        var minMembers = 2_000
        var deltaPerMember = 2
        var minDelta = 100_000
        var insideFactor = 4
        /// A large refresh builds the extra posting set (SearchExtra); false: it merges (SearchMerge),
        /// as before the extra set (tests of the merge).
        var extraSet = true
        static let standard = RefreshLimits()

        func large(refreshing members: Int, ranked: Int64) -> Bool {
            Int64(members) >= max(ranked / Int64(share), Int64(minMembers))
        }

        func foldBound(ranked: Int64) -> Int64 { max(ranked * Int64(deltaPerMember), Int64(minDelta)) }
    }

    /// Whether the delta has grown past its bound (SearchAdmin.foldIfDue).
    static func foldDue(_ db: Database, limits: RefreshLimits = .standard) throws -> Bool {
        guard try PostingLayout.load(db) != nil else { return false }
        let ranks = try RankUpdate(db)
        return try deltaRows(db) >= limits.foldBound(ranked: ranks.ranked)
    }

    static func deltaRows(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT value FROM search_meta WHERE key = 'delta_rows'") ?? 0
    }

    /// What a refresh did (the import report's searchBuild: "members", "extra", "merged", "table").
    enum Refreshed: Sendable {
        /// The refreshed members' grams went to the delta (or nothing was to do).
        case members
        /// A large refresh built the extra posting set beside the built postings (SearchExtra).
        case extra
        /// A large refresh merged into the built postings (SearchMerge).
        case merged
        /// Everything rebuilt from the member table.
        case rebuilt
    }

    /// After a small load or an edit: refresh the given members only (new members, changed nick,
    /// name or phone, new paid orders). The grams of a member whose rank changed, or whose text may
    /// have (`textChanged`; nil = all of them), go to search_delta at its current rank (ordering key,
    /// with an extra set: SearchExtra); what the postings still say about it is filtered out when
    /// candidates are checked. A member whose rank and text both stay has its grams there already.
    /// A large refresh builds the extra set, merges or rebuilds instead (RefreshLimits).
    /// Returns what it did: the members' rows only, the extra set, a merge, or a rebuild.
    @discardableResult
    static func refresh(_ db: Database, members: Set<Int64>, textChanged: Set<Int64>? = nil,
                        limits: RefreshLimits = .standard) throws -> Refreshed {
        guard !members.isEmpty else { return .members }
        guard let layout = try PostingLayout.load(db), try MemberRanks.exist(db) else { try rebuildAll(db); return .rebuilt }
        var clock = PhaseTimer()
        defer {
            TimingLog.search.write("search refresh of \(members.count): "
                + clock.phases.map { String(format: "%@=%.1f/%.1f ms", $0.name, $0.wall * 1000, $0.cpu * 1000) }.joined(separator: " "))
        }
        var ranks = try RankUpdate(db)
        let deltaRows = try deltaRows(db)
        if limits.large(refreshing: members.count, ranked: ranks.ranked)
            || deltaRows >= limits.foldBound(ranked: ranks.ranked) * Int64(limits.insideFactor) {
            // Beside postings that are a rebuild's (no delta): only the refreshed members' postings
            // are built, in a second set (SearchExtra), or everything merged (SearchMerge); else
            // everything from the table.
            if deltaRows == 0 {
                switch try large(db, touched: members, textChanged: textChanged ?? members, extra: limits.extraSet) {
                case .extra: clock.mark("extra"); return .extra
                case .merged: clock.mark("merge"); return .merged
                case .rebuilt: clock.mark("merge found unmappable postings, rebuilt"); return .rebuilt
                case .declined: break
                }
            }
            try rebuildAll(db)
            clock.mark("rebuild")
            return .rebuilt
        }
        let placed = try ranks.apply(members: members)
        clock.mark("ranks")
        // Delta rows hold ordering keys (SearchExtra: a rank itself when there is no extra set).
        // Prepared once (a statement per member was most of a 5,000-member refresh), and the pairs
        // inserted in key order: neighbouring inserts then land on the same pages of search_delta.
        let texts = try RawStatement(db, "SELECT nick, name, phone FROM member WHERE id = ?")
        var pairs: [(gram: Int64, rk: Int64)] = []
        var textsRead = false
        for p in placed where p.moved || textChanged?.contains(p.id) ?? true {
            texts.bind(1, p.id)
            guard try texts.next() else { sqlite3_reset(texts.handle); continue }
            textsRead = true
            let nick = columnText(texts.handle, 0), name = columnText(texts.handle, 1), phone = columnText(texts.handle, 2)
            sqlite3_reset(texts.handle)
            for hash in grams(nick: nick, name: name, phone: phone) { pairs.append((layout.gram(hash), p.key)) }
        }
        pairs.sort { ($0.gram, $0.rk) < ($1.gram, $1.rk) }
        clock.mark("grams")
        // Many rows a statement (BatchInsert). A pair already there (the same member's text at the
        // same rank) is ignored.
        var unique = 0
        for i in pairs.indices where unique == 0 || pairs[i] != pairs[unique - 1] { pairs[unique] = pairs[i]; unique += 1 }
        let insertDelta = try BatchInsert(db, "INSERT OR IGNORE INTO search_delta(gram, rk)", values: "(?, ?)", columns: 2)
        let before = sqlite3_total_changes64(db.sqliteConnection)
        try insertDelta.insert(pairs[..<unique]) { s, p, k in s.bind(k + 1, p.gram); s.bind(k + 2, p.rk) }
        let added = sqlite3_total_changes64(db.sqliteConnection) - before
        if added > 0 {
            try db.execute(sql: "INSERT OR REPLACE INTO search_meta(key, value) VALUES ('delta_rows', ?)", arguments: [deltaRows + added])
        } else if textsRead && deltaRows == 0 {
            // A text with no grams left its old ones in the postings, and no delta row says so.
            try db.execute(sql: "INSERT OR REPLACE INTO search_meta(key, value) VALUES (?, 1)", arguments: [SearchMerge.unindexedText])
        }
        clock.mark("delta")
        return .members
    }

    /// A large refresh into postings with no delta: the extra set (SearchExtra), else a merge
    /// (SearchMerge); `declined` when neither could (the caller rebuilds).
    static func large(_ db: Database, touched: some Collection<Int64>, textChanged: some Collection<Int64>,
                      created: [Int64] = [], extra: Bool = true, early: EarlyExtra? = nil) throws -> SearchMerge.Outcome {
        if extra {
            let outcome = try SearchExtra.run(db, touched: touched, textChanged: textChanged, created: created, early: early)
            guard outcome == .declined else { return outcome }
        }
        return try SearchMerge.run(db, touched: touched, textChanged: textChanged, created: created)
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
/// Each member's current rank comes from MemberRanks (no pass over the rank table); a moved
/// member's old rank row stays until the rebuild, superseded (MemberRanks.current).
///
/// With an extra set (SearchExtra, whose comment defines this): a member in it keeps its ordering
/// key unless it moves as above; one that moves or is gone leaves the set (its search_extra_member
/// row goes). The most recent member not refreshed may be an extra one. Positions are returned as
/// ordering keys (a rank r as r << shift).
struct RankUpdate {
    let db: Database
    private var minRk: Int64 = 0
    private var maxRk: Int64 = -1
    private let extra: SearchExtra.Info?

    private let deleteRank: RawStatement
    private let insertRank: RawStatement
    private let moveRank: RawStatement
    /// The extra set's members (only with one), which a member leaves through.
    private let extraMembers: MemberSlotReader?

    /// How many ranks are taken or were since the rebuild, and the extra set's members (about the
    /// member count).
    var ranked: Int64 { maxRk - minRk + 1 + extraCount }
    private var extraCount: Int64 = 0

    init(_ db: Database) throws {
        self.db = db
        deleteRank = try RawStatement(db, "DELETE FROM search_rank WHERE rk = ?")
        insertRank = try RawStatement(db, "INSERT INTO search_rank(rk, member_id) VALUES (?, ?)")
        moveRank = try MemberRanks.moveStatement(db)
        minRk = try Int64.fetchOne(db, sql: "SELECT min(rk) FROM search_rank") ?? 0
        maxRk = try Int64.fetchOne(db, sql: "SELECT max(rk) FROM search_rank") ?? -1
        extra = try SearchExtra.Info.load(db)
        if extra != nil { extraCount = try ExtraRanks.ordCount(db) }
        extraMembers = extra == nil ? nil : try MemberSlotReader(db, table: ExtraRanks.memberTable)
    }

    /// The newest last paid order among members not being refreshed (their stats are still as
    /// ranked): the first current member in key order, built or extra.
    private func frontPaid(excluding members: Set<Int64>) throws -> String? {
        func first(_ sql: String) throws -> (key: Int64, paid: String?)? {
            let rows = try Row.fetchCursor(db, sql: sql)
            while let row = try rows.next() {
                if !members.contains(row[0]) { return (row[2], row[1]) }
            }
            return nil
        }
        let main = try first("""
            SELECT r.member_id, s.last_paid_at, r.rk FROM search_rank r LEFT JOIN member_stats s ON s.member_id = r.member_id
            WHERE \(MemberRanks.current("r")) ORDER BY r.rk
            """)
        guard let extra else { return main?.paid }
        let inExtra = try firstExtra(excluding: members)
        guard let m = main else { return inExtra?.paid }
        guard let e = inExtra else { return m.paid }
        return extra.key(rank: m.key) < e.key ? m.paid : e.paid
    }

    /// The first current extra member in ordinal (key) order not being refreshed: its key and last paid order.
    private func firstExtra(excluding members: Set<Int64>) throws -> (key: Int64, paid: String?)? {
        let ords = try ExtraOrdReader(db.makeStatement(sql: ExtraOrdReader.sql))
        let current = try MemberSlotReader(db, table: ExtraRanks.memberTable)
        var ord: Int64 = 0
        while let e = try ords.entry(ord) {
            if !members.contains(e.member), try current.value(of: e.member) == ord {
                let paid = try String.fetchOne(db, sql: "SELECT last_paid_at FROM member_stats WHERE member_id = ?", arguments: [e.member])
                return (e.key, paid)
            }
            ord += 1
        }
        return nil
    }

    /// Returns (member id, ordering key, whether it moved) for each member that still exists.
    mutating func apply(members: Set<Int64>) throws -> [(id: Int64, key: Int64, moved: Bool)] {
        let front = try frontPaid(excluding: members)
        var lookup = try MemberRankLookup(db)
        var out: [(id: Int64, key: Int64, moved: Bool)] = []
        // The paid moment as UTF-8 bytes: the same order as the text's, without String's slower compare.
        var movers: [(id: Int64, paid: [UInt8])] = []
        var newcomers: [Int64] = []
        let lastPaid = try RawStatement(db, "SELECT s.last_paid_at FROM member m LEFT JOIN member_stats s ON s.member_id = m.id WHERE m.id = ?")
        let extraKey = extra == nil ? nil : try ExtraOrdReader(db.makeStatement(sql: ExtraOrdReader.sql))
        for id in members.sorted() {
            let rk = try lookup.rank(of: id)
            var key: Int64?   // its extra key, when it is in the extra set
            if rk == nil, let extraKey, let ord = try lookup.extraOrd(of: id) {
                key = try extraKey.entry(ord)?.key
            }
            lastPaid.bind(1, id)
            guard try lastPaid.next() else {
                sqlite3_reset(lastPaid.handle)
                if let rk {
                    deleteRank.bind(1, rk); try deleteRank.step()
                    try MemberRanks.move(id, to: nil, moveRank)
                } else if key != nil {
                    try leave(id)
                    try MemberRanks.move(id, to: nil, moveRank)   // its built rows, if it had any, stay superseded
                }
                continue
            }
            let paid: String? = sqlite3_column_text(lastPaid.handle, 0).map { String(cString: $0) }
            sqlite3_reset(lastPaid.handle)
            if let paid, (rk == nil && key == nil) || paid >= (front ?? "") {
                movers.append((id, Array(paid.utf8)))
            } else if let rk {
                out.append((id, extra?.key(rank: rk) ?? rk, false))
            } else if let key {
                out.append((id, key, false))
            } else {
                newcomers.append(id)
            }
        }
        // Oldest first, so the most recent of them ends up with the smallest rank.
        movers.sort { $0.paid != $1.paid ? $0.paid.lexicographicallyPrecedes($1.paid) : $0.id < $1.id }
        for m in movers {
            minRk -= 1
            try place(m.id, rk: minRk)
            out.append((m.id, extra?.key(rank: minRk) ?? minRk, true))
        }
        for id in newcomers {
            maxRk += 1
            try place(id, rk: maxRk)
            out.append((id, extra?.key(rank: maxRk) ?? maxRk, true))
        }
        return out
    }

    /// The member leaves the extra set (its extra postings are superseded).
    private func leave(_ id: Int64) throws {
        try extraMembers?.clear(id, db)
    }

    /// The member's old row stays in search_rank, superseded by search_moved (MemberRanks): deleting
    /// it was a random write per mover, about 2,400 pages of a 5,000-buyer daily import at 1M.
    private func place(_ id: Int64, rk: Int64) throws {
        insertRank.bind(1, rk); insertRank.bind(2, id)
        try insertRank.step()
        try MemberRanks.move(id, to: rk, moveRank)
        try leave(id)
    }
}
