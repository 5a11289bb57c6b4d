import GRDB
import ECRMDomain

/// A member list over any `MemberSet` (grid cell, lifecycle, several tags, listed ids) for the
/// console: the set's ids are read once in list order (most recent buyer first, as
/// `MemberSetPages`), and member rows are fetched a page at a time for the visible rows only.
/// Not thread-safe: one list per view, used from the UI thread.
public final class MemberSetList {
    public let set: MemberSet
    public internal(set) var ids: [Int64] = []
    let store: Store
    let pageSize = 100
    var pages: [Int: [MemberSummary]] = [:]

    /// A search result keeps its own order (exact matches before partial ones), not recency.
    public let keepsOrder: Bool

    public init(store: Store, set: MemberSet) throws {
        self.store = store; self.set = set; keepsOrder = false
        try reload()
    }

    /// Listed ids in the given order (a search result); `reload` only forgets cached rows.
    public init(store: Store, orderedIds: [Int64]) {
        self.store = store; set = .ids(orderedIds); ids = orderedIds; keepsOrder = true
    }

    public var count: Int { ids.count }

    /// Rereads the ids (one query: an index range for segment, grid and lifecycle sets) and forgets
    /// cached rows.
    public func reload() throws {
        pages = [:]
        guard !keepsOrder else { return }
        let set = self.set
        ids = try store.read(.require(.lookUp)) { db in try MemberSetPages.orderedIds(db, set) }
        pages = [:]
    }

    public func rows(in range: Range<Int>) -> [MemberSummary] {
        let r = range.clamped(to: 0..<ids.count)
        guard !r.isEmpty else { return [] }
        var out: [MemberSummary] = []
        for p in (r.lowerBound / pageSize)...((r.upperBound - 1) / pageSize) {
            let rows = page(p)
            let start = p * pageSize
            for (k, m) in rows.enumerated() where r.contains(start + k) { out.append(m) }
        }
        return out
    }

    private func page(_ p: Int) -> [MemberSummary] {
        if let rows = pages[p] { return rows }
        let slice = Array(ids[(p * pageSize)..<min(ids.count, (p + 1) * pageSize)])
        let rows = (try? store.read(.require(.lookUp)) { db in try MemberQueries.summaries(db, ids: slice) }) ?? []
        if pages.count > 64 { pages = [:] }
        pages[p] = rows
        return rows
    }
}
