import Foundation
import GRDB
import GRDBSQLite

/// A large refresh (a channel import: 300k new and phone-linked members into a 1M store) beside
/// the built postings instead of into them: a second, smaller posting set made from the refreshed
/// members only, with the rebuild's order kept. SearchMerge renumbered every rank and re-encoded
/// nearly every posting of the store (1.8 s at 1M); this builds postings for the refreshed members
/// alone, with the build's own code (PairSpool, PartitionSort, PostingEncoder, PostingWriter).
///
/// Tables (v22):
/// - `search_extra_small`, `search_extra_large`: postings as PostingLayout's, over the extra members'
///   ordinals (`ord`: 0 = the most recent extra member), with a layout of their own (search_meta's
///   `extra_rk_bits`, `extra_bucket_bits`).
/// - `search_extra_rank(ord, key, member_id)`: each extra member's ordering key (below);
///   `search_extra_member(member_id, ord)`: the other way round. Since v24 both are chunks of
///   packed integers (ExtraRanks: search_extra_rank_chunk, search_extra_member_chunk), read through
///   ExtraOrdReader and MemberSlotReader; the names below are the rows those chunks hold.
///
/// Table (v23): `search_extra_stale(rk)`: the main ranks the extra set superseded (the built rank
/// of every member search_moved names, all rankless when the set is built), written by the build
/// with search_meta's `extra_stale` that says the table is whole. A search of a settled set
/// (PostingReader.extraSettled) checks a main candidate there, by rank: rank-ordered pages a
/// search's candidates share, rather than a random search_moved page per candidate (22-29 page
/// reads of a 1-character search at 1M). Only a build writes it and everything that empties the
/// set empties it; a set built before v23 has no flag, and is checked in search_moved as before.
///
/// Ordering keys. A search reads both sets as one stream of keys in recency order. With S =
/// `extra_shift` (search_meta; set iff an extra set exists): the member at main rank r (search_rank,
/// a rebuild's rank or a small refresh's) has key r << S; the extra member with ordinal `ord` whose
/// next built neighbour in the rebuild's recency order has main rank r has key ((r - 1) << S) + 1 + ord,
/// strictly between main ranks r - 1 and r, and in ord order among the extra members (ord < 2^S - 1).
/// Extra members after every built one take r = the main member count. So the first n keys of a
/// stream are the n most recent members, as a rebuild would list them.
///
/// Which entry is current. A member is in the extra set while search_extra_member has it. One that
/// had a main rank gets a search_moved row with no rank, which supersedes its search_rank rows
/// (MemberRanks.current: a search reads no more than before for a built member) and gives it no main
/// rank (MemberRankLookup). The extra members are: the members whose text changed or who were created,
/// the members whose recency order moved against the built ones (found as SearchMerge finds them:
/// mapped old ranks that stop increasing), and the extra members of an earlier large refresh. Its
/// cost follows them, not the store, but for one ordered pass over the store's recency index
/// (member_list_last), which places them between their built neighbours.
///
/// The daily small refresh after an extra set exists (RankUpdate): the delta (search_delta) holds
/// ordering keys, not ranks (a main rank r as r << S). An extra member it refreshes
/// - keeps its key when it does not move (an older order, or text only): its new grams go to the
///   delta at that key, its extra postings stay (stale grams fail the text check);
/// - moves to the front (a newer order than the front's: rk = min - 1, key (min - 1) << S, before every
///   extra key) or, having no paid order and no position, to the end (max + 1, after every extra key)
///   as any member does: its search_extra_member row goes (its extra postings are superseded) and
///   it gets a search_rank row and its search_moved row names that rank, as a moved main member's;
/// - gone (merged away): its search_extra_member row goes and search_moved says it has no rank.
/// The front a mover must reach is the most recent member not refreshed, main or extra (lowest key).
///
/// A second large refresh merges into the set (PostingMerge over its tables: its postings mapped to
/// the new ordinals, only the new and changed members' texts paired); when the set would hold more
/// than half as many members as the built postings, everything is merged into the postings instead
/// (SearchMerge, with every extra member as text-changed). Both need postings that are a
/// rebuild's otherwise (no delta, no small refresh's move, no 'unindexed_text'): else the caller
/// rebuilds, which (as the fold does) empties the extra set.
enum SearchExtra {
    /// v22's tables (v24 replaces its two rank tables with ExtraRanks.schema's).
    static let schema = """
        CREATE TABLE search_extra_small (bucket INTEGER PRIMARY KEY, data BLOB NOT NULL);
        CREATE TABLE search_extra_large (gram INTEGER NOT NULL, first_rk INTEGER NOT NULL, data BLOB,
                                         PRIMARY KEY (gram, first_rk)) WITHOUT ROWID;
        CREATE TABLE search_extra_rank (ord INTEGER PRIMARY KEY, key INTEGER NOT NULL, member_id INTEGER NOT NULL);
        CREATE TABLE search_extra_member (member_id INTEGER PRIMARY KEY, ord INTEGER NOT NULL);
        """

    /// search_meta's keys for the extra set.
    static let metaKeys = ["extra_shift", "extra_rk_bits", "extra_bucket_bits"]

    /// v23: the main ranks the extra set superseded (above).
    static let staleSchema = "CREATE TABLE search_extra_stale (rk INTEGER PRIMARY KEY);"
    /// search_meta's key set when search_extra_stale is whole for the set.
    static let staleKey = "extra_stale"

    /// Bits of an ordering key below a main rank: room for 2^24 - 1 extra members.
    static let shift = 24

    /// The extra set's layout and key shift, when one exists.
    struct Info: Equatable {
        var shift: Int
        var layout: PostingLayout
        var mask: Int64 { (1 << Int64(shift)) - 1 }

        /// (Every search opens it: one cached read of search_meta's three keys, which only an extra set writes.)
        static func load(_ db: Database) throws -> Info? {
            let s = try db.cachedStatement(sql: "SELECT key, value FROM search_meta WHERE key IN ('extra_shift', 'extra_rk_bits', 'extra_bucket_bits')")
            var shift: Int?, rk: Int?, b: Int?
            for r in try Row.fetchAll(s) {
                switch r[0] as String {
                case "extra_shift": shift = r[1]
                case "extra_rk_bits": rk = r[1]
                default: b = r[1]
                }
            }
            guard let shift, let rk, let b else { return nil }
            return Info(shift: shift, layout: PostingLayout(rkBits: rk, bucketBits: b))
        }

        /// A main rank's ordering key.
        func key(rank rk: Int64) -> Int64 { rk << Int64(shift) }
    }

    /// The ordering-key shift now: the extra set's, or 0 (keys are ranks) without one.
    static func currentShift(_ db: Database) throws -> Int { try Info.load(db)?.shift ?? 0 }

    /// Before v24 (the builds of older migrations run without these tables).
    static func exist(_ db: Database) throws -> Bool { try db.tableExists("search_extra_member_chunk") }

    /// Empties the extra set (a rebuild, a fold, a merge of everything).
    static func clear(_ db: Database) throws {
        guard try exist(db) else { return }
        try db.execute(sql: """
            DELETE FROM search_extra_small; DELETE FROM search_extra_large; DELETE FROM search_extra_rank_chunk; DELETE FROM search_extra_member_chunk;
            DELETE FROM search_meta WHERE key IN ('extra_shift', 'extra_rk_bits', 'extra_bucket_bits', '\(staleKey)')
            """)
        if try db.tableExists("search_extra_stale") { try db.execute(sql: "DELETE FROM search_extra_stale") }
    }

    /// The built ranks (`rankOf`, by member id: search_member_rank's) of the members search_moved
    /// names, into search_extra_stale, and the flag that says it is whole. At the end of a build,
    /// when every search_moved row is rankless: a main row is then current unless its member is
    /// there, that is unless its rank is. (Before v23, nothing.)
    static func writeStale(_ db: Database, rankOf: [Int32]) throws {
        guard try db.tableExists("search_extra_stale") else { return }
        try db.execute(sql: "DELETE FROM search_extra_stale")
        var ranks: [Int32] = []
        do {
            let s = try RawStatement(db, "SELECT member_id FROM search_moved")
            defer { sqlite3_reset(s.handle) }
            while try s.next() {
                let id = sqlite3_column_int64(s.handle, 0)
                if id >= 0, id < rankOf.count, rankOf[Int(id)] != MemberRanks.none { ranks.append(rankOf[Int(id)]) }
            }
        }
        ranks.sort()
        let insert = try BatchInsert(db, "INSERT OR FAIL INTO search_extra_stale(rk)", values: "(?)", columns: 1)
        try insert.insert(ranks) { st, rk, at in st.bind(at + 1, Int64(rk)) }
        try db.execute(sql: "INSERT OR REPLACE INTO search_meta(key, value) VALUES (?, 1)", arguments: [staleKey])
    }

    /// How many members the extra set holds.
    static func count(_ db: Database) throws -> Int {
        guard try exist(db) else { return 0 }
        return try ExtraRanks.members(db).count
    }

    /// Whether a large refresh would build (or merge into) an extra set, rather than decline: the
    /// postings are a rebuild's (or a large refresh's).
    static func buildsBeside(_ db: Database) throws -> Bool {
        try exist(db) && MemberRanks.exist(db) && PostingLayout.load(db) != nil
            && Int64.fetchOne(db, sql: "SELECT 1 FROM search_delta LIMIT 1") == nil
            // No small refresh's move (a rankless row: an extra member's, or a member merged away).
            && Int64.fetchOne(db, sql: "SELECT 1 FROM search_moved WHERE rk IS NOT NULL LIMIT 1") == nil
            && Int64.fetchOne(db, sql: "SELECT value FROM search_meta WHERE key = ?", arguments: [SearchMerge.unindexedText]) == nil
    }

    /// Whether postings made early (EarlyExtra) could be used: the set would be built, with no extra set before.
    static func acceptsEarly(_ db: Database) throws -> Bool {
        try buildsBeside(db) && !ExtraRanks.any(db)
    }

    private static let extraFlag: UInt8 = 8   // in the extra set (text flagged and found, or a mover)
    private static let moverFlag: UInt8 = 16
    private static let oldExtraFlag: UInt8 = 32   // in the extra set before this refresh
    private static let goneFlag: UInt8 = 64       // rankless in search_moved, not in the extra set
    private static let liveFlag: UInt8 = 128      // exists after this refresh

    /// The large refresh (see above). Arguments as SearchMerge.run's. Returns `extra` (the set
    /// built), `merged`/`rebuilt` (grown past half the built postings: merged into them), or
    /// `declined` with nothing written (the caller merges or rebuilds).
    ///
    /// `early`: the extra set's postings made while the load's stats, lists and indexes were written
    /// (EarlyExtra), used when their members are the ones worked out here, in the same order; the
    /// texts are then not read. Otherwise they are cancelled and the set built as before.
    static func run(_ db: Database, touched: some Sequence<Int64>, textChanged: some Sequence<Int64>,
                    created: [Int64] = [], early: EarlyExtra? = nil) throws -> SearchMerge.Outcome {
        guard try buildsBeside(db) else { return .declined }
        var clock = PhaseTimer()
        var outcome = SearchMerge.Outcome.declined
        defer { TimingLog.search.write("search extra (\(outcome.rawValue)): \(clock.summary)") }
        let textFlag = SearchMerge.textFlag, touchedFlag = SearchMerge.touchedFlag, foundFlag = SearchMerge.foundFlag

        // The built ranks by member id, and the member at each (dense: a rebuild's).
        let oldRankOf = try SearchMerge.readMemberRanks(db)
        var mainCount = 0
        for r in oldRankOf where r != MemberRanks.none { mainCount += 1 }
        var memberAtOld = [Int32](repeating: -1, count: mainCount)
        for (id, r) in oldRankOf.enumerated() where r != MemberRanks.none {
            guard r >= 0, Int(r) < mainCount, memberAtOld[Int(r)] < 0 else { return .declined }
            memberAtOld[Int(r)] = Int32(id)
        }
        // The extra set so far: its members and their ordinals.
        var oldExtra: [Int64] = [], oldOrds: [Int32] = []
        for m in try ExtraRanks.members(db) { oldExtra.append(m.id); oldOrds.append(m.ord) }
        let oldInfo = try Info.load(db)
        let rankless = try Int64.fetchAll(db, sql: "SELECT member_id FROM search_moved ORDER BY member_id")
        let maxId = try Int64.fetchOne(db, sql: "SELECT max(id) FROM member") ?? 0
        guard maxId >= 0, maxId < Int64(Int32.max) else { return .declined }
        let size = max(Int(maxId), oldRankOf.count - 1, Int(oldExtra.last ?? 0)) + 1
        var flags = [UInt8](repeating: 0, count: size)
        var wanted: [Int64] = []   // for the merge of everything, if it comes to that
        for id in textChanged where id >= 0 && id < size { flags[Int(id)] |= textFlag; wanted.append(id) }
        for id in created where id >= 0 && id < size { flags[Int(id)] |= textFlag }
        for id in oldExtra { flags[Int(id)] |= oldExtraFlag }   // texts only if need be (below)
        var gone: [Int64] = []   // rankless and not in the extra set: merged away since the build
        for id in rankless where id >= 0 && id < size && flags[Int(id)] & oldExtraFlag == 0 { flags[Int(id)] |= goneFlag; gone.append(id) }
        for id in touched where id >= 0 && id < size { flags[Int(id)] |= touchedFlag }
        func ranked(_ id: Int) -> Bool { id < oldRankOf.count && oldRankOf[id] != MemberRanks.none }

        // Texts of the flagged members, and which of them exist. A built member gone (merged away)
        // would leave rank rows to supersede: the merge handles that. With early postings (only
        // for a load's created and written members, which exist: a load deletes nobody), none are read.
        var anyTouched = false
        for _ in touched { anyTouched = true; break }
        let useEarly = early != nil && !anyTouched && oldExtra.isEmpty
        var texts = SearchMerge.MemberTexts()
        if useEarly {
            flags.withUnsafeMutableBufferPointer { f in
                for id in 0..<size where f[id] & textFlag != 0 { f[id] |= foundFlag }
            }
        } else {
            try texts.read(db, flags: &flags)
        }
        // A member not named by this refresh is there as before (only a refresh deletes one): each
        // one that exists gets liveFlag, in one pass (the passes below then test a bit). A built
        // member named and not found, and not superseded already, declines (the merge handles it).
        let whole = oldRankOf.withUnsafeBufferPointer { rank in
            flags.withUnsafeMutableBufferPointer { f in
                for id in 0..<size {
                    let fl = f[id]
                    let ranked = id < rank.count && rank[id] != MemberRanks.none
                    let live: Bool
                    if fl & (textFlag | touchedFlag) != 0 {
                        live = fl & foundFlag != 0
                        if !live && ranked && fl & (goneFlag | oldExtraFlag) == 0 { return false }
                    } else {
                        live = (ranked && fl & goneFlag == 0) || fl & oldExtraFlag != 0
                    }
                    guard live else { continue }
                    f[id] = fl | liveFlag | (fl & (textFlag | oldExtraFlag) != 0 ? extraFlag : 0)
                }
                return true
            }
        }
        guard whole else { return .declined }
        clock.mark("texts")

        // The rebuild's order of every member, most recent first: buyers by (last paid, id)
        // descending, then the others by id descending (RecencyOrder).
        let recency = try RecencyOrder(db, size: size, flags: flags, live: liveFlag)
        // Built members whose order moved: their positions, in old rank order, stop increasing.
        var movers: [Int64] = []
        recency.position.withUnsafeBufferPointer { position in
            flags.withUnsafeMutableBufferPointer { f in
                var lastKept: Int32 = -1
                for id32 in memberAtOld {
                    let id = Int(id32)
                    guard f[id] & (extraFlag | liveFlag) == liveFlag else { continue }
                    let p = position[id]
                    if p <= lastKept { f[id] |= extraFlag | moverFlag; movers.append(Int64(id)) } else { lastKept = p }
                }
            }
        }
        clock.mark("order")

        // Ordinals and keys, in the rebuild's order.
        var extraIds: [Int32] = []   // by ord
        var keys: [Int64] = []
        let s = Int64(shift)
        flags.withUnsafeBufferPointer { f in
            do {
                var pending = 0
                func place(before r: Int64) { while pending < extraIds.count { keys.append(((r - 1) << s) + 1 + Int64(keys.count)); pending += 1 } }
                recency.forEach { id in
                    if f[Int(id)] & extraFlag != 0 { extraIds.append(id) } else if pending < extraIds.count { place(before: Int64(oldRankOf[Int(id)])) }
                }
                place(before: Int64(mainCount))
            }
        }
        let n = extraIds.count
        guard n + 1 < (1 << shift) else { return .declined }
        // By ordinal, and (`sorted`) in member order: one pass, not a sort.
        var ordOf = [Int32](repeating: -1, count: size)
        var sorted: [Int32] = []
        sorted.reserveCapacity(n)
        ordOf.withUnsafeMutableBufferPointer { ordOf in
            for (k, id) in extraIds.enumerated() { ordOf[Int(id)] = Int32(k) }
            for id in 0..<size where ordOf[id] >= 0 { sorted.append(Int32(id)) }
        }
        /// The rank tables (chunks: ExtraRanks), and the built rows of the extra members superseded
        /// (those of the set before are already). As rows (v22-v23) they were about half of a
        /// channel import's search phase at 1M (0.29 s CPU for 397k + 397k + 117k rows), nearly all
        /// SQLite's own cost per row.
        func insertRankRows() throws {
            try ExtraRanks.writeOrds(db, members: extraIds, keys: keys)
            try ExtraRanks.writeMemberChunks(db, sorted.lazy.map { (id: Int64($0), ord: ordOf[Int($0)]) })
            let rankless = try BatchInsert(db, "INSERT OR FAIL INTO search_moved(member_id, rk)", values: "(?, NULL)", columns: 1)
            try rankless.insert(sorted.filter { ranked(Int($0)) && flags[Int($0)] & oldExtraFlag == 0 }) { st, id, at in st.bind(at + 1, Int64(id)) }
        }
        func writeMeta(_ layout: PostingLayout) throws {
            try db.execute(sql: "INSERT OR REPLACE INTO search_meta(key, value) VALUES ('extra_shift', ?), ('extra_rk_bits', ?), ('extra_bucket_bits', ?)",
                           arguments: [shift, layout.rkBits, layout.bucketBits])
        }

        if useEarly, let early {
            // The early postings are this set's when their members are these, in this order (no
            // mover, nothing read otherwise) and the set is built rather than merged.
            guard case .success(let ready) = early.wait(), movers.isEmpty, n * 2 <= mainCount, ready.order == extraIds,
                  ready.layout == PostingLayout(memberCount: n) else {
                early.cancel()
                clock.mark("early postings not these")
                outcome = try run(db, touched: touched, textChanged: textChanged, created: created)
                return outcome
            }
            clock.mark("keys")
            try clear(db)
            try insertRankRows()
            clock.mark("rank tables")
            try PostingWriter.write(ready.partitions, from: ready.queue, db: db, tables: .extra)
            try writeMeta(ready.layout)
            early.markUsed()
            clock.mark("postings (\(n) members, paired early)")
            try writeStale(db, rankOf: oldRankOf)
            clock.mark("stale ranks")
            outcome = .extra
            return outcome
        }

        // Past half the built postings: everything merged into them (SearchMerge).
        if n * 2 > mainCount {
            texts = SearchMerge.MemberTexts()
            try clear(db)
            try db.execute(sql: "DELETE FROM search_moved")   // rankless rows only: the merge is told of them instead
            outcome = try SearchMerge.run(db, touched: Array(touched) + gone, textChanged: wanted + oldExtra, created: created)
            clock.mark("merge of everything")
            return outcome
        }

        let layout = PostingLayout(memberCount: n)
        // With an extra set already: merged into it (PostingMerge over its tables), its members'
        // postings mapped to their new ordinals (those whose text changed made again, those out of
        // order sorted apart), so only the new members' texts are read and paired.
        var oldToNew: [Int32] = []
        if let old = oldInfo?.layout, !oldExtra.isEmpty, layout.rkBits >= old.rkBits, layout.bucketBits >= old.bucketBits {
            let oldCount = Int(oldOrds.max() ?? -1) + 1
            var memberAtOldOrd = [Int32](repeating: -1, count: oldCount)
            for (k, id) in oldExtra.enumerated() where oldOrds[k] >= 0 { memberAtOldOrd[Int(oldOrds[k])] = Int32(id) }
            oldToNew = [Int32](repeating: -1, count: oldCount)
            var lastKept: Int32 = -1
            for o in 0..<oldCount {
                let id = Int(memberAtOldOrd[o])
                guard id >= 0, flags[id] & textFlag == 0, ordOf[id] >= 0 else { continue }   // gone, or its text read again
                let k = ordOf[id]
                if k <= lastKept { oldToNew[o] = -2 - k } else { oldToNew[o] = k; lastKept = k }
            }
        }
        let merging = !oldToNew.isEmpty
        // The texts not read yet: the movers' and (unless merging) the extra set's before.
        var moreFlags = [UInt8](repeating: 0, count: size)
        var more = 0
        for id in movers { moreFlags[Int(id)] = textFlag; more += 1 }
        if !merging { for id in oldExtra where flags[Int(id)] & (textFlag | extraFlag) == extraFlag { moreFlags[Int(id)] = textFlag; more += 1 } }
        if more > 0 {
            var moreTexts = SearchMerge.MemberTexts()
            try moreTexts.read(db, flags: &moreFlags)
            texts.append(moreTexts)
        }
        moreFlags = []
        var textRanks = [UInt32]()
        textRanks.reserveCapacity(texts.ids.count)
        var read = 0
        for id in texts.ids where ordOf[Int(id)] >= 0 { read += 1 }
        let kept = oldToNew.reduce(0) { $0 + ($1 != -1 ? 1 : 0) }
        guard read == texts.ids.count, read + kept == n else { return .declined }   // every extra member's pairs, once
        for id in texts.ids { textRanks.append(UInt32(ordOf[Int(id)])) }
        clock.mark("keys")

        if merging {
            try ExtraRanks.clear(db)
        } else {
            try clear(db)
        }
        let spool = try PairSpool(directory: PairSpool.directory(of: db), threads: 2)
        do {
            let source = GramSource(texts: texts.scalars, starts: texts.starts, ranks: textRanks, phoneKeys: texts.phoneKeys)
            try spool.fill(source, rkMask: layout.rkMask, meanwhile: insertRankRows)
        }
        texts = SearchMerge.MemberTexts()
        clock.mark("rank tables, pairs")
        if merging, let old = oldInfo?.layout {
            do {
                try PostingMerge(db: db, old: old, layout: layout, oldToNew: oldToNew, spool: spool, tables: .extra).run()
            } catch is SearchMerge.Inconsistent {
                try SearchIndex.rebuildAll(db)   // extra postings that were not what their rank table says: from the table
                outcome = .rebuilt
                clock.mark("rebuild")
                return outcome
            }
        } else {
            let queue = PartitionQueue()
            let sort = PartitionSort(spool: spool, layout: layout, partitionMax: SearchIndexBuilder.defaultPartitionMax)
            sort.start(threads: 2, into: queue)
            defer { queue.cancelAndWait() }
            try PostingWriter.write(sort.plan.count, from: queue, db: db, tables: .extra)
        }
        try writeMeta(layout)
        clock.mark("postings (\(n) members, \(movers.count) moved, \(merging ? "merged into the set" : "built"))")
        try writeStale(db, rankOf: oldRankOf)
        clock.mark("stale ranks")
        outcome = .extra
        return outcome
    }
}

extension SearchMerge.MemberTexts {
    /// Another read's members after these (the ids need not stay in order: GramSource goes by ordinal).
    mutating func append(_ other: Self) {
        guard !other.ids.isEmpty else { return }
        let offset = UInt32(scalars.count)
        ids += other.ids
        phoneKeys += other.phoneKeys
        scalars += other.scalars
        if !starts.isEmpty { starts.removeLast() }
        starts += other.starts.map { $0 + offset }
    }
}
