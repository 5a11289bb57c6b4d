import Foundation
import GRDB

/// The `tag_action` table (migration v3-tags): one row per bulk action with the member ids it
/// changed as a `MemberIdBlob`. Only the newest `kept` actions are kept; older ones cannot be undone.
enum TagActionLog {
    static let kept = 50

    static let schema = """
        CREATE TABLE tag_action (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            operator TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('add','remove')),
            tag_id INTEGER NOT NULL,
            tag_name TEXT NOT NULL,
            scope TEXT NOT NULL,
            changed INTEGER NOT NULL,
            members BLOB NOT NULL,
            undone_at TEXT
        );
        CREATE INDEX tag_action_operator ON tag_action(operator, id);
        """

    static func record(_ db: Database, kind: BulkTagger.Kind, tagId: Int64, tag: String, scope: String,
                       ids: [Int64], operatorName: String) throws -> BulkTagger.Action {
        let at = Clock.nowString()
        try db.execute(sql: """
            INSERT INTO tag_action(at, operator, kind, tag_id, tag_name, scope, changed, members) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [at, operatorName, kind.rawValue, tagId, tag, scope, ids.count, Data(MemberIdBlob.encode(sortedIds: ids))])
        let id = db.lastInsertedRowID
        try db.execute(sql: "DELETE FROM tag_action WHERE id <= ?", arguments: [id - Int64(kept)])
        return BulkTagger.Action(id: id, at: at, operatorName: operatorName, kind: kind, tag: tag, scope: scope, changed: ids.count)
    }

    static func lastUndoable(_ db: Database, operatorName: String) throws -> BulkTagger.Action? {
        try Row.fetchOne(db, sql: """
            SELECT id, at, operator, kind, tag_name, scope, changed FROM tag_action
            WHERE operator = ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1
            """, arguments: [operatorName]).map {
            BulkTagger.Action(id: $0[0], at: $0[1], operatorName: $0[2], kind: BulkTagger.Kind(rawValue: $0[3]) ?? .add,
                              tag: $0[4], scope: $0[5], changed: $0[6])
        }
    }

    static func members(_ db: Database, actionId: Int64) throws -> (tagId: Int64, ids: [Int64]) {
        guard let row = try Row.fetchOne(db, sql: "SELECT tag_id, members FROM tag_action WHERE id = ?", arguments: [actionId]),
              let ids = MemberIdBlob.decode([UInt8](row[1] as Data)) else {
            throw StoreError.invalid("bulk action #\(actionId) has an unreadable member list")
        }
        return (row[0], ids)
    }

    static func markUndone(_ db: Database, actionId: Int64) throws {
        try db.execute(sql: "UPDATE tag_action SET undone_at = ? WHERE id = ?", arguments: [Clock.nowString(), actionId])
    }
}
