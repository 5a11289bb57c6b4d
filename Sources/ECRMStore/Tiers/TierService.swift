import GRDB
import ECRMDomain

/// The tier workflow over a store (PRODUCT.md: Tiers): read live and draft, edit the draft, preview,
/// publish. The console and the command line both call these, so they refuse the same things with
/// the same messages. Every write is one transaction that checks the operator's role itself.
public enum TierService {
    /// A saved draft and what it would meet at publish time.
    public struct DraftSave: Sendable {
        public var draft: TierDraft
        /// Blocking problems against the live ladder (invariants and upgrade-only rules) and
        /// distributor-floor warnings. The draft is saved anyway so the owner can keep editing.
        public var review: TierPublishReview
    }

    public struct PublishResult: Sendable, Equatable {
        public var version: Int64
        public var previousVersion: Int64?
        /// Members raised by the auto-upgrade that ran in the same transaction.
        public var upgraded: Int
    }

    public static func live(_ store: Store) throws -> TierLive? {
        try store.read(.require(.lookUp)) { try TierStore.live($0) }
    }

    public static func draft(_ store: Store) throws -> TierDraft {
        try store.read(.require(.lookUp)) { try TierStore.draft($0) }
    }

    /// Replaces the draft (owner only). Saved even when it breaks rules; `review` says what blocks.
    @discardableResult
    public static func saveDraft(_ store: Store, _ ladder: TierLadder) throws -> DraftSave {
        try editDraft(store) { $0 = ladder }
    }

    /// Reads the draft, applies `edit` and saves it, in one write transaction, so two sessions editing
    /// different fields of the shared draft do not lose each other's change.
    @discardableResult
    public static func editDraft(_ store: Store, _ edit: (inout TierLadder) throws -> Void) throws -> DraftSave {
        try store.write(.tiers, .require(.editTiers)) { db in
            var ladder = try TierStore.draft(db).ladder
            try edit(&ladder)
            guard TierRules.isWellFormed(ladder) else { throw TierServiceError.malformedLadder }
            let live = try TierStore.live(db)
            let before = try TierStore.draft(db).ladder
            try TierStore.writeDraft(db, ladder: ladder, baseVersion: live?.version, by: store.operatorName)
            if before != ladder {
                try Audit.record(db, operator: store.operatorName, action: "tiers.draft", target: "draft",
                                 before: try TierStore.encode(before), after: try TierStore.encode(ladder), reason: nil)
            }
            let counts = try countsIfDisabling(db, draft: ladder, live: live?.ladder)
            return DraftSave(draft: try TierStore.draft(db),
                             review: TierRules.reviewPublish(draft: ladder, live: live?.ladder, membersPerLevel: counts))
        }
    }

    /// Throws the draft away; the next read starts again from the live ladder (owner only).
    public static func discardDraft(_ store: Store) throws {
        try store.write(.tiers, .require(.editTiers)) { db in
            try TierStore.deleteDraft(db)
            try Audit.record(db, operator: store.operatorName, action: "tiers.draft.discard", target: "draft", before: nil, after: nil, reason: nil)
        }
    }

    /// Diff, review and impact of publishing the current draft, from one snapshot. Anyone may look.
    /// `asOf`: the last day of the 30 days whose orders price the deeper discounts.
    public static func preview(_ store: Store, asOf: Day = Clock.today()) throws -> TierPreview {
        try store.read(.require(.lookUp)) { db in
            let live = try TierStore.live(db)
            let draft = try TierStore.draft(db)
            let scan = try TierImpactScan.run(db, live: live?.ladder, draft: draft.ladder, asOf: asOf)
            let review = TierRules.reviewPublish(draft: draft.ladder, live: live?.ladder, membersPerLevel: levelMap(scan.membersPerLevel))
            return TierPreview(live: live, draft: draft, changes: TierDiff.changes(live: live?.ladder, draft: draft.ladder),
                               review: review, impact: scan.impact, membersPerLevel: scan.membersPerLevel, asOf: asOf)
        }
    }

    /// Publishes what `reviewed` showed. See `publish(_:expectedDraft:expectedLiveVersion:confirmFloor:)`.
    @discardableResult
    public static func publish(_ store: Store, reviewed: TierPreview, confirmFloor: Bool) throws -> PublishResult {
        try publish(store, expectedDraft: reviewed.draft.ladder, expectedLiveVersion: reviewed.liveVersion, confirmFloor: confirmFloor)
    }

    /// Publishes the draft in ONE write transaction: re-reads the live version and refuses if it is not
    /// `expectedLiveVersion` (another owner published since the preview) or if the draft is no longer
    /// `expectedDraft` (when given); re-checks the rules against the ladder it replaces and today's
    /// member counts; needs `confirmFloor` when a discount is below the distributor floor; appends the
    /// version with its audit row, raises members (never lowers), and rebases the draft. A crash or
    /// kill anywhere in between leaves the old ladder and every tier as they were.
    @discardableResult
    public static func publish(_ store: Store, expectedDraft: TierLadder? = nil, expectedLiveVersion: Int64?,
                               confirmFloor: Bool) throws -> PublishResult {
        try publish(store, expectedDraft: expectedDraft, expectedLiveVersion: expectedLiveVersion,
                    confirmFloor: confirmFloor, afterUpgrade: nil)
    }

    /// `afterUpgrade` is a test hook: throwing from it must roll everything back.
    static func publish(_ store: Store, expectedDraft: TierLadder?, expectedLiveVersion: Int64?, confirmFloor: Bool,
                        afterUpgrade: ((Database) throws -> Void)?) throws -> PublishResult {
        try store.write(.publish, .require(.publishTiers)) { db in
            let live = try TierStore.live(db)
            guard live?.version == expectedLiveVersion else {
                throw TierServiceError.stalePublish(expected: expectedLiveVersion, live: live)
            }
            let draft = try TierStore.draft(db)
            if let expectedDraft, expectedDraft != draft.ladder {
                throw TierServiceError.draftChanged(by: draft.updatedBy, at: draft.updatedAt)
            }
            guard draft.ladder != live?.ladder else { throw TierServiceError.nothingToPublish(version: live?.version) }
            let counts = levelMap(try TierStore.membersPerLevel(db))
            let review = TierRules.reviewPublish(draft: draft.ladder, live: live?.ladder, membersPerLevel: counts)
            guard review.canPublish else { throw TierServiceError.blocked(review.blocking) }
            if review.needsSecondConfirmation && !confirmFloor {
                throw TierServiceError.belowFloorNeedsConfirmation(review.warnings)
            }
            let note = review.needsSecondConfirmation ? "confirmed below the distributor floor" : nil
            let version = try TierStore.appendPublished(db, ladder: draft.ladder, by: store.operatorName, note: note)
            let upgraded = try TierUpgrader.autoUpgrade(db, members: nil)
            try afterUpgrade?(db)
            try TierStore.writeDraft(db, ladder: draft.ladder, baseVersion: version, by: store.operatorName)
            return PublishResult(version: version, previousVersion: live?.version, upgraded: upgraded)
        }
    }

    /// Members per level, as `TierRules` takes them.
    public static func membersPerLevel(_ store: Store) throws -> [Int: Int] {
        try store.read(.require(.lookUp)) { levelMap(try TierStore.membersPerLevel($0)) }
    }

    static func levelMap(_ counts: [Int]) -> [Int: Int] {
        Dictionary(uniqueKeysWithValues: counts.enumerated().map { ($0.offset, $0.element) })
    }

    /// Counting members scans the member table; only needed when the draft disables a live tier.
    static func countsIfDisabling(_ db: Database, draft: TierLadder, live: TierLadder?) throws -> [Int: Int] {
        guard let live, TierRules.isWellFormed(live),
              live.levels.contains(where: { $0.enabled && !draft[$0.level].enabled }) else { return [:] }
        return levelMap(try TierStore.membersPerLevel(db))
    }
}
