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

    public static func role(_ db: Database, user: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT role FROM operator WHERE user = ?", arguments: [user])
    }

    public static func list(_ db: Database) throws -> [Operator] {
        try Row.fetchAll(db, sql: "SELECT user, role, added_at, added_by FROM operator ORDER BY role DESC, user").map {
            Operator(user: $0[0], role: $0[1], addedAt: $0[2], addedBy: $0[3])
        }
    }

    public static func add(_ db: Database, user: String, role: String, by: String) throws {
        guard role == "owner" || role == "staff" else { throw StoreError.invalid("role must be owner or staff, not '\(role)'") }
        let before = try Operators.role(db, user: user)
        try db.execute(sql: "INSERT INTO operator(user, role, added_at, added_by) VALUES (?, ?, ?, ?) ON CONFLICT(user) DO UPDATE SET role = excluded.role",
                       arguments: [user, role, Clock.nowString(), by])
        try Audit.record(db, operator: by, action: "operators.add", target: user, before: before, after: role, reason: nil)
    }

    public static func remove(_ db: Database, user: String, by: String) throws {
        guard let before = try Operators.role(db, user: user) else { throw StoreError.notFound("\(user) is not an operator") }
        if before == "owner", try Int.fetchOne(db, sql: "SELECT count(*) FROM operator WHERE role = 'owner'") == 1 {
            throw StoreError.invalid("\(user) is the last owner; add another owner first")
        }
        try db.execute(sql: "DELETE FROM operator WHERE user = ?", arguments: [user])
        try Audit.record(db, operator: by, action: "operators.remove", target: user, before: before, after: nil, reason: nil)
    }
}

extension Store {
    /// The role of this process's operator; refuses a user the store does not know, saying how to fix it.
    public func requireRole() throws -> String {
        let user = operatorName
        guard let role = try pool.read({ try Operators.role($0, user: user) }) else {
            let message = StoreMessages.notOperator(user, path)
            recordRefusal("open", target: "", message: message)
            throw StoreError.permissionDenied(message)
        }
        return role
    }

    /// Refuses unless this operator is the owner; a refusal is written to the audit log.
    public func requireOwner(_ what: String) throws {
        guard try requireRole() == "owner" else {
            let message = StoreMessages.ownerOnly(what, user: operatorName)
            recordRefusal(what, target: "", message: message)
            throw StoreError.permissionDenied(message)
        }
    }

    /// The operator's role, read inside the caller's transaction (so a role removed a moment ago is
    /// already refused); `owner` names an owner-only action, refused with a `Refusal` (logged by
    /// `translate` once the transaction has rolled back).
    @discardableResult
    func role(_ db: Database, owner what: String? = nil, target: String = "") throws -> String {
        guard let role = try Operators.role(db, user: operatorName) else {
            throw Refusal(action: what ?? "open", target: target, message: StoreMessages.notOperator(operatorName, path))
        }
        if let what, role != "owner" {
            throw Refusal(action: what, target: target, message: StoreMessages.ownerOnly(what, user: operatorName))
        }
        return role
    }
}
