import GRDB
import ECRMDomain

extension Store {
    /// The one permission check (PRODUCT.md: Operators and privacy). Every public store call names
    /// the action it does; whether this operator may is the role table's answer in ECRMDomain
    /// (`OperatorRole.can`), read inside the call's own transaction, so a role removed a moment ago
    /// is already refused. A refusal's words are the action's (`OperatorAction.englishName` /
    /// `chineseName`), and `Store.translate` writes it to the audit log after the rollback.
    struct Access: Sendable {
        let action: OperatorAction
        /// What the audit row of a refusal names beside the action (a tag, a campaign).
        let target: String

        static func require(_ action: OperatorAction, target: String = "") -> Access {
            Access(action: action, target: target)
        }

        /// The operator's role, or a `Refusal`: for a user the store does not know (with the owner's
        /// command to add them), or for a role the table does not allow `action`.
        @discardableResult
        func check(_ db: Database, _ store: Store) throws -> OperatorRole {
            let user = store.operatorName
            guard let raw = try Operators.role(db, user: user), let role = OperatorRole(rawValue: raw) else {
                throw Refusal(action: action == .lookUp ? "open" : action.englishName, target: target,
                              message: StoreMessages.notOperator(user, store.path))
            }
            if let refusal = role.refusal(for: action) {
                // The tier screens take the domain's typed refusal (TierServiceError, worded in the
                // screen's language); every other caller a one-line StoreError that also says who asked.
                let typed = Self.tierActions.contains(action)
                throw Refusal(action: action.englishName, target: target,
                              message: typed ? refusal.message(.en) : StoreMessages.ownerOnly(action, user: user),
                              thrown: typed ? TierServiceError.notPermitted(refusal) : nil)
            }
            return role
        }

        /// Actions whose refusal is `TierServiceError.notPermitted` (TierService, MemberTierAdmin).
        static let tierActions: Set<OperatorAction> = [.editTiers, .publishTiers, .manualTierChange, .blacklist]
    }
}
