import Foundation
import GRDB
import ECRMDomain

/// Tags (买家标签): the owner creates rule tags, renames and deletes tags; any operator creates
/// plain tags and tags or untags members. Every change is one short write transaction and audited.
///
/// Rule tags are computed only: their members come from the rule (`RuleTags.evaluateAll`), so
/// adding or removing one member by hand, or in bulk, is refused with a message saying so.
public struct TagService: Sendable {
    public let store: Store
    public init(store: Store) { self.store = store }

    public struct TagInfo: Sendable, Equatable, Codable {
        public var id: Int64
        public var name: String
        public var rule: MemberRule?
        public var members: Int
        public var createdAt: String
        public var createdBy: String
        public var isRuleTag: Bool { rule != nil }
    }

    /// Every tag with its member count, by name.
    static func list(_ db: Database) throws -> [TagInfo] { try fetch(db, where: "1", []) }

    private static func fetch(_ db: Database, where filter: String, _ args: StatementArguments) throws -> [TagInfo] {
        try Row.fetchAll(db, sql: """
            SELECT t.id, t.name, t.rule, t.created_at, t.created_by,
                   (SELECT count(*) FROM member_tag mt WHERE mt.tag_id = t.id)
            FROM tag t WHERE \(filter) ORDER BY t.name
            """, arguments: args).map { row in
            TagInfo(id: row[0], name: row[1], rule: (row[2] as String?).flatMap { try? RuleTags.parse($0) },
                    members: row[5], createdAt: row[3], createdBy: row[4])
        }
    }

    public func list() throws -> [TagInfo] {
        try store.read(.require(.lookUp)) { try Self.list($0) }
    }

    /// Creates a tag. A rule makes it a rule tag (owner only) and fills it at once from the rule.
    @discardableResult
    public func create(_ rawName: String, rule: MemberRule? = nil) throws -> TagInfo {
        let name = try TagName.validated(rawName)
        let checked = try rule.map { try RuleTags.checked($0.ruleTagConditions) }
        return try write(.require(rule != nil ? .createRuleTag : .tag)) { db in
            if try Int64.fetchOne(db, sql: "SELECT id FROM tag WHERE name = ?", arguments: [name]) != nil {
                throw StoreError.conflict("a tag named '\(name)' already exists")
            }
            let id = try Self.insert(db, name: name, rule: checked, by: store.operatorName)
            return try Self.info(db, id: id)
        }
    }

    /// Inserts a tag (audited; a rule tag is filled at once) inside the caller's transaction.
    static func insert(_ db: Database, name: String, rule: MemberRule?, by user: String) throws -> Int64 {
        try db.execute(sql: "INSERT INTO tag(name, rule, created_at, created_by) VALUES (?, ?, ?, ?)",
                       arguments: [name, rule?.json, Clock.nowString(), user])
        let id = db.lastInsertedRowID
        try Audit.record(db, operator: user, action: "tag.create", target: name, before: nil, after: rule?.json, reason: nil)
        if let r = rule { _ = try RuleTags.evaluate(db, tagId: id, rule: r) }
        return id
    }

    /// A plain tag named `rawName` inside the caller's transaction, created (audited) when missing.
    static func plainTag(_ db: Database, _ rawName: String, by user: String) throws {
        let name = try TagName.validated(rawName)
        if try Int64.fetchOne(db, sql: "SELECT id FROM tag WHERE name = ?", arguments: [name]) == nil {
            _ = try insert(db, name: name, rule: nil, by: user)
        }
    }

    /// Sets, changes or (nil) removes a tag's rule; owner only. The members are re-evaluated at once;
    /// removing the rule keeps the current members as a plain tag.
    @discardableResult
    public func setRule(_ tagName: String, rule: MemberRule?) throws -> TagInfo {
        let checked = try rule.map { try RuleTags.checked($0.ruleTagConditions) }
        return try write(.require(.changeTagRule)) { db in
            let id = try TagLookup.id(db, name: tagName)
            let before = try TagLookup.rule(db, tagId: id)
            try db.execute(sql: "UPDATE tag SET rule = ? WHERE id = ?", arguments: [checked?.json, id])
            try Audit.record(db, operator: store.operatorName, action: "tag.rule", target: tagName, before: before, after: checked?.json, reason: nil)
            if let r = checked { _ = try RuleTags.evaluate(db, tagId: id, rule: r) }
            return try Self.info(db, id: id)
        }
    }

    /// Renames a tag (owner only); the members keep it.
    public func rename(_ oldName: String, to newName: String) throws {
        let name = try TagName.validated(newName)
        try write(.require(.renameTag)) { db in
            let id = try TagLookup.id(db, name: oldName)
            if let other = try Int64.fetchOne(db, sql: "SELECT id FROM tag WHERE name = ?", arguments: [name]), other != id {
                throw StoreError.conflict("a tag named '\(name)' already exists")
            }
            let before = try String.fetchOne(db, sql: "SELECT name FROM tag WHERE id = ?", arguments: [id])
            try db.execute(sql: "UPDATE tag SET name = ? WHERE id = ?", arguments: [name, id])
            try Audit.record(db, operator: store.operatorName, action: "tag.rename", target: name, before: before, after: name, reason: nil)
        }
    }

    /// Deletes a tag from every member (owner only). Returns how many members carried it. The tag
    /// and its members go to the trash in the same transaction, so `restore` can bring it back for
    /// `trashDays` days.
    @discardableResult
    public func delete(_ tagName: String) throws -> Int {
        let name = tagName.trimmingCharacters(in: .whitespacesAndNewlines)
        return try write(.require(.deleteTag, target: name)) { db in
            let id = try TagLookup.id(db, name: tagName)
            let n = try Int.fetchOne(db, sql: "SELECT count(*) FROM member_tag WHERE tag_id = ?", arguments: [id]) ?? 0
            try db.execute(sql: "DELETE FROM tag_trash WHERE deleted_at < ?", arguments: [Self.trashCutoff()])
            try db.execute(sql: """
                INSERT INTO tag_trash(name, rule, created_at, created_by, deleted_at, deleted_by)
                SELECT name, rule, created_at, created_by, ?, ? FROM tag WHERE id = ?
                """, arguments: [Clock.nowString(), store.operatorName, id])
            let trash = db.lastInsertedRowID
            try db.execute(sql: "INSERT INTO tag_trash_member(trash_id, member_id) SELECT ?, member_id FROM member_tag WHERE tag_id = ?",
                           arguments: [trash, id])
            // Explicit, not only ON DELETE CASCADE: stores opened without foreign keys must not keep orphans.
            try db.execute(sql: "DELETE FROM member_tag WHERE tag_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM tag WHERE id = ?", arguments: [id])
            try Audit.record(db, operator: store.operatorName, action: "tag.delete", target: name,
                             before: "\(n) members", after: nil, reason: nil)
            return n
        }
    }

    /// How long a deleted tag can be restored.
    public static let trashDays = 30

    static func trashCutoff() -> String {
        let now = Clock.nowString()
        guard let today = Day.parse(String(now.prefix(10))) else { return "" }
        return today.adding(days: -trashDays).description + now.dropFirst(10)
    }

    /// Brings back the most recently deleted tag of that name with the members who carried it (those
    /// still in the store), within `trashDays` days; owner only, like delete. Returns the member count.
    @discardableResult
    public func restore(_ tagName: String) throws -> Int {
        let name = tagName.trimmingCharacters(in: .whitespacesAndNewlines)
        return try write(.require(.restoreTag, target: name)) { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT id, rule, created_at, created_by FROM tag_trash WHERE name = ? AND deleted_at >= ? ORDER BY id DESC LIMIT 1
                """, arguments: [name, Self.trashCutoff()]) else {
                throw StoreError.notFound(StoreMessages.tagNotInTrash(name))
            }
            if try Int64.fetchOne(db, sql: "SELECT id FROM tag WHERE name = ?", arguments: [name]) != nil {
                throw StoreError.conflict(StoreMessages.tagNameTaken(name))
            }
            let trash: Int64 = row[0]
            try db.execute(sql: "INSERT INTO tag(name, rule, created_at, created_by) VALUES (?, ?, ?, ?)",
                           arguments: [name, row[1] as String?, row[2] as String, row[3] as String])
            let id = db.lastInsertedRowID
            try db.execute(sql: """
                INSERT INTO member_tag(tag_id, member_id)
                SELECT ?, t.member_id FROM tag_trash_member t JOIN member m ON m.id = t.member_id WHERE t.trash_id = ?
                """, arguments: [id, trash])
            let n = db.changesCount
            try db.execute(sql: "DELETE FROM tag_trash_member WHERE trash_id = ?", arguments: [trash])
            try db.execute(sql: "DELETE FROM tag_trash WHERE id = ?", arguments: [trash])
            try Audit.record(db, operator: store.operatorName, action: "tag.restore", target: name,
                             before: nil, after: "\(n) members", reason: nil)
            return n
        }
    }

    /// Tags one member. Returns false when the member already had the tag (nothing changes then).
    @discardableResult
    public func add(_ tagName: String, memberId: Int64, createIfMissing: Bool = false) throws -> Bool {
        try write(.require(.tag)) { db in
            if createIfMissing { try Self.plainTag(db, tagName, by: store.operatorName) }
            let (id, buyer) = try manualTarget(db, tagName, memberId)
            try db.execute(sql: "INSERT OR IGNORE INTO member_tag(tag_id, member_id) VALUES (?, ?)", arguments: [id, memberId])
            guard db.changesCount > 0 else { return false }
            try Audit.record(db, operator: store.operatorName, action: "tag.add", target: buyer, before: nil, after: tagName, reason: nil)
            return true
        }
    }

    /// Untags one member. Returns false when the member did not have the tag.
    @discardableResult
    public func remove(_ tagName: String, memberId: Int64) throws -> Bool {
        try write(.require(.tag)) { db in
            let (id, buyer) = try manualTarget(db, tagName, memberId)
            try db.execute(sql: "DELETE FROM member_tag WHERE tag_id = ? AND member_id = ?", arguments: [id, memberId])
            guard db.changesCount > 0 else { return false }
            try Audit.record(db, operator: store.operatorName, action: "tag.remove", target: buyer, before: tagName, after: nil, reason: nil)
            return true
        }
    }

    /// The tag's id and the member's buyer id, refusing rule tags and unknown members.
    private func manualTarget(_ db: Database, _ tagName: String, _ memberId: Int64) throws -> (Int64, String) {
        let id = try TagLookup.id(db, name: tagName)
        try Self.refuseRuleTag(db, id: id, name: tagName)
        guard let buyer = try String.fetchOne(db, sql: "SELECT buyer_id FROM member WHERE id = ?", arguments: [memberId]) else {
            throw StoreError.notFound("no member with id \(memberId)")
        }
        return (id, buyer)
    }

    static func refuseRuleTag(_ db: Database, id: Int64, name: String) throws {
        if try TagLookup.rule(db, tagId: id) != nil {
            throw StoreError.invalid("'\(name)' is a rule tag: its members follow its rule and cannot be changed by hand; change the rule (owner) or use a plain tag")
        }
    }

    static func info(_ db: Database, id: Int64) throws -> TagInfo {
        guard let t = try fetch(db, where: "t.id = ?", [id]).first else { throw StoreError.notFound("no tag with id \(id)") }
        return t
    }

    private func write<T>(_ access: Store.Access, _ body: (Database) throws -> T) throws -> T {
        try store.write(.tags, access, body)
    }
}
