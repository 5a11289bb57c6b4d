import Foundation
import GRDB
import ECRMDomain

/// Live and draft ladders in the store. The rules that guard publishing live in the domain (TierRules).
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
    public static func liveLadder(_ db: Database) throws -> TierLadder? {
        try liveVersion(db).map(\.ladder)
    }

    public static func liveVersion(_ db: Database) throws -> (version: Int64, ladder: TierLadder)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT version, ladder FROM tier_publish ORDER BY version DESC LIMIT 1") else { return nil }
        return (row[0], try decode(row[1]))
    }

    /// Appends a published version (the caller has checked the rules) and audits it.
    static func appendPublished(_ db: Database, ladder: TierLadder, by user: String) throws -> Int64 {
        let before = try liveLadder(db)
        try db.execute(sql: "INSERT INTO tier_publish(ladder, published_at, published_by) VALUES (?, ?, ?)",
                       arguments: [try encode(ladder), Clock.nowString(), user])
        let version = db.lastInsertedRowID
        try Audit.record(db, operator: user, action: "tiers.publish", target: "v\(version)",
                         before: try before.map(encode), after: try encode(ladder), reason: nil)
        return version
    }
}
