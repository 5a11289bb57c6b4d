import Foundation
import GRDB
import ECRMDomain

/// The store's read path and the reads the console makes through it. Each public call is one read
/// transaction (one snapshot) that checks the operator inside it and returns plain values, so no
/// caller outside the store needs a `Database`, SQL or the pool.
extension Store {
    /// One read transaction with the operator's role checked inside it: a user the store does not
    /// know (or no longer knows) is refused, and the refusal is logged like a write's.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try translate {
            try pool.read { db in
                try role(db)
                return try body(db)
            }
        }
    }
}

extension MemberQueries {
    /// The member card's contents, or nil when the member is gone.
    public static func detail(_ store: Store, id: Int64, asOf: Day = Clock.today()) throws -> MemberDetail? {
        try store.read { try detail($0, id: id, asOf: asOf) }
    }

    /// Every member's id, ascending (the whole store as a set of members).
    public static func allIds(_ store: Store) throws -> [Int64] {
        try store.read { try Int64.fetchAll($0, sql: "SELECT id FROM member ORDER BY id") }
    }
}

extension MemberSearch {
    /// The first `limit` matches (see the type's comment for the order).
    public static func search(_ store: Store, _ text: String, limit: Int = 50) throws -> [MemberSummary] {
        try store.read { try search($0, text, limit: limit) }
    }

    /// Every match's id, in the order `search` lists them.
    public static func allIds(_ store: Store, _ text: String) throws -> [Int64] {
        try store.read { try allIds($0, text) }
    }
}

extension TagService {
    /// A tag's name by its id (nil: no such tag).
    public func name(id: Int64) throws -> String? {
        try store.read { try String.fetchOne($0, sql: "SELECT name FROM tag WHERE id = ?", arguments: [id]) }
    }
}

extension BrowseStats {
    /// The last stored RFM computation as a summary (nil: none stored yet).
    public static func storedSegmentSummary(_ store: Store) throws -> RFMSummary? {
        try store.read { try storedSegmentSummary($0) }
    }

    /// Members per tier level with the live ladder (a scan of the member table: run it off the UI thread).
    public static func tierCounts(_ store: Store) throws -> TierCounts {
        try store.read { try tierCounts($0) }
    }
}

extension RFMEngine {
    /// The shop's saved RFM configuration (defaults when none is saved).
    public static func loadConfig(_ store: Store) throws -> Config {
        try store.read { try loadConfig($0) }
    }

    /// Computes without storing, from one snapshot (previews, seeding custom edges).
    public static func compute(_ store: Store, settings: RFMSettings) throws -> Computation {
        try store.read { try compute($0, settings: settings) }
    }
}

extension Birthdays {
    /// Birthdays celebrated from `from` through `from + days − 1`.
    public static func upcoming(_ store: Store, from: Day = Clock.today(), days: Int = 7) throws -> [Entry] {
        try store.read { try upcoming($0, from: from, days: days) }
    }
}

extension TierService {
    /// The live ladder and the draft, from one snapshot.
    public static func liveAndDraft(_ store: Store) throws -> (live: TierLive?, draft: TierDraft) {
        try store.read { db in (try TierStore.live(db), try TierStore.draft(db)) }
    }

    /// The live ladder (nil: never published).
    public static func liveLadder(_ store: Store) throws -> TierLadder? {
        try store.read { try TierStore.liveLadder($0) }
    }

    /// Every published version, newest first (the newest is live). A few rows per shop.
    public static func history(_ store: Store) throws -> [TierLive] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT version, ladder, published_at, published_by FROM tier_publish ORDER BY version DESC").map { row in
                TierLive(version: row[0], ladder: try TierStore.decode(row[1]), publishedAt: row[2], publishedBy: row[3])
            }
        }
    }
}

extension BulkTagger {
    /// The bulk-tag question's figures and whether the tag exists yet (else the action creates it),
    /// from one snapshot.
    public func previewTagging(_ tag: String, _ set: MemberSet) throws -> (preview: Preview, tagExists: Bool) {
        try store.read { db in
            (try Self.preview(db, tag: tag, set: set),
             try Int.fetchOne(db, sql: "SELECT 1 FROM tag WHERE name = ?", arguments: [tag]) != nil)
        }
    }
}
