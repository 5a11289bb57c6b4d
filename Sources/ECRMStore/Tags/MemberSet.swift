import Foundation
import GRDB
import ECRMDomain

/// All of a set of tags, or any of them.
public enum TagMatch: String, Sendable, Codable, CaseIterable { case all, any }

/// A group of members to tag, list or export. Sets built on RFM facts (segment, grid cell,
/// lifecycle) read the last stored computation (`member_rfm`); see `RFMFreshness` for its age.
public enum MemberSet: Sendable, Equatable, Codable, CustomStringConvertible {
    case segment(Segment)
    /// One cell of the R×F grid: r score and f score, each 1…5.
    case grid(r: Int, f: Int)
    case tier(Int)
    case lifecycle(Lifecycle)
    /// Province, optionally narrowed to a city; both match by prefix ("浙江" matches "浙江省").
    case region(province: String, city: String?)
    case tags([String], TagMatch)
    /// Explicit members (a search result or a marked list).
    case ids([Int64])
    /// Members with an identity in this channel (PRODUCT.md: One member across channels).
    case channel(Channel)

    public var description: String {
        switch self {
        case .segment(let s): return "segment \(s.rawValue)"
        case .grid(let r, let f): return "grid R\(r) F\(f)"
        case .tier(let t): return "tier \(t)"
        case .lifecycle(let l): return "lifecycle \(l.rawValue)"
        case .region(let p, let c): return "region \(p)\(c.map { "/\($0)" } ?? "")"
        case .tags(let ts, let m): return "tags \(m.rawValue) of \(ts.joined(separator: ","))"
        case .ids(let ids): return "\(ids.count) listed members"
        case .channel(let c): return "channel \(c.rawValue)"
        }
    }
}

/// The SQL behind a member set: a query with one column `id`, distinct member ids.
enum MemberSetSQL {
    static func query(_ db: Database, _ set: MemberSet) throws -> (sql: String, arguments: StatementArguments) {
        switch set {
        case .segment(let s):
            return ("SELECT member_id AS id FROM member_rfm WHERE segment = ?", [Int(s.code)])
        case .grid(let r, let f):
            guard (1...5).contains(r), (1...5).contains(f) else { throw StoreError.invalid("grid scores must be 1 to 5, not R\(r) F\(f)") }
            return ("SELECT member_id AS id FROM member_rfm WHERE r = ? AND f = ?", [r, f])
        case .tier(let t):
            guard (0...4).contains(t) else { throw StoreError.invalid("tier must be 0 to 4, not \(t)") }
            return ("SELECT id FROM member WHERE tier = ?", [t])
        case .lifecycle(let l):
            return ("SELECT member_id AS id FROM member_rfm WHERE lifecycle = ?", [Int(l.code)])
        case .region(let p, let c):
            let province = p.trimmingCharacters(in: .whitespaces)
            guard !province.isEmpty else { throw StoreError.invalid("a region needs a province") }
            var sql = "SELECT id FROM member WHERE substr(province, 1, length(?1)) = ?1"
            var args: StatementArguments = [province]
            if let city = c?.trimmingCharacters(in: .whitespaces), !city.isEmpty {
                sql += " AND substr(city, 1, length(?2)) = ?2"
                args += [city]
            }
            return (sql, args)
        case .tags(let names, let mode):
            let ids = try TagLookup.ids(db, names: names)
            let list = ids.map(String.init).joined(separator: ",")
            switch mode {
            case .any: return ("SELECT DISTINCT member_id AS id FROM member_tag WHERE tag_id IN (\(list))", [])
            case .all: return ("SELECT member_id AS id FROM member_tag WHERE tag_id IN (\(list)) GROUP BY member_id HAVING count(*) = \(Set(ids).count)", [])
            }
        case .ids(let ids):
            // json_each keeps the statement read-only (no temp table) and handles 100k ids in one bind.
            let json = "[" + ids.map(String.init).joined(separator: ",") + "]"
            return ("SELECT DISTINCT m.id FROM json_each(?) j JOIN member m ON m.id = j.value", [json])
        case .channel(let c):
            // A Taobao identity is implicit (member.channel NULL) or a row; any other is a row (IdentityTables).
            let rows = "SELECT member_id AS id FROM member_identity WHERE channel = ?"
            return c == .taobao ? ("SELECT id FROM member WHERE channel IS NULL UNION \(rows)", [c.rawValue])
                                : ("SELECT DISTINCT member_id AS id FROM member_identity WHERE channel = ?", [c.rawValue])
        }
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
