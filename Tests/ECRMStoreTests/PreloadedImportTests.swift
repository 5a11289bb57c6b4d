import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// A big load into a store reads the store's whole key map first and decides every phone link in
/// memory (Importer.preloads, MemberKeys preloaded); a small one looks each buyer up in the store.
/// The same files through either path (and through the bulk path) must leave the same store:
/// members, identities, orders, candidates, stats and order lists, and the same report counts.
@Suite struct PreloadedImportTests {
    enum Path: String, CaseIterable { case rowByRow, preloaded, bulk }

    func importer(_ t: TempStore, _ path: Path) -> Importer {
        var i = t.importer(bulk: path == .bulk)
        i.preload = path == .preloaded
        return i
    }

    /// Every table the import writes, as text, without the moments a run stamps.
    func dump(_ t: TempStore) throws -> [String: [String]] {
        let tables = [
            "member": "SELECT * FROM member ORDER BY id",
            "member_identity": "SELECT id, channel, external_id, member_id, how FROM member_identity ORDER BY id",
            "orders": "SELECT * FROM orders ORDER BY order_id",
            "duplicate_candidate": "SELECT member_a, member_b, evidence, detail, state FROM duplicate_candidate ORDER BY member_a, member_b, evidence",
            "member_stats": "SELECT * FROM member_stats ORDER BY member_id",
            "member_orders": "SELECT * FROM member_orders ORDER BY 1",
        ]
        return try t.store.pool.read { db in
            try tables.mapValues { sql in
                try Row.fetchAll(db, sql: sql).map { row in row.databaseValues.map { "\($0)" }.joined(separator: "|") }
            }
        }
    }

    func counts(_ r: ImportReport) -> String {
        "\(r.added)+\(r.updated)~\(r.skipped)!\(r.rejected) new\(r.membersCreated) link\(r.identitiesLinked) cand\(r.candidates)"
    }

    /// A deterministic generator (SplitMix64): the same files for every path.
    struct Rand {
        var s: UInt64
        mutating func next() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
    }

    /// A phone from a small pool (so members share them), written as platforms do: plain, +86 with
    /// dashes, masked, a landline, or none.
    static func phone(_ r: inout Rand, pool: Int) -> String {
        let n = r.int(pool)
        let digits = "1380000\(String(format: "%04d", n))"
        switch r.int(10) {
        case 0: return "+86 138-0000-\(String(format: "%04d", n))"
        case 1: return "138****\(String(format: "%04d", n))"
        case 2: return ""
        case 3: return "0571-8888\(String(format: "%04d", n))"
        default: return digits
        }
    }

    /// The files of one scenario: a Taobao shop, then JD and offline members and orders sharing
    /// phones with it and with each other, repeated buyers and phones within a file, a Shopify
    /// export with phones, and the JD members file again.
    static func files(_ t: TempStore, seed: UInt64) throws -> [(kind: Importer.Kind, path: String, channel: Channel)] {
        var r = Rand(s: seed)
        var out: [(Importer.Kind, String, Channel)] = []
        var csv = "buyer_id,nick,name,phone,city\n"
        for i in 0..<120 { csv += "t\(i),淘\(i),\(r.chance(30) ? "" : "名\(i)"),\(phone(&r, pool: 90)),\(r.chance(50) ? "" : "杭州")\n" }
        out.append((.members, try t.file("tb_members.csv", csv), .taobao))
        csv = "order_id,buyer_id,paid_at,amount,status\n"
        for i in 0..<150 {
            csv += "\(1000 + i),t\(r.int(140)),2026-0\(1 + r.int(9))-1\(r.int(10)) 10:00:00,\(1 + r.int(500)).00,\(r.chance(10) ? "refunded" : "paid")\n"
        }
        out.append((.orders, try t.file("tb_orders.csv", csv), .taobao))
        for (prefix, channel, rows) in [("jd", Channel.jd, 90), ("C", Channel.offline, 60)] {
            csv = "buyer_id,nick,name,phone,province\n"
            for _ in 0..<rows {
                let k = r.int(rows - rows / 8)   // some buyers twice in the file
                csv += "\(prefix)\(k),\(prefix)昵称\(k),\(r.chance(50) ? "" : "名\(k)"),\(phone(&r, pool: 120)),\(r.chance(50) ? "" : "浙江")\n"
            }
            // A JD buyer whose id is a Taobao buyer's (a handle), and one whose id is t-something new.
            if channel == .jd { csv += "t3,同名,,13800009999,\nt500,新,,,\n" }
            out.append((.members, try t.file("\(prefix)_members.csv", csv), channel))
            csv = "order_id,buyer_id,paid_at,amount,status\n"
            for i in 0..<(rows * 2) {
                // Some buyers are in no members file: the order creates them.
                csv += "\(prefix.uppercased())-\(String(format: "%05d", i)),\(prefix)\(r.int(rows + 10)),2026-0\(1 + r.int(9))-0\(1 + r.int(9)) 12:00:00,\(1 + r.int(300)).50,paid\n"
            }
            out.append((.orders, try t.file("\(prefix)_orders.csv", csv), channel))
        }
        csv = "Name,Email,Financial Status,Paid at,Lineitem quantity,Total,Phone,Billing Name\n"
        for i in 0..<30 {
            csv += "#\(2000 + i),s\(r.int(25))@example.com,paid,2026-03-01 10:00:00,1,\(10 + i).00,\(phone(&r, pool: 150)),S\n"
        }
        out.append((.orders, try t.file("orders_export.csv", csv), .shopify))
        out.append(out[2])   // the JD members again: nothing new
        return out
    }

    func run(_ path: Path, seed: UInt64) throws -> (store: [String: [String]], reports: [String]) {
        let t = try TempStore(); defer { t.cleanup() }
        var reports: [String] = []
        for f in try Self.files(t, seed: seed) {
            let r = try importer(t, path).run(f.kind, path: f.path, channel: f.channel)
            reports.append("\(f.path.split(separator: "/").last!): \(counts(r))")
        }
        return (try dump(t), reports)
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func everyPathLeavesTheSameStore(seed: UInt64) throws {
        let small = try run(.rowByRow, seed: seed)
        // The scenario exercises every rule: links, candidates, members made by orders.
        #expect(small.store["member_identity"]!.filter { $0.hasSuffix("|\"phone\"") }.count >= 8)
        #expect(small.store["duplicate_candidate"]!.count > 10)
        #expect(small.reports.contains { $0.hasPrefix("jd_orders.csv") && !$0.contains("new0") })
        // Again: buyers listed twice with different fields flip back, nothing is added or linked.
        #expect(small.reports.last!.hasPrefix("jd_members.csv: 0+") && small.reports.last!.hasSuffix("new0 link0 cand0"))
        for path in [Path.preloaded, .bulk] {
            let other = try run(path, seed: seed)
            #expect(other.reports == small.reports, "\(path)")
            Self.expectSameStore(other.store, small.store, "\(path)")
        }
    }

    /// Two dumps (`dump`) hold the same rows, table by table; the first differing rows are shown.
    static func expectSameStore(_ theirs: [String: [String]], _ ours: [String: [String]], _ label: String,
                                sourceLocation: SourceLocation = #_sourceLocation) {
        for (table, rows) in ours {
            let other = theirs[table] ?? []
            #expect(other.count == rows.count, "\(label) \(table)", sourceLocation: sourceLocation)
            let diff = zip(rows, other).filter { $0 != $1 }.prefix(3)
            #expect(diff.isEmpty, "\(label) \(table): \(Array(diff))", sourceLocation: sourceLocation)
        }
    }

    /// The rules one by one through the preloaded path (IdentityImportTests' files).
    @Test func thePreloadedPathFollowsEveryLinkRule() throws {
        let t = try TempStore(); defer { t.cleanup() }
        let first = try importer(t, .preloaded).run(.members, path: try t.file("tb.csv", IdentityImportTests.taobaoMembers))
        #expect(first.added == 4 && first.identitiesLinked == 0 && first.candidates == 1)
        let r = try importer(t, .preloaded).run(.members, path: try t.file("jd.csv", IdentityImportTests.jdMembers), channel: .jd)
        #expect(r.added + r.updated == 6 && r.identitiesLinked == 1 && r.candidates == 3)
        let alice = try t.store.pool.read { try Identities.find($0, channel: .taobao, externalId: "alice")?.member }
        #expect(try t.store.pool.read { try Identities.find($0, channel: .jd, externalId: "jdA")?.member } == alice)
        let again = try importer(t, .preloaded).run(.members, path: try t.file("jd.csv", IdentityImportTests.jdMembers), channel: .jd)
        #expect(again.added == 0 && again.identitiesLinked == 0 && again.candidates == 0)
    }

    /// Which loads read the whole map: big ones, and with phones far smaller ones than without.
    @Test func aBigLoadIntoAStorePreloads() throws {
        let t = try TempStore(); defer { t.cleanup() }
        var csv = "buyer_id,phone\n"
        for i in 0..<3000 { csv += "b\(i),1390000\(String(format: "%04d", i))\n" }
        _ = try t.importer(bulk: false).run(.members, path: try t.file("m.csv", csv))
        try t.store.pool.read { (db: Database) throws in
            #expect(try !Importer.preloads(db, rows: Importer.preloadMinRows - 1, phones: true))
            #expect(try Importer.preloads(db, rows: Importer.preloadMinRows, phones: true))
            #expect(try Importer.preloads(db, rows: 3000, phones: false))
        }
    }
}
