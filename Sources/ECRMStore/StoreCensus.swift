import Foundation
import GRDB

/// What a store holds, counted in one read transaction, with SQLite's integrity check: the kill
/// tests and the reliability benchmark compare it before and after an action to tell "nothing" and
/// "everything" from a partial state.
public struct StoreCensus: Sendable, Codable, Equatable {
    /// `PRAGMA integrity_check`: "ok", or SQLite's first complaints.
    public var integrity: String
    public var members: Int
    public var orders: Int
    /// Sum of paid orders' amounts (fen) and of the members' paid_sum aggregates: equal unless an
    /// import was applied in part.
    public var paidOrdersSum: Int64
    public var paidStatsSum: Int64
    public var tierVersions: Int
    public var tagActions: Int
    public var audit: Int
    /// Members per tag, by name.
    public var tagMembers: [String: Int]

    public static func take(_ store: Store) throws -> StoreCensus {
        try store.read(.require(.lookUp)) { db in
            let problems = try String.fetchAll(db, sql: "PRAGMA integrity_check(5)")
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            var tags: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT t.name, (SELECT count(*) FROM member_tag mt WHERE mt.tag_id = t.id) FROM tag t") {
                tags[row[0]] = row[1]
            }
            return StoreCensus(
                integrity: problems.joined(separator: "; "),
                members: try count("SELECT count(*) FROM member"),
                orders: try count("SELECT count(*) FROM orders"),
                paidOrdersSum: try Int64.fetchOne(db, sql: "SELECT coalesce(sum(amount), 0) FROM orders WHERE status = 'paid'") ?? 0,
                paidStatsSum: try Int64.fetchOne(db, sql: "SELECT coalesce(sum(paid_sum), 0) FROM member_stats") ?? 0,
                tierVersions: try count("SELECT count(*) FROM tier_publish"),
                tagActions: try count("SELECT count(*) FROM tag_action"),
                audit: try count("SELECT count(*) FROM audit"),
                tagMembers: tags)
        }
    }
}
