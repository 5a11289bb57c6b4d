import Foundation
import GRDB
import ECRMDomain

/// A published ladder: `tier_publish` keeps every version, the newest is live.
public struct TierLive: Sendable, Equatable {
    public var version: Int64
    public var ladder: TierLadder
    public var publishedAt: String
    public var publishedBy: String
}

/// The owner's working copy (`tier_draft`, one row shared by every session). When nothing is saved
/// yet, the draft is a copy of the live ladder (or the initial, all-disabled one) and `isSaved` is false.
public struct TierDraft: Sendable, Equatable {
    public var ladder: TierLadder
    /// The live version when the draft was last saved (nil: nothing was live then).
    public var baseVersion: Int64?
    public var updatedAt: String?
    public var updatedBy: String?
    public var isSaved: Bool
}

/// Rows of the tier tables, read and written inside the caller's transaction. The rules that guard
/// publishing live in the domain (TierRules); the workflow in TierService.
public enum TierStore {
    static func decode(_ json: String) throws -> TierLadder {
        try JSONDecoder().decode(TierLadder.self, from: Data(json.utf8))
    }

    static func encode(_ ladder: TierLadder) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        return String(decoding: try enc.encode(ladder), as: UTF8.self)
    }

    /// The newest published ladder, or nil when the shop never published one.
    static func liveLadder(_ db: Database) throws -> TierLadder? {
        try live(db)?.ladder
    }

    static func liveVersion(_ db: Database) throws -> (version: Int64, ladder: TierLadder)? {
        try live(db).map { ($0.version, $0.ladder) }
    }

    static func live(_ db: Database) throws -> TierLive? {
        guard let row = try Row.fetchOne(db, sql: "SELECT version, ladder, published_at, published_by FROM tier_publish ORDER BY version DESC LIMIT 1") else { return nil }
        return TierLive(version: row[0], ladder: try decode(row[1]), publishedAt: row[2], publishedBy: row[3])
    }

    /// The saved draft, or a fresh copy of what is live.
    static func draft(_ db: Database) throws -> TierDraft {
        if let row = try Row.fetchOne(db, sql: "SELECT ladder, base_version, updated_at, updated_by FROM tier_draft WHERE id = 1") {
            return TierDraft(ladder: try decode(row[0]), baseVersion: row[1], updatedAt: row[2], updatedBy: row[3], isSaved: true)
        }
        let live = try live(db)
        return TierDraft(ladder: live?.ladder ?? .initial, baseVersion: live?.version, updatedAt: nil, updatedBy: nil, isSaved: false)
    }

    static func writeDraft(_ db: Database, ladder: TierLadder, baseVersion: Int64?, by user: String) throws {
        try db.execute(sql: """
            INSERT INTO tier_draft(id, ladder, base_version, updated_at, updated_by) VALUES (1, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET ladder = excluded.ladder, base_version = excluded.base_version,
                updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """, arguments: [try encode(ladder), baseVersion, Clock.nowString(), user])
    }

    static func deleteDraft(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM tier_draft")
    }

    /// Members at each level 0...4 (blacklisted included: they keep their level).
    static func membersPerLevel(_ db: Database) throws -> [Int] {
        var counts = [0, 0, 0, 0, 0]
        for row in try Row.fetchAll(db, sql: "SELECT tier, count(*) FROM member GROUP BY tier") {
            let level: Int = row[0]
            if (0...4).contains(level) { counts[level] = row[1] }
        }
        return counts
    }

    /// Appends a published version (the caller has checked the rules) and audits it.
    static func appendPublished(_ db: Database, ladder: TierLadder, by user: String, note: String? = nil) throws -> Int64 {
        let before = try liveLadder(db)
        try db.execute(sql: "INSERT INTO tier_publish(ladder, published_at, published_by) VALUES (?, ?, ?)",
                       arguments: [try encode(ladder), Clock.nowString(), user])
        let version = db.lastInsertedRowID
        try Audit.record(db, operator: user, action: "tiers.publish", target: "v\(version)",
                         before: try before.map(encode), after: try encode(ladder), reason: note)
        return version
    }
}
