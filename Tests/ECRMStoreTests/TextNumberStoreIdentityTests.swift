import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// The bulk load of text order numbers into an empty store (the 1M-member import's path) stores
/// exactly what the row-by-row path stores, byte for byte, and what the loader stored before its
/// speed work (the digests below were taken from that code): every shape of number PRODUCT.md
/// names (Excel's ="…", a leading ', spaces, Chinese, 64 characters), rejected ones (too long, a
/// control character, C1 controls, empty), repeats, numbers out of order, unknown buyers, plain
/// Taobao numbers among them, and more rows than one batch.
@Suite struct TextNumberStoreIdentityTests {
    static let header = "order_id,buyer_id,buyer_nick,paid_at,amount,status,items\n"

    /// A deterministic file of ~3,000 rows mixing every case. `ascending`: the numbers that are not
    /// E + digits sort below them (so the E numbers all go in through ascending runs), and the file
    /// ends with Chinese and long (over 32 bytes) numbers above every other; else they interleave.
    static func ordersCSV(ascending: Bool = false) -> String {
        var s = header
        var rng: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: UInt64) -> UInt64 { rng = rng &* 6364136223846793005 &+ 1442695040888963407; return (rng >> 33) % n }
        let statuses = ["paid", "paid", "paid", "closed", "unpaid", "refunded"]
        for i in 0..<3000 {
            let buyer = next(10) == 0 ? "new\(next(40))" : "b\(next(60))"
            let day = 1 + next(28), hour = next(24)
            let time = String(format: "2026-%02d-%02d %02d:%02d:%02d", 1 + Int(next(11)), Int(day), Int(hour), Int(next(60)), Int(next(60)))
            let amount = "\(next(500)).\(String(format: "%02d", Int(next(100))))"
            var number = "E" + String(2_000_000_000_000_000 + UInt64(i) * 7919)
            switch i % 97 {
            case 5: number = #""=""\#(number)""""#          // Excel's ="…" (CSV-quoted)
            case 11: number = "'" + number
            case 17: number = "  \(number) "
            case 23: number = (ascending ? "A" : "") + "订单-\(String(format: "%06d", i))"
            case 29: number = String(repeating: ascending ? "A" : "Z", count: 63) + "\(i % 10)"
            case 31: number = String(repeating: "Q", count: 65)          // rejected: too long
            case 37: number = "\"E\u{1}\(i)\""                           // rejected: control character
            case 41: number = "E\u{85}\(i)"                              // rejected: C1 control
            case 43: number = ""                                         // rejected: missing
            case 47: number = "E" + String(2_000_000_000_000_000 + UInt64(i - 40) * 7919)   // repeat of line i - 40
            case 53: number = "D\(i)"                                    // below the high water
            case 59: number = "\(900_000 + i)"                           // a plain Taobao number
            case 61: number = "0\(i)"                                    // digits with a leading zero: text
            case 67: number = (ascending ? "De" : "e") + String(2_000_000_000_000_000 + UInt64(i) * 7919)   // another case: another number
            case 71: number = "#\(1000 + i)"
            case 73: number = "E" + String(2_000_000_000_000_000 + UInt64(i) * 7919) + "-1"
            default: break
            }
            let nick = i % 13 == 0 ? "" : "昵称\(buyer)"
            s += "\(number),\(buyer),\(nick),\(time),\(amount),\(statuses[Int(next(UInt64(statuses.count)))]),\(1 + next(3))\n"
        }
        if ascending {
            for i in 0..<40 {
                let number = i < 20 ? "订单-\(String(format: "%06d", i))" : "订单-" + String(repeating: "长", count: 12) + String(format: "%06d", i)
                s += "\(number),b\(i),,2026-03-0\(1 + i % 9) 10:00:00,\(i).50,paid,1\n"
            }
        }
        return s
    }

    static func membersCSV() -> String {
        var s = "buyer_id,nick,name,phone,gender,birthday,province,city,joined_at\n"
        for i in 0..<60 { s += "b\(i),会员\(i),姓名\(i),1380000\(String(format: "%04d", i)),U,1990-01-01,浙江,杭州,2025-01-01 00:00:00\n" }
        return s
    }

    /// Every row of the tables an import writes, each value quoted with its type (SQLite's quote()).
    static func dump(_ db: Database) throws -> String {
        var out = ""
        for table in ["member", "orders", "member_stats", "member_orders", "member_identity"] {
            let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map { $0["name"] as String }
                .filter { !["updated_at", "linked_at"].contains($0) }   // the clock's, not the file's
            let select = columns.map { "quote(\($0))" }.joined(separator: " || ',' || ")
            let order = columns.joined(separator: ",")
            out += "# \(table)\n"
            for line in try String.fetchAll(db, sql: "SELECT \(select) FROM \(table) ORDER BY \(order)") { out += line + "\n" }
        }
        return out
    }

    /// FNV-1a, 64 bits: a digest to compare against without keeping a long literal.
    static func digest(_ s: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return String(h, radix: 16)
    }

    struct Loaded {
        var dump: String
        var reports: [String]
        var export: String
    }

    func load(bulk: Bool, channel: Channel, ascending: Bool = false) throws -> Loaded {
        let t = try TempStore(); defer { t.cleanup() }
        let members = try t.file("m.csv", Self.membersCSV())
        let orders = try t.file("o.csv", Self.ordersCSV(ascending: ascending))
        let reports = try t.importer(bulk: bulk).run([(.members, members), (.orders, orders)], channel: channel)
        let lines = reports.map { r in
            "\(r.kind) added=\(r.added) updated=\(r.updated) skipped=\(r.skipped) rejected=\(r.rejected) created=\(r.membersCreated) "
                + r.problems.map { "\($0.line):\($0.reason)" }.joined(separator: "|")
        }
        let out = t.dir + "/export.csv"
        _ = try Exporter(store: t.store).export(to: out, settings: RFMSettings(asOf: Day.parse("2026-12-31")!), reveal: false)
        let export = try String(contentsOfFile: out, encoding: .utf8)
        // Search by a text number and the card, on the bulk-loaded store and the other alike.
        try t.store.pool.read { (db: Database) throws in
            let number = "E" + String(2_000_000_000_000_000 + UInt64(100) * 7919)
            let found = try MemberSearch.search(db, number).map(\.buyerId)
            #expect(found.count == 1, "search \(number)")
            let card = try MemberQueries.detail(db, id: MemberQueries.resolve(db, number)!)!
            #expect(card.summary.buyerId == found.first)
            #expect(try MemberSearch.search(db, (ascending ? "A" : "") + "订单-000023").count == 1)
            #expect(try MemberSearch.search(db, String(repeating: ascending ? "A" : "Z", count: 63) + "9").count == 1)
            #expect(try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok")
        }
        return Loaded(dump: try t.store.pool.read(Self.dump), reports: lines, export: export)
    }

    @Test(arguments: [Channel.taobao, .youzan])
    func bulkLoadStoresWhatTheRowByRowLoadStores(channel: Channel) throws {
        let bulk = try load(bulk: true, channel: channel)
        let rows = try load(bulk: false, channel: channel)
        #expect(bulk.reports == rows.reports)
        #expect(bulk.dump == rows.dump)
        #expect(bulk.export == rows.export)
        #expect(bulk.reports[1].contains("added=2824"), "\(bulk.reports[1].prefix(200))")
    }

    /// Digests of the tables as the loader before the speed work stored this file (taken from that code).
    @Test(arguments: [(Channel.taobao, "fc1179956a0d65a 5b436f96b21f2a60 e57922de762eba36"), (.youzan, "b0ea83ad3c0b2f39 5b436f96b21f2a60 83e48d11a71946c6")])
    func bulkLoadStoresWhatItStoredBefore(channel: Channel, expected: String) throws {
        let bulk = try load(bulk: true, channel: channel)
        let got = [bulk.dump, bulk.reports.joined(separator: "\n"), bulk.export].map(Self.digest).joined(separator: " ")
        #expect(got == expected, "digests of \(channel.rawValue)")
    }

    /// The same with the E numbers in ascending runs throughout (the 5M-order benchmark's shape) and
    /// Chinese and long numbers going in at the end.
    @Test(arguments: [(Channel.taobao, "aecdcb1cec735451 76082557f49312bd 38777c4aa6946c74"), (.youzan, "78402f206ad55204 76082557f49312bd e2caa71dab447ef4")])
    func ascendingRunsStoreWhatTheyStoredBefore(channel: Channel, expected: String) throws {
        let bulk = try load(bulk: true, channel: channel, ascending: true)
        let rows = try load(bulk: false, channel: channel, ascending: true)
        #expect(bulk.dump == rows.dump && bulk.reports == rows.reports && bulk.export == rows.export)
        #expect(bulk.dump.contains("'订单-长长长长长长长长长长长长000039'"))
        let got = [bulk.dump, bulk.reports.joined(separator: "\n"), bulk.export].map(Self.digest).joined(separator: " ")
        #expect(got == expected, "digests of \(channel.rawValue)")
    }
}
