import GRDB

/// The whole audit log for a scrolling list: the count once, entries a page at a time as they
/// come into view, so a long-lived store's log is never read whole and never cut at a limit.
public final class AuditLog {
    let store: Store
    let pageSize = 100
    var pages: [Int: [Audit.Entry]] = [:]
    /// The newest entry when (re)loaded: entries written later do not shift the pages under the
    /// cursor; they appear on the next reload.
    var newestId: Int64 = 0
    public internal(set) var count = 0
    /// Only entries whose operator, action, target, reason or values contain this text (nil: all).
    public let filter: String?

    public init(store: Store, filter: String? = nil) throws {
        self.store = store
        self.filter = filter.flatMap { $0.isEmpty ? nil : $0 }
        try reload()
    }

    /// A log with nothing read yet (the change feed fills it from one snapshot: AuditPage, which
    /// the Audit pane takes as its subscription's first value).
    public init(unread store: Store, filter: String?) {
        self.store = store
        self.filter = filter.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The WHERE clause and its arguments: up to the newest entry when loaded, and the filter.
    func condition(_ newest: Int64) -> (String, [DatabaseValueConvertible?]) {
        guard let filter else { return ("WHERE id <= ?", [newest]) }
        // LIKE with the text's own % and _ escaped, so "50%" means those characters.
        let pattern = "%" + filter.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        let like = ["operator", "action", "target", "reason", "before", "after"].map { "\($0) LIKE ? ESCAPE '\\'" }
        return ("WHERE id <= ? AND (" + like.joined(separator: " OR ") + ")", [newest] + Array(repeating: pattern, count: like.count))
    }

    public func reload() throws {
        pages = [:]
        let newest = try store.read(.require(.lookUp)) { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM audit") ?? 0 }
        let (clause, args) = condition(newest)
        let arguments = StatementArguments(args)
        // Bounded by `newest`, so an entry written between the two reads is not counted.
        count = try store.read(.require(.lookUp)) { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit " + clause, arguments: arguments) ?? 0 }
        newestId = newest
    }

    public func rows(in range: Range<Int>) -> [Audit.Entry] {
        let r = range.clamped(to: 0..<count)
        guard !r.isEmpty else { return [] }
        var out: [Audit.Entry] = []
        for p in (r.lowerBound / pageSize)...((r.upperBound - 1) / pageSize) {
            let start = p * pageSize
            for (k, e) in page(p).enumerated() where r.contains(start + k) { out.append(e) }
        }
        return out
    }

    private func page(_ p: Int) -> [Audit.Entry] {
        if let rows = pages[p] { return rows }
        let (clause, args) = condition(newestId)
        let arguments = StatementArguments(args + [pageSize, p * pageSize])
        let rows = (try? store.read(.require(.lookUp)) { db in
            try Audit.entries(db, sql: clause + " ORDER BY id DESC LIMIT ? OFFSET ?", arguments: arguments)
        }) ?? []
        if pages.count > 64 { pages = [:] }
        pages[p] = rows
        return rows
    }
}
