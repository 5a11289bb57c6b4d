import GRDB

/// The audit log: who (OS user), when, what changed from what to what (PRODUCT.md).
public enum Audit {
    public struct Entry: Sendable, Equatable, Codable {
        public var id: Int64
        public var at: String
        public var operatorName: String
        public var action: String
        public var target: String
        public var before: String?
        public var after: String?
        public var reason: String?
    }

    static func record(_ db: Database, operator user: String, action: String, target: String,
                       before: String?, after: String?, reason: String?) throws {
        try db.execute(sql: "INSERT INTO audit(at, operator, action, target, before, after, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       arguments: [Clock.nowString(), user, action, target, before, after, reason])
    }

    static func recent(_ db: Database, limit: Int = 100, offset: Int = 0) throws -> [Entry] {
        try entries(db, sql: "ORDER BY id DESC LIMIT ? OFFSET ?", arguments: [limit, offset])
    }

    static func entries(_ db: Database, sql tail: String, arguments: StatementArguments) throws -> [Entry] {
        try Row.fetchAll(db, sql: "SELECT id, at, operator, action, target, before, after, reason FROM audit " + tail,
                         arguments: arguments).map {
            Entry(id: $0[0], at: $0[1], operatorName: $0[2], action: $0[3], target: $0[4], before: $0[5], after: $0[6], reason: $0[7])
        }
    }
}
