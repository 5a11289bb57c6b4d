import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// The extra posting set paired, sorted and encoded while a channel import's stats, lists and
/// indexes are written (EarlyExtra) is the set SearchExtra builds afterwards from the member table,
/// byte for byte: random shops through random channel imports (new members, some listed twice in
/// a file, phone links that fill or replace a member's texts, orders that create members or fill
/// their empty fields, buyers' last orders old and new), each run with the early path and without
/// it, every search table and every query compared. Serialized: the switch is one static.
@Suite(.serialized) struct EarlyExtraTests {
    /// Every table of the search index, every row, blobs in hex.
    static func searchTables(_ db: Database) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'search%' ORDER BY name") {
            var rows: [String] = []
            for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table)") {
                rows.append(row.databaseValues.map { v -> String in
                    switch v.storage {
                    case .null: "NULL"
                    case .int64(let i): "\(i)"
                    case .double(let d): "\(d)"
                    case .string(let s): "'\(s)'"
                    case .blob(let b): "x" + b.map { String(format: "%02x", $0) }.joined()
                    }
                }.joined(separator: "|"))
            }
            out[table] = rows.sorted()
        }
        return out
    }

    /// A channel's members and orders files (`round` keeps buyer ids and order numbers apart).
    static func channelFiles(_ t: TempStore, _ rnd: inout SplitMix64, round: Int, prefix: String, newMembers n: Int) throws -> (String, String) {
        let phones = try t.store.pool.read { try String.fetchAll($0, sql: "SELECT phone FROM member WHERE length(phone) = 11") }
        var m = "buyer_id,nick,name,phone\n", o = "order_id,buyer_id,buyer_nick,paid_at,amount,status\n"
        func row(_ i: Int) -> String {
            // A third share an existing member's phone (a link, or a candidate), some have no name
            // (an order may fill it), some no nick.
            let phone = !phones.isEmpty && rnd.next() % 3 == 0 ? phones[Int(rnd.next() % UInt64(phones.count))] : SearchMergeTests.phone(&rnd)
            let nick = rnd.next() % 5 == 0 ? "" : SearchMergeTests.nick(&rnd)
            let name = rnd.next() % 2 == 0 ? "" : SearchMergeTests.nick(&rnd)
            return "\(prefix)\(round)x\(i),\(nick),\(name),\(phone)\n"
        }
        for i in 0..<n {
            m += row(i)
            // Listed again further on with other texts: created, then written.
            if rnd.next() % 6 == 0 { m += row(i) }
        }
        var k = 0
        // Orders for the new members, for buyers in no members file (the order creates them, with
        // the order's nick), with new and old paid moments (ties broken by id).
        for _ in 0..<(n + n / 2) {
            let i = Int(rnd.next() % UInt64(n + n / 4))
            let nick = rnd.next() % 2 == 0 ? SearchMergeTests.nick(&rnd) : ""
            let paid = rnd.next() % 4 == 0 ? "2026-11-0\(1 + rnd.next() % 3) 09:00:00" : SearchMergeTests.paidAt(&rnd)
            o += "\(prefix.uppercased())\(round)-\(k),\(prefix)\(round)x\(i),\(nick),\(paid),1.00,\(rnd.next() % 7 == 0 ? "refunded" : "paid")\n"
            k += 1
        }
        return (try t.file("\(prefix)m\(round).csv", m), try t.file("\(prefix)o\(round).csv", o))
    }

    struct Outcome: Equatable {
        var tables: [[String: [String]]] = []
        var searches: [[String: [Int64]]] = []
        var builds: [String] = []
    }

    /// The shop and its channel imports (the JD and offline files of a round as one import);
    /// whether each import paired its extra set early.
    static func run(seed: UInt64, early: Bool) throws -> (Outcome, [Bool]) {
        EarlyExtra.enabled = early
        defer { EarlyExtra.enabled = true }
        var rnd = SplitMix64(seed: seed)
        let t = try SearchMergeTests.shop(&rnd, members: 150 + Int(rnd.next() % 250)); defer { t.cleanup() }
        var out = Outcome(), used: [Bool] = []
        for round in 0..<2 {
            let main = try t.store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM member") ?? 0 }
            let jd = try channelFiles(t, &rnd, round: round, prefix: "j", newMembers: 5 + Int(rnd.next() % UInt64(max(1, main / 6))))
            let offline = try channelFiles(t, &rnd, round: round, prefix: "c", newMembers: 3 + Int(rnd.next() % UInt64(max(1, main / 12))))
            let reports = try t.importer(bulk: true).run(files: [
                Importer.File(.members, jd.0, channel: .jd), Importer.File(.orders, jd.1, channel: .jd),
                Importer.File(.members, offline.0, channel: .offline), Importer.File(.orders, offline.1, channel: .offline),
            ])
            out.builds.append(reports.last?.searchBuild ?? "")
            used.append(reports.last?.searchEarly ?? false)
            try t.store.pool.read { db in
                out.tables.append(try searchTables(db))
                out.searches.append(try SearchMergeTests.ordered(db))
            }
        }
        return (out, used)
    }

    @Test func theEarlyExtraSetIsTheOneBuiltAfterwards() throws {
        var usedEarly = 0
        for seed in 1...12 as ClosedRange<UInt64> {
            let (late, notUsed) = try Self.run(seed: seed, early: false)
            let (early, used) = try Self.run(seed: seed, early: true)
            #expect(notUsed == [false, false])
            // The first channel import builds the set (early); the second merges into it (not early).
            #expect(late.builds.first == "extra", "seed \(seed): \(late.builds)")
            #expect(used.first == true, "seed \(seed)")
            #expect(used.last == false, "seed \(seed)")
            if used.first == true { usedEarly += 1 }
            #expect(early.builds == late.builds, "seed \(seed)")
            for round in early.tables.indices {
                for (table, rows) in late.tables[round] {
                    let same = early.tables[round][table] == rows
                    #expect(same, "seed \(seed) round \(round): \(table) differs (\(early.tables[round][table]?.count ?? -1) rows, \(rows.count) built after)")
                }
                #expect(early.tables[round].keys.sorted() == late.tables[round].keys.sorted())
                for q in SearchMergeTests.queries {
                    #expect(early.searches[round][q] == late.searches[round][q], "seed \(seed) round \(round): '\(q)'")
                }
            }
            #expect(late.tables[0]["search_extra_rank_chunk"]?.isEmpty == false, "seed \(seed): no extra set")
        }
        #expect(usedEarly == 12)
    }

    /// A load that fails after its early postings started (member_stats refuses its rows: the
    /// stats phase throws) rolls back and leaves none of their threads running; the same load
    /// then goes through and uses them.
    @Test func aLoadThatFailsLeavesNoThreadBehind() throws {
        var rnd = SplitMix64(seed: 99)
        let t = try SearchMergeTests.shop(&rnd, members: 300); defer { t.cleanup() }
        let dir = (t.store.path as NSString).deletingLastPathComponent
        let jd = try Self.channelFiles(t, &rnd, round: 0, prefix: "j", newMembers: 40)
        let files = [Importer.File(.members, jd.0, channel: .jd), Importer.File(.orders, jd.1, channel: .jd)]
        let members = try t.store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM member") }
        try t.store.pool.write { try $0.execute(sql: "CREATE TRIGGER refuse AFTER INSERT ON member_stats BEGIN SELECT RAISE(ABORT, 'refused'); END") }
        #expect(throws: (any Error).self) { try t.importer(bulk: true).run(files: files) }
        #expect(EarlyExtra.running.count(in: dir) == (running: 0, started: 1))
        #expect(try t.store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM member") } == members)
        try t.store.pool.write { try $0.execute(sql: "DROP TRIGGER refuse") }
        let reports = try t.importer(bulk: true).run(files: files)
        #expect(reports.last?.searchBuild == "extra" && reports.last?.searchEarly == true)
        #expect(EarlyExtra.running.count(in: dir) == (running: 0, started: 2))
    }
}
