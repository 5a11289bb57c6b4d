import Foundation
import GRDB
import ECRMDomain

/// Rule tags: members who match a tag's rule carry it, members who no longer match lose it.
/// Set-based: one scan of the member table (joined to stats / RFM only when the rule needs them)
/// fills a temp table, then one DELETE and one INSERT bring `member_tag` in line.
public enum RuleTags {
    public struct Change: Sendable, Equatable, Codable {
        public var tag: String
        public var gained: Int
        public var lost: Int
        public var members: Int
    }

    /// Re-evaluates every rule tag inside the caller's write transaction. Meant to run right after
    /// `RFMEngine.recompute` stores `member_rfm` (segment and lifecycle conditions read it).
    @discardableResult
    static func evaluateAll(_ db: Database) throws -> [Change] {
        let tags = try Row.fetchAll(db, sql: "SELECT id, name, rule FROM tag WHERE rule IS NOT NULL ORDER BY name")
        var out: [Change] = []
        for row in tags {
            // A rule that no longer parses (hand-edited) is left alone rather than emptying the tag.
            guard let rule = try? parse(row[2]) else { continue }
            var c = try evaluate(db, tagId: row[0], rule: rule)
            c.tag = row[1]
            out.append(c)
        }
        return out
    }

    /// Convenience for callers without a transaction (the command line, the console).
    @discardableResult
    public static func evaluateAll(_ store: Store) throws -> [Change] {
        try store.write(.tags, .require(.evaluateRuleTags)) { try evaluateAll($0) }
    }

    /// Parses and checks a rule tag's rule JSON (`MemberRule.parseTagRule`); the message names the field that is wrong.
    public static func parse(_ json: String) throws -> MemberRule {
        do { return try MemberRule.parseTagRule(json) } catch let e as MemberRule.Invalid { throw StoreError.invalid(e.message) }
    }

    /// Checks a rule given as a value (trims, normalises gender, refuses empty or impossible conditions).
    static func checked(_ rule: MemberRule) throws -> MemberRule {
        var r = rule
        do { try r.normalise() } catch let e as MemberRule.Invalid { throw StoreError.invalid(e.message) }
        return r
    }

    static func evaluate(_ db: Database, tagId: Int64, rule: MemberRule) throws -> Change {
        // The rule's members, as every member set is read (MemberSetSQL).
        let (sql, args) = try MemberSetSQL.of(db, .rule(rule.ruleTagConditions)).idQuery
        try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS rule_match(member_id INTEGER PRIMARY KEY)")
        try db.execute(sql: "DELETE FROM temp.rule_match")
        try db.execute(sql: "INSERT INTO temp.rule_match(member_id) \(sql)", arguments: args)
        try db.execute(sql: "DELETE FROM member_tag WHERE tag_id = ? AND member_id NOT IN (SELECT member_id FROM temp.rule_match)", arguments: [tagId])
        let lost = db.changesCount
        try db.execute(sql: "INSERT OR IGNORE INTO member_tag(tag_id, member_id) SELECT ?, member_id FROM temp.rule_match", arguments: [tagId])
        let gained = db.changesCount
        let members = try Int.fetchOne(db, sql: "SELECT count(*) FROM temp.rule_match") ?? 0
        try db.execute(sql: "DELETE FROM temp.rule_match")
        return Change(tag: "", gained: gained, lost: lost, members: members)
    }
}
