import GRDB
import ECRMDomain

/// Member search, first version: exact keys, nick prefix, then nick/name substring, recent buyers first.
/// (The lookup issue replaces the substring scan with indexed n-grams.)
public enum MemberSearch {
    public static func search(_ db: Database, _ text: String, limit: Int = 50) throws -> [MemberSummary] {
        let q = text.trimmingSpaces()
        guard !q.isEmpty else { return [] }
        var seen = Set<Int64>()
        var out: [MemberSummary] = []
        func add(_ sql: String, _ args: StatementArguments, _ why: String) throws {
            guard out.count < limit else { return }
            let rows = try Row.fetchAll(db, sql: "SELECT \(MemberQueries.summaryColumns) FROM member m LEFT JOIN member_stats s ON s.member_id = m.id WHERE \(sql) ORDER BY s.last_paid_at DESC LIMIT \(limit)", arguments: args)
            for r in rows {
                var s = MemberQueries.summary(r)
                if seen.insert(s.id).inserted && out.count < limit {
                    s.matchedBy = why
                    out.append(s)
                }
            }
        }
        let digits = Phone.normalized(q)
        if digits == q {
            if q.count >= 12, let n = Int64(q) {
                try add("m.id IN (SELECT member_id FROM orders WHERE order_id = ?)", [n], "order")
            }
            if q.count == 11 { try add("m.phone = ?", [q], "phone") }
            if q.count >= 4 && q.count < 11 { try add("m.phone LIKE ?", ["%" + q], "phone tail") }
        }
        try add("m.buyer_id = ?", [q], "buyer_id")
        try add("m.card_no = ?", [q], "card")
        try add("m.nick = ? OR m.name = ?", [q, q], "exact")
        let like = escapeLike(q)
        try add("m.nick LIKE ? ESCAPE '\\'", [like + "%"], "prefix")
        try add("m.nick LIKE ?1 ESCAPE '\\' OR m.name LIKE ?1 ESCAPE '\\'", ["%" + like + "%"], "contains")
        return out
    }

    /// User text is literal: % and _ and \ lose their LIKE meaning.
    static func escapeLike(_ s: String) -> String {
        var out = ""
        for c in s {
            if c == "%" || c == "_" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out
    }
}
