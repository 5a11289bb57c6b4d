import Foundation
import GRDB
import ECRMDomain
import CSVStream

/// Members of a set (e.g. all-of / any-of several tags), a page at a time, most recent buyers
/// first (last paid time, then id, both descending; never-bought members last). Keyset-paged:
/// pass the previous page's `next` to get the following page, so deep pages cost no OFFSET.
public enum MemberSetPages {
    public struct Cursor: Sendable, Equatable, Codable {
        public var lastPaidAt: String
        public var id: Int64
    }

    public struct Page: Sendable, Equatable {
        public var ids: [Int64]
        /// Nil on the last page.
        public var next: Cursor?
    }

    static func page(_ db: Database, _ set: MemberSet, after: Cursor? = nil, limit: Int = 100) throws -> Page {
        if let page = try rfmOrderedPage(db, set, after: after, limit: max(1, limit)) { return page }
        return try sortedPage(db, set, after: after, limit: limit)
    }

    /// Sets defined by the last RFM computation page through member_rfm's (condition, last_paid)
    /// indexes: an index range per page, newest buyers (as of that computation) first, then by id.
    static func rfmOrderedPage(_ db: Database, _ set: MemberSet, after: Cursor?, limit: Int) throws -> Page? {
        guard var (condition, arguments) = rfmCondition(set) else { return nil }
        if let c = after {
            condition += " AND (last_paid, member_id) < (?, ?)"
            arguments += [c.lastPaidAt, c.id]
        }
        let rows = try Row.fetchAll(db, sql: """
            SELECT member_id, last_paid FROM member_rfm WHERE \(condition)
            ORDER BY last_paid DESC, member_id DESC LIMIT \(limit)
            """, arguments: arguments)
        let next = rows.count == limit ? rows.last.map { Cursor(lastPaidAt: $0[1], id: $0[0]) } : nil
        return Page(ids: rows.map { $0[0] as Int64 }, next: next)
    }

    /// Every member id of the set in list order (newest buyer first): an index range for RFM sets,
    /// a sort of the set otherwise.
    static func orderedIds(_ db: Database, _ set: MemberSet) throws -> [Int64] {
        if let (condition, arguments) = rfmCondition(set) {
            return try Int64.fetchAll(db, sql: "SELECT member_id FROM member_rfm WHERE \(condition) ORDER BY last_paid DESC, member_id DESC", arguments: arguments)
        }
        let (sql, args) = try MemberSetSQL.query(db, set)
        return try Int64.fetchAll(db, sql: """
            SELECT x.id FROM (\(sql)) x LEFT JOIN member_stats s ON s.member_id = x.id
            ORDER BY coalesce(s.last_paid_at, '') DESC, x.id DESC
            """, arguments: args)
    }

    /// The member_rfm condition of a set defined by the last RFM computation, or nil.
    private static func rfmCondition(_ set: MemberSet) -> (String, StatementArguments)? {
        switch set {
        case .segment(let s): return ("segment = ?", [Int(s.code)])
        case .grid(let r, let f) where (1...5).contains(r) && (1...5).contains(f): return ("r = ? AND f = ?", [r, f])
        case .lifecycle(let l): return ("lifecycle = ?", [Int(l.code)])
        default: return nil
        }
    }

    /// The general way: every member of the set, joined to their last paid time and sorted.
    /// Exact for any set, but it sorts the whole set, which costs 100+ ms for a big segment.
    static func sortedPage(_ db: Database, _ set: MemberSet, after: Cursor?, limit: Int) throws -> Page {
        let (sql, args) = try MemberSetSQL.query(db, set)
        var arguments = args
        var seek = ""
        if let c = after {
            seek = "WHERE (k, id) < (?, ?)"
            arguments += [c.lastPaidAt, c.id]
        }
        let rows = try Row.fetchAll(db, sql: """
            SELECT id, k FROM (SELECT x.id AS id, coalesce(s.last_paid_at, '') AS k FROM (\(sql)) x
                               LEFT JOIN member_stats s ON s.member_id = x.id)
            \(seek) ORDER BY k DESC, id DESC LIMIT \(max(1, limit))
            """, arguments: arguments)
        let ids = rows.map { $0[0] as Int64 }
        let next = rows.count == max(1, limit) ? rows.last.map { Cursor(lastPaidAt: $0[1], id: $0[0]) } : nil
        return Page(ids: ids, next: next)
    }

    public static func count(_ db: Database, _ set: MemberSet) throws -> Int {
        let (sql, args) = try MemberSetSQL.query(db, set)
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM (\(sql))", arguments: args) ?? 0
    }

    /// Every member id of the set, ascending (for export and for building a marked list).
    public static func allIds(_ db: Database, _ set: MemberSet) throws -> [Int64] {
        let (sql, args) = try MemberSetSQL.query(db, set)
        return try Int64.fetchAll(db, sql: "SELECT id FROM (\(sql)) ORDER BY id", arguments: args)
    }
}

/// Exports any member set through `Exporter` (same columns, masking and audit), e.g. members
/// with all of several tags: `MemberSetExport.export(store, set: .tags(["A","B"], .all), …)`.
public enum MemberSetExport {
    @discardableResult
    public static func export(_ store: Store, set: MemberSet, to path: String, settings: RFMSettings,
                              reveal: Bool = false, encoding: CSVOutputEncoding = .utf8, headers: Exporter.Headers = .keys) throws -> Int {
        let ids = try store.read(.require(reveal ? .clearExport : .export)) { try MemberSetPages.allIds($0, set) }
        return try Exporter(store: store).export(to: path, settings: settings, filter: Exporter.Filter(memberIds: Set(ids)),
                                                 reveal: reveal, encoding: encoding, headers: headers)
    }
}
