import Foundation
import GRDB

/// `ecrm setup shared`: the store a team shares through the setgid ecrm binary (README: Several
/// operators on one machine).
public enum SharedStore {
    /// Creates the store at `path` (its owner: `owner`) or takes the existing one, makes sure `owner`
    /// is an owner operator, and makes the audit log append-only, in one transaction. Root only:
    /// setting up the machine is root's, as are the group and the folder around the store.
    @discardableResult
    public static func prepare(path: String, owner: String) throws -> Bool {
        guard getuid() == 0 else { throw StoreError.permissionDenied("only root can set up a shared store (run it with sudo)") }
        let existed = FileManager.default.fileExists(atPath: path)
        let store = try Store(path: path, create: true, operatorName: owner)
        try store.translate {
            try store.pool.write { db in
                if try Operators.role(db, user: owner) != "owner" {
                    try Operators.add(db, user: owner, role: "owner", by: "root")
                }
                try db.execute(sql: Schema.appendOnlyAudit)
                try Audit.record(db, operator: "root", action: "setup.shared", target: path, before: nil, after: "owner \(owner)", reason: nil)
            }
        }
        return !existed
    }
}
