import Foundation
import GRDB
import ECRMDomain

/// The one place a `MemberSet` becomes SQL. Lists, counts, bulk tags, rule tags, exports and campaign
/// targets all read their members through it. Sets built on RFM facts (segment, grid cell,
/// lifecycle) read the last stored computation (`member_rfm`); see `RFMFreshness` for its age.
///
/// The query is driven from the table that narrows the set most: `member_rfm r` for an RFM
/// condition (its (segment|r,f|lifecycle, last_paid) indexes), the members of the tags (`mt`), the
/// listed ids, else `member m`; every other condition filters that. Aliases: m member, s member_stats,
/// r member_rfm.
struct MemberSetSQL {
    /// FROM items before `member m`, and the member id they give (nil: driven from `member m`).
    var drive: String?
    var driveId: String
    /// Whether the conditions read `member m` / `member_stats s`.
    var needsMember: Bool
    var needsStats: Bool
    var conditions: [String]
    var arguments: StatementArguments
    /// Driven from `member_rfm r` (drill-down lists are then ordered by its last_paid).
    var rfmDriven: Bool

    /// The member id expression of the query.
    var id: String { drive == nil ? "m.id" : driveId }
    var filter: String { conditions.isEmpty ? "1" : conditions.joined(separator: " AND ") }

    /// `… FROM` clause with only the tables the conditions need (counts, id lists).
    var from: String {
        guard let drive else { return needsStats ? "member m LEFT JOIN member_stats s ON s.member_id = m.id" : "member m" }
        var out = drive
        if needsMember { out += " JOIN member m ON m.id = \(driveId)" }
        if needsStats { out += " LEFT JOIN member_stats s ON s.member_id = \(driveId)" }
        return out
    }

    /// The FROM clause of a member list: the set's tables joined to `member m` and `member_stats s`.
    var listFrom: String {
        guard let drive else { return "member m LEFT JOIN member_stats s ON s.member_id = m.id" }
        return "\(drive) JOIN member m ON m.id = \(driveId) LEFT JOIN member_stats s ON s.member_id = m.id"
    }

    /// A query with one column `id`: the set's distinct member ids.
    var idQuery: (sql: String, arguments: StatementArguments) {
        ("SELECT \(id) AS id FROM \(from) WHERE \(filter)", arguments)
    }

    /// The translation of a set; refuses impossible conditions and unknown tag names in one line.
    static func of(_ db: Database, _ set: MemberSet) throws -> MemberSetSQL {
        guard var rule = set.rule, !rule.isEmpty else {
            return MemberSetSQL(drive: nil, driveId: "m.id", needsMember: true, needsStats: false, conditions: [], arguments: [], rfmDriven: false)
        }
        if let c = rule.cell, !c.isValid { throw StoreError.invalid("grid scores must be 1 to 5, not R\(c.r) F\(c.f)") }
        if let ts = rule.tiers, let t = ts.first(where: { !(0...4).contains($0) }) { throw StoreError.invalid("tier must be 0 to 4, not \(t)") }
        if let ps = rule.provinces {
            let clean = ps.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !clean.isEmpty else { throw StoreError.invalid("a region needs a province") }
            rule.provinces = clean
        }
        if let cs = rule.cities {
            let clean = cs.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            rule.cities = clean.isEmpty ? nil : clean
        }
        if let q = rule.search {
            // The search index answers the text; the rest is the listed ids.
            let found = try MemberSearch.allIds(db, q)
            if let listed = rule.members { let keep = Set(listed); rule.members = found.filter { keep.contains($0) } } else { rule.members = found }
            rule.search = nil
        }
        var q = MemberSetSQL(drive: nil, driveId: "m.id", needsMember: false, needsStats: rule.usesStats, conditions: [], arguments: [], rfmDriven: false)
        var tagsAny = try rule.tagsAny.map { try TagLookup.ids(db, names: $0) }
        var tagsAll = try rule.tagsAll.map { try TagLookup.ids(db, names: $0) }
        var members = rule.members
        if rule.usesRFM {
            // Members without a stored computation match no RFM condition.
            q.drive = "member_rfm r"; q.driveId = "r.member_id"; q.rfmDriven = true
            if let ss = rule.segments { q.conditions.append(inList("r.segment", ss.map(\.code))) }
            if let c = rule.cell { q.conditions.append(try RFMCell.condition(db, r: c.r, f: c.f)) }
            if let ls = rule.lifecycles { q.conditions.append(inList("r.lifecycle", ls.map(\.code))) }
        } else if let tags = tagsAny ?? tagsAll {
            let all = tagsAny == nil
            let list = tags.map(String.init).joined(separator: ",")
            q.driveId = "mt.member_id"
            if Set(tags).count == 1 {
                // One tag: its rows are the set (a member carries a tag once).
                q.drive = "member_tag mt"
                q.conditions.append("mt.tag_id = \(tags[0])")
            } else if all {
                q.drive = "(SELECT member_id FROM member_tag WHERE tag_id IN (\(list)) GROUP BY member_id HAVING count(*) = \(Set(tags).count)) mt"
            } else {
                q.drive = "(SELECT DISTINCT member_id FROM member_tag WHERE tag_id IN (\(list))) mt"
            }
            if all { tagsAll = nil } else { tagsAny = nil }
        } else if let ids = members {
            // json_each keeps the statement read-only (no temp table) and handles 100k ids in one bind.
            q.drive = "(SELECT DISTINCT value AS member_id FROM json_each(?)) j"; q.driveId = "j.member_id"
            q.arguments += [json(ids)]
            q.needsMember = true   // ids no longer in the store drop out
            members = nil
        }
        let id = q.id
        if let ids = members {
            q.conditions.append("\(id) IN (SELECT value FROM json_each(?))")
            q.arguments += [json(ids)]
        }
        if let ids = tagsAny {
            q.conditions.append("\(id) IN (SELECT member_id FROM member_tag WHERE tag_id IN (\(ids.map(String.init).joined(separator: ","))))")
        }
        if let ids = tagsAll {
            q.conditions.append("\(id) IN (SELECT member_id FROM member_tag WHERE tag_id IN (\(ids.map(String.init).joined(separator: ","))) GROUP BY member_id HAVING count(*) = \(Set(ids).count))")
        }
        func anyPrefix(_ values: [String], _ column: String) {
            q.conditions.append("(" + values.map { _ in "substr(\(column), 1, length(?)) = ?" }.joined(separator: " OR ") + ")")
            for v in values { q.arguments += [v, v] }
            q.needsMember = true
        }
        if let ps = rule.provinces { anyPrefix(ps, "m.province") }
        if let cs = rule.cities { anyPrefix(cs, "m.city") }
        if let g = rule.gender { q.conditions.append("m.gender = ?"); q.arguments += [g]; q.needsMember = true }
        if let ms = rule.birthdayMonths {
            // birthday is stored as YYYY-MM-DD by import.
            q.conditions.append("CAST(substr(m.birthday, 6, 2) AS INTEGER) IN (\(ms.map(String.init).joined(separator: ",")))")
            q.needsMember = true
        }
        if let ts = rule.tiers { q.conditions.append(inList("m.tier", ts)); q.needsMember = true }
        if let st = rule.status { q.conditions.append("m.status = ?"); q.arguments += [st.rawValue]; q.needsMember = true }
        if let a = rule.spendMin { q.conditions.append("coalesce(s.paid_sum, 0) >= ?"); q.arguments += [a.fen] }
        if let b = rule.spendMax { q.conditions.append("coalesce(s.paid_sum, 0) <= ?"); q.arguments += [b.fen] }
        if let a = rule.ordersMin { q.conditions.append("coalesce(s.paid_count, 0) >= ?"); q.arguments += [a] }
        if let b = rule.ordersMax { q.conditions.append("coalesce(s.paid_count, 0) <= ?"); q.arguments += [b] }
        // A Taobao identity is implicit (member.channel NULL) or a row; any other is a row (IdentityTables).
        if let cs = rule.channels { q.conditions.append("(\(id) IN (SELECT member_id FROM member_identity WHERE \(inList("channel", cs.map { "'\($0.rawValue)'" })))\(cs.contains(.taobao) ? " OR m.channel IS NULL" : ""))"); q.needsMember = true }
        return q
    }

    private static func inList<T: BinaryInteger>(_ column: String, _ xs: [T]) -> String {
        inList(column, xs.map { String($0) })
    }

    /// `column = x` or `column IN (x, …)` for SQL literals the store makes (numbers, channel keys).
    private static func inList(_ column: String, _ xs: [String]) -> String {
        xs.count == 1 ? "\(column) = \(xs[0])" : "\(column) IN (\(xs.joined(separator: ",")))"
    }

    private static func json(_ ids: [Int64]) -> String { "[" + ids.map(String.init).joined(separator: ",") + "]" }

    /// The number of members in the set.
    static func count(_ db: Database, _ set: MemberSet) throws -> Int {
        let q = try of(db, set)
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM \(q.from) WHERE \(q.filter)", arguments: q.arguments) ?? 0
    }

    /// Every member id of the set, ascending (exports, bulk tags, campaign targets, marked lists).
    static func allIds(_ db: Database, _ set: MemberSet) throws -> [Int64] {
        let q = try of(db, set)
        return try Int64.fetchAll(db, sql: "SELECT \(q.id) FROM \(q.from) WHERE \(q.filter) ORDER BY 1", arguments: q.arguments)
    }

    /// Every member id of the set in list order (newest buyer first: as of the stored computation
    /// for a set driven by it, an index range; by the member's last paid time otherwise, a sort).
    static func orderedIds(_ db: Database, _ set: MemberSet) throws -> [Int64] {
        let q = try of(db, set)
        if q.rfmDriven {
            return try Int64.fetchAll(db, sql: "SELECT r.member_id FROM \(q.from) WHERE \(q.filter) ORDER BY r.last_paid DESC, r.member_id DESC",
                                      arguments: q.arguments)
        }
        return try Int64.fetchAll(db, sql: """
            SELECT x.id FROM (SELECT \(q.id) AS id FROM \(q.from) WHERE \(q.filter)) x LEFT JOIN member_stats s2 ON s2.member_id = x.id
            ORDER BY coalesce(s2.last_paid_at, '') DESC, x.id DESC
            """, arguments: q.arguments)
    }
}

/// The store's reads of a member set for callers outside it (the command line, the console): one
/// read each through `Store.read`, so the operator is checked inside it and a failure comes out as
/// one line, like every other public read.
public enum MemberSets {
    public static func count(_ store: Store, _ set: MemberSet) throws -> Int {
        try store.read(.require(.lookUp)) { try MemberSetSQL.count($0, set) }
    }

    public static func allIds(_ store: Store, _ set: MemberSet) throws -> [Int64] {
        try store.read(.require(.lookUp)) { try MemberSetSQL.allIds($0, set) }
    }
}

/// Tag names to ids, refusing unknown names with the name in the message.
enum TagLookup {
    static func id(_ db: Database, name: String) throws -> Int64 {
        let n = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM tag WHERE name = ?", arguments: [n]) else {
            throw StoreError.notFound("no tag named '\(n)' (see: ecrm tags list)")
        }
        return id
    }

    static func ids(_ db: Database, names: [String]) throws -> [Int64] {
        guard !names.isEmpty else { throw StoreError.invalid("give at least one tag") }
        return try names.map { try id(db, name: $0) }
    }

    /// The tag's rule, if it is a rule tag.
    static func rule(_ db: Database, tagId: Int64) throws -> String? {
        try String.fetchOne(db, sql: "SELECT rule FROM tag WHERE id = ?", arguments: [tagId])
    }
}
