import GRDB
import ECRMDomain

/// The one member list behind every list the console shows and `ecrm tags members` prints: any
/// `MemberSet` (the whole store, a segment, a grid cell, a tag or several, a tier, a search result,
/// birthdays, a campaign's responders) in a `MemberSort` order. The count is computed once (no
/// COUNT(*) per keystroke) and rows are fetched a page at a time for the visible rows only.
///
/// Two ways to page, chosen by the set:
/// - keyset runs, for the whole store and for a set of one condition an index serves (one segment,
///   lifecycle, R×F cell, tier or tag): a page next to a cached one is found by keyset seek
///   (`(key, id) < (last key, last id)`), so scrolling never uses a large OFFSET; only a jump into
///   the middle of an uncached region falls back to OFFSET, from whichever end is nearer. These
///   lists can change order (`canSort`).
/// - listed ids, for any other set: its ids are read once in list order (most recent buyer first),
///   or kept in the order given (a search result: exact matches before partial ones), and member
///   rows are fetched for the visible pages.
/// Not thread-safe: one pager per list, used from the UI thread.
public final class MemberPager {
    public let sort: MemberSort
    public let set: MemberSet
    public let pageSize: Int
    public internal(set) var count = 0
    /// Page fetches so far (for tests and measurements).
    public private(set) var fetches = 0
    /// Whether the list can be shown in another `MemberSort` order (keyset-run lists).
    public var canSort: Bool { !listed }

    let store: Store
    var runs: [MemberRun] = []
    var runCounts: [Int] = []
    struct PageKey: Hashable, Sendable { let run: Int, page: Int }
    struct Page: Equatable, Sendable { var rows: [MemberSummary]; var keys: [DatabaseValue] }
    var pages: [PageKey: Page] = [:]
    var recent: [PageKey] = []
    private let maxPages = 64
    /// The list's ids when it pages by listed ids; `keepsOrder`: given by the caller, never reread.
    let listed: Bool
    let keepsOrder: Bool
    var ids: [Int64] = []

    public init(store: Store, sort: MemberSort = .recency, set: MemberSet = .all, pageSize: Int = 100) throws {
        self.store = store; self.sort = sort; self.set = set; self.pageSize = pageSize
        listed = !Self.pagesByKeyset(set); keepsOrder = false
        try reload()
    }

    /// A pager with nothing read yet: the change feed fills it from one snapshot (MemberListPage),
    /// which the console's lists take as their subscription's first value instead of reading first.
    public init(unread store: Store, sort: MemberSort = .recency, set: MemberSet = .all, pageSize: Int = 100) {
        self.store = store; self.sort = sort; self.set = set; self.pageSize = pageSize
        listed = !Self.pagesByKeyset(set); keepsOrder = false
    }

    /// Members in the order given (a search result); `reload` only forgets cached rows.
    public init(store: Store, orderedIds: [Int64], pageSize: Int = 100) {
        self.store = store; sort = .recency; set = .ids(orderedIds); self.pageSize = pageSize
        listed = true; keepsOrder = true; ids = orderedIds; count = orderedIds.count
    }

    /// The whole store, or one condition an index orders (see the type's comment).
    static func pagesByKeyset(_ set: MemberSet) -> Bool {
        guard let r = set.rule, !r.isEmpty else { return true }
        func one<T>(_ xs: [T]?) -> Bool where T: Hashable { xs.map { Set($0).count == 1 } ?? false }
        return (r == MemberRule(segments: r.segments) && one(r.segments))
            || (r == MemberRule(lifecycles: r.lifecycles) && one(r.lifecycles))
            || (r == MemberRule(cell: r.cell) && r.cell != nil)
            || (r == MemberRule(tiers: r.tiers) && one(r.tiers))
            || (r == MemberRule(tagsAny: r.tagsAny) && one(r.tagsAny))
            || (r == MemberRule(tagsAll: r.tagsAll) && one(r.tagsAll))
    }

    /// Recounts (rereads the ids) and forgets cached pages (after an import, or on request).
    public func reload() throws {
        pages = [:]; recent = []; listPages = [:]
        if keepsOrder { return }
        try store.read(.require(.lookUp)) { db in try load(db) }
    }

    /// Reads the list's runs and their counts, or its ids, from one snapshot.
    func load(_ db: Database) throws {
        if listed {
            ids = try MemberSetSQL.orderedIds(db, set)
            count = ids.count
            return
        }
        runs = set == .all ? MemberRun.runs(sort: sort) : [MemberRun.run(sort: sort, try MemberSetSQL.of(db, set))]
        var counts = try runs.map { r in try r.countSQL.map { try Int.fetchOne(db, sql: $0, arguments: r.arguments) ?? 0 } ?? -1 }
        // The store's total only for a run without its own count (a full scan at 1M: skip it
        // for scoped lists such as a segment drill-down, whose runs all count themselves).
        if counts.contains(where: { $0 < 0 }) {
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM member") ?? 0
            let known = counts.filter { $0 >= 0 }.reduce(0, +)
            for i in counts.indices where counts[i] < 0 { counts[i] = max(0, total - known) }
        }
        runCounts = counts
        count = runCounts.reduce(0, +)
    }

    /// Listed-id lists: member rows per page of ids.
    var listPages: [Int: [MemberSummary]] = [:]

    private func listedRows(in r: Range<Int>) -> [MemberSummary] {
        guard !r.isEmpty else { return [] }
        var out: [MemberSummary] = []
        for p in (r.lowerBound / pageSize)...((r.upperBound - 1) / pageSize) {
            let rows = listPage(p)
            let start = p * pageSize
            for (k, m) in rows.enumerated() where r.contains(start + k) { out.append(m) }
        }
        return out
    }

    private func listPage(_ p: Int) -> [MemberSummary] {
        if let rows = listPages[p] { return rows }
        fetches += 1
        let slice = Array(ids[(p * pageSize)..<min(ids.count, (p + 1) * pageSize)])
        let rows = (try? store.read(.require(.lookUp)) { db in try MemberQueries.summaries(db, ids: slice) }) ?? []
        if listPages.count > maxPages { listPages = [:] }
        listPages[p] = rows
        return rows
    }

    /// Rows at list positions `range` (clamped).
    public func rows(in range: Range<Int>) -> [MemberSummary] {
        let r = range.clamped(to: 0..<count)
        if listed { return listedRows(in: r) }
        var out: [MemberSummary] = []
        out.reserveCapacity(r.count)
        var i = r.lowerBound
        while i < r.upperBound {
            let (run, local) = locate(i)
            let key = PageKey(run: run, page: local / pageSize)
            guard let page = page(key) else { break }
            let start = local % pageSize
            let take = min(page.rows.count - start, r.upperBound - i)
            guard take > 0 else { break }
            out += page.rows[start..<start + take]
            i += take
        }
        return out
    }

    /// The row at one position, if any.
    public func row(at index: Int) -> MemberSummary? { rows(in: index..<index + 1).first }

    func locate(_ index: Int) -> (run: Int, local: Int) {
        var i = index
        for (k, c) in runCounts.enumerated() {
            if i < c { return (k, i) }
            i -= c
        }
        return (runCounts.count - 1, i)
    }

    private func page(_ key: PageKey) -> Page? {
        if let p = pages[key] { touch(key); return p }
        guard let p = try? fetch(key) else { return nil }
        pages[key] = p
        touch(key)
        if recent.count > maxPages { pages[recent.removeFirst()] = nil }
        return p
    }

    private func touch(_ key: PageKey) {
        if let i = recent.firstIndex(of: key) { recent.remove(at: i) }
        recent.append(key)
    }

    private enum Seek { case start, after(DatabaseValue, Int64), before(DatabaseValue, Int64), end(limit: Int), offset(Int), offsetFromEnd(Int) }

    func fetch(_ key: PageKey, in db: Database? = nil) throws -> Page {
        fetches += 1
        let runCount = runCounts[key.run]
        let lastPage = max(0, (runCount - 1) / pageSize)
        let seek: Seek
        if key.page == 0 {
            seek = .start
        } else if let prev = pages[PageKey(run: key.run, page: key.page - 1)], let k = prev.keys.last, let r = prev.rows.last {
            seek = .after(k, r.id)
        } else if let next = pages[PageKey(run: key.run, page: key.page + 1)], let k = next.keys.first, let r = next.rows.first {
            seek = .before(k, r.id)
        } else if key.page == lastPage {
            seek = .end(limit: runCount - key.page * pageSize)
        } else if key.page * pageSize <= runCount / 2 {
            seek = .offset(key.page * pageSize)
        } else {
            seek = .offsetFromEnd(runCount - (key.page + 1) * pageSize)
        }
        return try query(runs[key.run], seek, in: db)
    }

    private func query(_ run: MemberRun, _ seek: Seek, in db: Database?) throws -> Page {
        let keyExpr = run.key ?? "NULL"
        var wheres = [run.filter]
        var args = run.arguments
        var forward = true
        var limit = pageSize
        var offset = 0
        // Row-value comparisons let SQLite seek the ORDER BY index directly.
        func cmp(_ greater: Bool) -> String {
            if let k = run.key { return "(\(k), \(run.id)) \(greater ? ">" : "<") (?, ?)" }
            return "\(run.id) \(greater ? ">" : "<") ?"
        }
        switch seek {
        case .start: break
        case .after(let k, let id):
            wheres.append(cmp(!run.descending))
            if run.key != nil { args += [k, id] } else { args += [id] }
        case .before(let k, let id):
            wheres.append(cmp(run.descending)); forward = false
            if run.key != nil { args += [k, id] } else { args += [id] }
        case .end(let n): forward = false; limit = n
        case .offset(let n): offset = n
        case .offsetFromEnd(let n): forward = false; offset = max(0, n)
        }
        let desc = run.descending == forward
        let dir = desc ? "DESC" : "ASC"
        let order = run.key.map { "\($0) \(dir), \(run.id) \(dir)" } ?? "\(run.id) \(dir)"
        let sql = "SELECT \(MemberQueries.summaryColumns), \(keyExpr) FROM \(run.from) WHERE \(wheres.joined(separator: " AND ")) ORDER BY \(order) LIMIT \(limit) OFFSET \(offset)"
        let fetched = try db.map { try Row.fetchAll($0, sql: sql, arguments: args) } ?? store.read(.require(.lookUp)) { db in try Row.fetchAll(db, sql: sql, arguments: args) }
        let ordered = forward ? fetched : fetched.reversed()
        return Page(rows: ordered.map(MemberQueries.summary), keys: ordered.map { $0[12] as DatabaseValue })
    }

    /// Position of a member in this list, searching only cached pages (for keeping the
    /// selection on the same member after a refresh).
    public func cachedIndex(of memberId: Int64) -> Int? {
        if listed {
            for (p, rows) in listPages { if let j = rows.firstIndex(where: { $0.id == memberId }) { return p * pageSize + j } }
            return nil
        }
        for (key, page) in pages {
            guard let j = page.rows.firstIndex(where: { $0.id == memberId }) else { continue }
            return runCounts[..<key.run].reduce(0, +) + key.page * pageSize + j
        }
        return nil
    }
}
