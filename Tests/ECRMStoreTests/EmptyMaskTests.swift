import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// The key map reads each member's empty fields with a CASE that skips the bit arithmetic for a
/// member with none (MemberKeys.emptyMask): it must give the plain mask's value for every
/// combination of empty fields, and a channel load whose phone links fill those fields must leave
/// the same store through the preloaded map as row by row.
@Suite struct EmptyMaskTests {
    static let fields = ["nick", "name", "phone", "province", "city"]
    /// The mask as it was written before the CASE: the oracle the fast one is held to.
    static let plainMask = "(nick = '') | ((name = '') << 1) | ((phone = '') << 2) | ((province = '') << 3) | ((city = '') << 4)"

    /// Members with each of the 32 combinations of empty fields (a set bit: that field empty).
    static func membersFile(prefix: String, phoneBase: Int) -> String {
        var text = "buyer_id,nick,name,phone,province,city\n"
        for combo in 0..<32 {
            let value = { (bit: Int, v: String) in combo & (1 << bit) != 0 ? "" : v }
            text += "\(prefix)\(combo),\(value(0, "n\(combo)")),\(value(1, "名\(combo)")),\(value(2, "138\(String(format: "%08d", phoneBase + combo))")),"
            text += "\(value(3, "浙江")),\(value(4, "杭州"))\n"
        }
        return text
    }

    @Test func caseMaskEqualsThePlainMaskForEveryCombination() throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try t.importer(bulk: false).run(.members, path: try t.file("m.csv", Self.membersFile(prefix: "b", phoneBase: 0)))
        let rows = try t.store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT buyer_id, \(MemberKeys.emptyMask) AS fast, \(Self.plainMask) AS plain FROM member ORDER BY id")
        }
        #expect(rows.count == 32)
        for row in rows {
            let combo = Int(String((row["buyer_id"] as String).dropFirst()))!
            #expect(row["fast"] as Int64 == Int64(combo), "\(row)")
            #expect(row["plain"] as Int64 == Int64(combo), "\(row)")
        }
        // NULL fields (not written by the importer, but a column allows them): the same value too.
        let nulls = try t.store.pool.read { db in
            try Row.fetchAll(db, sql: """
                WITH v(nick, name, phone, province, city) AS (VALUES (NULL, 'a', 'b', 'c', 'd'), ('', NULL, 'b', 'c', 'd'), ('a', 'b', NULL, '', 'd'),
                    (NULL, NULL, NULL, NULL, NULL), ('a', 'b', 'c', 'd', NULL))
                SELECT \(MemberKeys.emptyMask) IS \(Self.plainMask) AS same FROM v
                """)
        }
        #expect(nulls.allSatisfy { $0["same"] as Bool })
    }

    /// JD buyers sharing the phones of Taobao members with each combination of empty fields link
    /// to them and fill what is empty: the preloaded map (which decides from the mask whether a row
    /// can fill anything) and the row-by-row path leave the same store.
    @Test func linksFillTheSameFieldsPreloadedAndRowByRow() throws {
        var dumps: [[String: [String]]] = []
        for preload in [false, true] {
            let t = try TempStore(); defer { t.cleanup() }
            _ = try t.importer(bulk: false).run(.members, path: try t.file("tb.csv", Self.membersFile(prefix: "tb", phoneBase: 0)))
            // The JD file brings every field and the same phones (a member whose own phone is empty
            // has none to link by: its JD buyer becomes a member of its own).
            var jd = "buyer_id,nick,name,phone,province,city\n"
            for combo in 0..<32 { jd += "jd\(combo),jn\(combo),京\(combo),138\(String(format: "%08d", combo)),北京,北京\n" }
            var importer = t.importer(bulk: false)
            importer.preload = preload
            _ = try importer.run(.members, path: try t.file("jd.csv", jd), channel: .jd)
            dumps.append(try PreloadedImportTests().dump(t))
        }
        #expect(dumps[0] == dumps[1])
        let linkedMembers = dumps[1]["member"]!.filter { $0.contains("京") }
        #expect(!linkedMembers.isEmpty)
    }
}
