import GRDB
import ECRMDomain

/// A virtual member list: the count is computed once (no COUNT(*) per keystroke), rows are
/// fetched a page at a time, and a page next to a cached one is found by keyset seek
/// (`(key, id) < (last key, last id)`), so scrolling never uses a large OFFSET. Only a jump into
/// the middle of an uncached region falls back to OFFSET, from whichever end is nearer.
/// Not thread-safe: one pager per list, used from the UI thread.
public final class MemberPager {
    public let sort: MemberSort
    public let scope: MemberScope
    public let pageSize: Int
    public internal(set) var count = 0
    /// Page fetches so far (for tests and measurements).
    public private(set) var fetches = 0

    let store: Store
    let runs: [MemberRun]
    var runCounts: [Int] = []
    struct PageKey: Hashable, Sendable { let run: Int, page: Int }
    struct Page: Equatable, Sendable { var rows: [MemberSummary]; var keys: [DatabaseValue] }
    var pages: [PageKey: Page] = [:]
    var recent: [PageKey] = []
    private let maxPages = 64

    public init(store: Store, sort: MemberSort = .recency, scope: MemberScope = .all, pageSize: Int = 100) throws {
        self.store = store; self.sort = sort; self.scope = scope; self.pageSize = pageSize
        runs = MemberRun.runs(sort: sort, scope: scope)
        try reload()
    }

    /// A pager with nothing read yet (the change feed fills it from one snapshot: MemberListPage).
    init(unread store: Store, sort: MemberSort, scope: MemberScope, pageSize: Int) {
        self.store = store; self.sort = sort; self.scope = scope; self.pageSize = pageSize
        runs = MemberRun.runs(sort: sort, scope: scope)
    }

    /// Recounts and forgets cached pages (after an import, or on request).
    public func reload() throws {
        pages = [:]; recent = []
        runCounts = try store.read(.require(.lookUp)) { db in try counts(db) }
        count = runCounts.reduce(0, +)
    }

    /// Members in each run, from one snapshot.
    func counts(_ db: Database) throws -> [Int] {
        var counts = try runs.map { r in try r.countSQL.map { try Int.fetchOne(db, sql: $0, arguments: r.arguments) ?? 0 } ?? -1 }
        // The store's total only for a run without its own count (a full scan at 1M: skip it
        // for scoped lists such as a segment drill-down, whose runs all count themselves).
        if counts.contains(where: { $0 < 0 }) {
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM member") ?? 0
            let known = counts.filter { $0 >= 0 }.reduce(0, +)
            for i in counts.indices where counts[i] < 0 { counts[i] = max(0, total - known) }
        }
        return counts
    }

    /// Rows at list positions `range` (clamped).
    public func rows(in range: Range<Int>) -> [MemberSummary] {
        let r = range.clamped(to: 0..<count)
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
        for (key, page) in pages {
            guard let j = page.rows.firstIndex(where: { $0.id == memberId }) else { continue }
            return runCounts[..<key.run].reduce(0, +) + key.page * pageSize + j
        }
        return nil
    }
}
