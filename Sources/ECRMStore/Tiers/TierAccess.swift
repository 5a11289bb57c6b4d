import GRDB
import ECRMDomain

/// Role checks for tier operations, made inside the operation's own transaction so a role removed
/// a moment ago is already refused. Unknown users get the store's usual "ask the owner" message.
enum TierAccess {
    static func role(_ db: Database, _ store: Store) throws -> OperatorRole {
        guard let raw = try Operators.role(db, user: store.operatorName), let role = OperatorRole(rawValue: raw) else {
            throw StoreError.permissionDenied("user '\(store.operatorName)' is not an operator of this store (\(store.path)); the owner can add them with: ecrm operators add \(store.operatorName) --role staff")
        }
        return role
    }

    /// Throws `TierServiceError.notPermitted` unless the operator's role may do `action`.
    @discardableResult
    static func require(_ action: OperatorAction, _ db: Database, _ store: Store) throws -> OperatorRole {
        let role = try role(db, store)
        if let refusal = role.refusal(for: action) { throw TierServiceError.notPermitted(refusal) }
        return role
    }
}
