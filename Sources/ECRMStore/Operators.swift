import GRDB
import ECRMDomain

/// Operators are OS users with a role (PRODUCT.md: Operators and privacy).
public enum Operators {
    public struct Operator: Sendable, Equatable, Codable {
        public var user: String
        public var role: String
        public var addedAt: String
        public var addedBy: String
    }

    /// Asked at the start of every store call (Store.Access): a statement cached per connection.
    static func role(_ db: Database, user: String) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT role FROM operator WHERE user = ?"), arguments: [user])
    }

    static func list(_ db: Database) throws -> [Operator] {
        try Row.fetchAll(db, sql: "SELECT user, role, added_at, added_by FROM operator ORDER BY role DESC, user").map {
            Operator(user: $0[0], role: $0[1], addedAt: $0[2], addedBy: $0[3])
        }
    }

    static func add(_ db: Database, user: String, role: String, by: String) throws {
        guard role == "owner" || role == "staff" else { throw StoreError.invalid("role must be owner or staff, not '\(role)'") }
        let before = try Operators.role(db, user: user)
        try db.execute(sql: "INSERT INTO operator(user, role, added_at, added_by) VALUES (?, ?, ?, ?) ON CONFLICT(user) DO UPDATE SET role = excluded.role",
                       arguments: [user, role, Clock.nowString(), by])
        try Audit.record(db, operator: by, action: "operators.add", target: user, before: before, after: role, reason: nil)
    }

    static func remove(_ db: Database, user: String, by: String) throws {
        guard let before = try Operators.role(db, user: user) else { throw StoreError.notFound("\(user) is not an operator") }
        if before == "owner", try Int.fetchOne(db, sql: "SELECT count(*) FROM operator WHERE role = 'owner'") == 1 {
            throw StoreError.invalid("\(user) is the last owner; add another owner first")
        }
        try db.execute(sql: "DELETE FROM operator WHERE user = ?", arguments: [user])
        try Audit.record(db, operator: by, action: "operators.remove", target: user, before: before, after: nil, reason: nil)
    }
}

extension Store {
    /// The role of this process's operator; refuses a user the store does not know, saying how to
    /// fix it (and logs that refusal). The console and the command line ask once on opening.
    public func requireRole() throws -> String {
        try read(.require(.lookUp), role: { _, role in role.rawValue })
    }

    /// Every operator of the store (any operator may look).
    public func operators() throws -> [Operators.Operator] {
        try read(.require(.lookUp)) { try Operators.list($0) }
    }

    /// Adds an operator or changes their role (owner only; checked in the same transaction).
    public func addOperator(_ user: String, role: String) throws {
        try write(.operators, .require(.addOperators)) { try Operators.add($0, user: user, role: role, by: operatorName) }
    }

    /// Removes an operator (owner only; never the last owner).
    public func removeOperator(_ user: String) throws {
        try write(.operators, .require(.removeOperators)) { try Operators.remove($0, user: user, by: operatorName) }
    }
}
