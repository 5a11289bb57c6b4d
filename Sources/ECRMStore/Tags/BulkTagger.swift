import Foundation
import GRDB
import GRDBSQLite
import ECRMDomain

/// Tags or untags a whole member set in one transaction, with a preview first and an undo after.
/// Each action records exactly the member_tag rows it inserted (or deleted) in `tag_action`, so an
/// undo removes (or restores) those and nothing else: members who already had the tag keep it.
/// Set-based SQL (INSERT … SELECT from the set's query) keeps 100,000 members well under 2 s.
public struct BulkTagger: Sendable {
    public let store: Store
    public init(store: Store) { self.store = store }

    /// Test seam: runs inside a bulk action's transaction just before it commits; throwing from it
    /// stands for a kill at that point (everything the action did must roll back).
    nonisolated(unsafe) static var beforeCommit: ((Database) throws -> Void)?

    public enum Kind: String, Sendable, Codable { case add, remove }

    public struct Preview: Sendable, Equatable, Codable {
        /// Members in the set.
        public var members: Int
        /// Of those, how many carry the tag now.
        public var alreadyTagged: Int
        /// Rows an add would insert (members − alreadyTagged) or a remove would delete (alreadyTagged).
        public func changes(_ kind: Kind) -> Int { kind == .add ? members - alreadyTagged : alreadyTagged }
    }

    public struct Action: Sendable, Equatable, Codable {
        public var id: Int64
        public var at: String
        public var operatorName: String
        public var kind: Kind
        public var tag: String
        public var scope: String
        /// member_tag rows the action inserted (add) or deleted (remove).
        public var changed: Int
    }

    /// How many members the set holds and how many already carry the tag (0 for a tag not yet made).
    static func preview(_ db: Database, tag: String, set: MemberSet) throws -> Preview {
        let (sql, args) = try MemberSetSQL.of(db, set).idQuery
        let tagId = try Int64.fetchOne(db, sql: "SELECT id FROM tag WHERE name = ?", arguments: [tag.trimmingCharacters(in: .whitespacesAndNewlines)]) ?? -1
        let row = try Row.fetchOne(db, sql: """
            SELECT count(*), count(mt.member_id) FROM (\(sql)) x
            LEFT JOIN member_tag mt ON mt.tag_id = ? AND mt.member_id = x.id
            """, arguments: args + [tagId])!
        return Preview(members: row[0], alreadyTagged: row[1])
    }

    public func preview(_ tag: String, _ set: MemberSet) throws -> Preview {
        try store.read(.require(.lookUp)) { try Self.preview($0, tag: tag, set: set) }
    }

    /// Adds the tag to every member of the set. The tag must be a plain tag; with `createIfMissing`
    /// a tag not yet made is created in the same transaction (a failure or kill leaves neither).
    @discardableResult
    public func apply(_ tag: String, to set: MemberSet, createIfMissing: Bool = false) throws -> Action {
        try run(.add, tag, set, create: createIfMissing)
    }

    /// Removes the tag from every member of the set that has it.
    @discardableResult
    public func remove(_ tag: String, from set: MemberSet) throws -> Action { try run(.remove, tag, set) }

    private func run(_ kind: Kind, _ tag: String, _ set: MemberSet, create: Bool = false) throws -> Action {
        try store.write(.bulkTag, .require(.tag)) { db in
            if create { try TagService.plainTag(db, tag, by: store.operatorName) }
            let tagId = try TagLookup.id(db, name: tag)
            let name = try String.fetchOne(db, sql: "SELECT name FROM tag WHERE id = ?", arguments: [tagId])!
            try TagService.refuseRuleTag(db, id: tagId, name: name)
            let (sql, args) = try MemberSetSQL.of(db, set).idQuery
            try BulkDelta.reset(db)
            switch kind {
            case .add:
                try db.execute(sql: """
                    INSERT OR IGNORE INTO temp.bulk_delta(member_id) SELECT x.id FROM (\(sql)) x
                    WHERE NOT EXISTS (SELECT 1 FROM member_tag mt WHERE mt.tag_id = ? AND mt.member_id = x.id)
                    """, arguments: args + [tagId])
                try db.execute(sql: "INSERT INTO member_tag(tag_id, member_id) SELECT ?, member_id FROM temp.bulk_delta", arguments: [tagId])
            case .remove:
                try db.execute(sql: """
                    INSERT OR IGNORE INTO temp.bulk_delta(member_id) SELECT x.id FROM (\(sql)) x
                    JOIN member_tag mt ON mt.tag_id = ? AND mt.member_id = x.id
                    """, arguments: args + [tagId])
                try db.execute(sql: "DELETE FROM member_tag WHERE tag_id = ? AND member_id IN (SELECT member_id FROM temp.bulk_delta)", arguments: [tagId])
            }
            let ids = try BulkDelta.ids(db)
            let action = try TagActionLog.record(db, kind: kind, tagId: tagId, tag: name, scope: set.description,
                                                 ids: ids, operatorName: store.operatorName)
            try Audit.record(db, operator: store.operatorName, action: "tag.bulk_\(kind.rawValue)", target: name,
                             before: nil, after: "\(ids.count) members (\(set.description))", reason: nil)
            try BulkDelta.drop(db)
            try Self.beforeCommit?(db)
            return action
        }
    }

    /// This operator's most recent bulk action not yet undone, if any (what `undoLast` would undo).
    public func lastUndoable() throws -> Action? {
        let user = store.operatorName
        return try store.read(.require(.lookUp)) { try TagActionLog.lastUndoable($0, operatorName: user) }
    }

    /// Undoes this operator's most recent bulk action: an add deletes exactly the rows it inserted,
    /// a remove re-inserts exactly the rows it deleted. Returns the action undone and rows changed.
    @discardableResult
    public func undoLast() throws -> (action: Action, changed: Int) {
        let outcome: (action: Action, changed: Int, tagGone: Bool) = try store.write(.bulkTag, .require(.tag)) { db in
            guard let action = try TagActionLog.lastUndoable(db, operatorName: store.operatorName) else {
                throw StoreError.notFound("nothing to undo: \(store.operatorName) has no bulk tag action left to undo")
            }
            let (tagId, ids) = try TagActionLog.members(db, actionId: action.id)
            guard try String.fetchOne(db, sql: "SELECT name FROM tag WHERE id = ?", arguments: [tagId]) != nil else {
                // Committed as undone so the next undo moves on to the action before it.
                try TagActionLog.markUndone(db, actionId: action.id)
                return (action, 0, true)
            }
            try TagService.refuseRuleTag(db, id: tagId, name: action.tag)
            try BulkDelta.reset(db)
            try BulkDelta.insert(db, ids)
            switch action.kind {
            case .add:
                try db.execute(sql: "DELETE FROM member_tag WHERE tag_id = ? AND member_id IN (SELECT member_id FROM temp.bulk_delta)", arguments: [tagId])
            case .remove:
                try db.execute(sql: """
                    INSERT OR IGNORE INTO member_tag(tag_id, member_id)
                    SELECT ?, d.member_id FROM temp.bulk_delta d JOIN member m ON m.id = d.member_id
                    """, arguments: [tagId])
            }
            let changed = db.changesCount
            try TagActionLog.markUndone(db, actionId: action.id)
            try Audit.record(db, operator: store.operatorName, action: "tag.undo", target: action.tag,
                             before: "bulk \(action.kind.rawValue) #\(action.id) (\(action.scope))", after: "\(changed) members", reason: nil)
            try BulkDelta.drop(db)
            return (action, changed, false)
        }
        if outcome.tagGone {
            throw StoreError.conflict("cannot undo bulk \(outcome.action.kind.rawValue) of '\(outcome.action.tag)': the tag was deleted since; that action is dropped, undo again for the one before")
        }
        return (outcome.action, outcome.changed)
    }
}

/// The per-connection temp table holding the member ids one bulk action changes.
enum BulkDelta {
    static func reset(_ db: Database) throws {
        try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS bulk_delta(member_id INTEGER PRIMARY KEY)")
        try db.execute(sql: "DELETE FROM temp.bulk_delta")
    }

    static func drop(_ db: Database) throws { try db.execute(sql: "DROP TABLE IF EXISTS temp.bulk_delta") }

    /// Ascending (the table is keyed by member_id).
    static func ids(_ db: Database) throws -> [Int64] {
        let s = try RawStatement(db, "SELECT member_id FROM temp.bulk_delta ORDER BY member_id")
        var out: [Int64] = []
        while try s.next() { out.append(sqlite3_column_int64(s.handle, 0)) }
        sqlite3_reset(s.handle)
        return out
    }

    static func insert(_ db: Database, _ ids: [Int64]) throws {
        let s = try RawStatement(db, "INSERT OR IGNORE INTO temp.bulk_delta(member_id) VALUES (?)")
        for id in ids { s.bind(1, id); try s.step() }
    }
}
