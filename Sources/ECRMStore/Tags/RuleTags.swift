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
            guard let rule = try? TagRule.parse(row[2]) else { continue }
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

    static func evaluate(_ db: Database, tagId: Int64, rule: TagRule) throws -> Change {
        let (sql, args) = matchQuery(rule)
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

    /// `SELECT m.id FROM …` for the members matching every condition of the rule.
    static func matchQuery(_ rule: TagRule) -> (String, StatementArguments) {
        var from = "member m"
        var wheres: [String] = []
        var args: StatementArguments = []
        func anyOf(_ values: [String], _ column: String) {
            wheres.append("(" + values.map { _ in "substr(\(column), 1, length(?)) = ?" }.joined(separator: " OR ") + ")")
            for v in values { args += [v, v] }
        }
        func inList<T: BinaryInteger>(_ column: String, _ xs: [T]) {
            wheres.append("\(column) IN (\(xs.map { String($0) }.joined(separator: ",")))")
        }
        if let ps = rule.provinces { anyOf(ps, "m.province") }
        if let cs = rule.cities { anyOf(cs, "m.city") }
        if let g = rule.gender { wheres.append("m.gender = ?"); args += [g] }
        if let ms = rule.birthdayMonths {
            // birthday is stored as YYYY-MM-DD by import.
            wheres.append("CAST(substr(m.birthday, 6, 2) AS INTEGER) IN (\(ms.map(String.init).joined(separator: ",")))")
        }
        if let ts = rule.tiers { inList("m.tier", ts) }
        if rule.usesStats {
            from += " LEFT JOIN member_stats s ON s.member_id = m.id"
            if let a = rule.spendMin { wheres.append("coalesce(s.paid_sum, 0) >= ?"); args += [a.fen] }
            if let b = rule.spendMax { wheres.append("coalesce(s.paid_sum, 0) <= ?"); args += [b.fen] }
            if let a = rule.ordersMin { wheres.append("coalesce(s.paid_count, 0) >= ?"); args += [a] }
            if let b = rule.ordersMax { wheres.append("coalesce(s.paid_count, 0) <= ?"); args += [b] }
        }
        if rule.usesRFM {
            // Members without a stored computation match no RFM condition.
            from += " JOIN member_rfm r ON r.member_id = m.id"
            if let ls = rule.lifecycles { inList("r.lifecycle", ls.map(\.code)) }
            if let ss = rule.segments { inList("r.segment", ss.map(\.code)) }
        }
        let filter = wheres.isEmpty ? "1" : wheres.joined(separator: " AND ")
        return ("SELECT m.id FROM \(from) WHERE \(filter)", args)
    }
}
