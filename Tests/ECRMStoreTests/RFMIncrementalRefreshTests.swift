import Foundation
import Testing
import GRDB
import PropertyBased
@testable import ECRMStore
import ECRMDomain

/// The incremental refresh (RFMIncremental: the stored distribution, members between old and new
/// edges read through indexes) stores, row for row, in the summary and in the distribution it
/// keeps, what a full recompute stores; same day and days later, auto and custom, random shops
/// with many ties. It is asked directly (after an import that leaves RFM alone, with the members
/// that import touched), so a test sees that it did the work rather than the full path.
@Suite struct RFMIncrementalRefreshTests {
    /// Every member's paid history and the member count, to tell which members an import touched.
    static func histories(_ t: TempStore) throws -> [Int64: String] {
        try t.store.pool.read { db in
            var out: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT m.id, hex(s.paid_days) FROM member m LEFT JOIN member_stats s ON s.member_id = m.id") {
                out[row[0]] = (row[1] as String?) ?? ""
            }
            return out
        }
    }

    /// Runs an import without RFM; returns the members it touched (new members, changed paid histories).
    static func importWithoutRFM(_ t: TempStore, file: String) throws -> Set<Int64> {
        let before = try histories(t)
        var importer = t.importer(bulk: false)
        importer.recomputeRFMAsOf = nil
        _ = try importer.run(.orders, path: file)
        let after = try histories(t)
        return Set(after.keys.filter { before[$0] != after[$0] })
    }

    /// The stored distribution equals the one a full recompute stores (on a copy).
    static func expectSameDistribution(_ t: TempStore, asOf: Day, _ note: String) throws {
        let kept = try t.store.pool.read { try RFMDistribution.load($0) }
        let copy = t.dir + "/dist-\(UUID().uuidString).sqlite"
        try t.store.pool.writeWithoutTransaction { try $0.execute(sql: "VACUUM INTO ?", arguments: [copy]) }
        let s = try Store(path: copy, operatorName: "owner1")
        let full = try s.pool.write { db in
            try RFMEngine.recompute(db, settings: try RFMEngine.loadConfig(db).settings(asOf: asOf))
            return try RFMDistribution.load(db)
        }
        #expect(kept != nil && kept == full, "\(note): the kept distribution differs from a full recompute's")
    }

    /// Rounds of: an import without RFM (as of a day 0…2 days after the stored one), then the
    /// incremental refresh with its members. Returns how many rounds it did (not fell back).
    static func rounds(_ t: TempStore, members: Int, from: Day, seed: UInt64, moveDays: Bool) throws -> Int {
        var rnd = SplitMix64(seed: seed &+ 3)
        var asOf = from, done = 0
        for round in 0..<3 {
            if moveDays { asOf = asOf.adding(days: Int(rnd.next() % 3)) }
            let note = "seed \(seed) round \(round) as of \(asOf)"
            // A shop with nobody scored keeps no distribution (the full path serves it).
            let scored = try t.store.pool.read { try RFMEngine.lastSummary($0)?.scoredCount ?? 0 }
            let applies = try t.store.pool.read { try RFMIncremental.applies($0, asOf: asOf) }
            #expect(applies == (scored > 0), "\(note): the stored distribution should describe the store")
            let file = try RFMStoredBaseTests.daily(t, seed: seed, round: round, members: members)
            let members = try importWithoutRFM(t, file: file)
            let settings = try t.store.pool.read { try RFMEngine.loadConfig($0).settings(asOf: asOf) }
            let did = try applies && t.store.pool.write { db in try RFMIncremental.refresh(db, members: members, settings: settings) }
            if !did {
                // It wrote nothing: the full path brings the store (and the distribution) up to date.
                _ = try t.store.pool.write { db in try RFMEngine.recompute(db, settings: settings) }
                continue
            }
            done += 1
            try RFMDayAdvanceTests.expectFullRecompute(t, asOf: asOf, note)
            try expectSameDistribution(t, asOf: asOf, note)
        }
        return done
    }

    @Test func sameDayRefreshesStoreWhatAFullRecomputeStores() async throws {
        await propertyCheck(count: 10, input: Gen.int(in: 0...1_000_000)) { seed in
            let custom = seed % 3 == 0
            let (t, members) = try RFMStoredBaseTests.shop(seed: UInt64(seed), custom: custom)
            defer { t.cleanup() }
            // Tiny shops often move an F edge or a high/low line (then it falls back, tested too).
            _ = try Self.rounds(t, members: members, from: RFMStoredBaseTests.asOf, seed: UInt64(seed), moveDays: false)
        }
    }

    /// 3,000 members, 12,000 orders over 400 days; RFM stored as of `asOf`.
    static func biggerShop(mode: ScoringMode, asOf: Day) throws -> TempStore {
        var rnd = SplitMix64(seed: 90)
        var members = "buyer_id,nick\n", orders = "order_id,buyer_id,paid_at,amount,status\n"
        for i in 0..<3_000 { members += "b\(i),会员\(i)\n" }
        for j in 0..<12_000 {
            let b = Int(rnd.next() % 3_000) * Int(rnd.next() % 3_000) / 3_000
            let status = rnd.next() % 10 == 0 ? "refunded" : "paid"
            orders += "\(1_000 + j),b\(b),\(asOf.adding(days: -Int(rnd.next() % 400)).description) 10:00:00,\(1 + rnd.next() % 900).\(rnd.next() % 10)0,\(status)\n"
        }
        return try TempStore.rfmShop(members: members, orders: orders, asOf: asOf) { $0.mode = mode }
    }

    /// A bigger shop and a day's 30 orders (some new buyers, a refund), the same day and the next
    /// two: with auto edges the F edges and high/low lines hold, so it does the work every time and
    /// stores a full recompute's result (custom edges move the means more: it may fall back).
    @Test(arguments: [ScoringMode.auto, .custom(CustomEdges(monetary: [10_000, 30_000, 60_000, 100_000]))])
    func aDaysImportIntoABiggerShopIsIncremental(mode: ScoringMode) throws {
        let asOf = RFMIncrementalTests.asOf
        let t = try Self.biggerShop(mode: mode, asOf: asOf)
        defer { t.cleanup() }
        var rnd = SplitMix64(seed: 91)
        for round in 0..<3 {
            let day = asOf.adding(days: round)
            #expect(try t.store.pool.read { try RFMIncremental.applies($0, asOf: day) }, "round \(round)")
            var text = "order_id,buyer_id,paid_at,amount,status\n"
            for j in 0..<30 {
                let buyer = j % 6 == 0 ? "new\(round)-\(j)" : "b\(rnd.next() % 3_000)"
                text += "\(500_000 + 100 * round + j),\(buyer),\(day.description) 09:00:00,\(1 + rnd.next() % 900).00,paid\n"
            }
            text += "\(1_000 + round * 7),b\(round),2026-03-03 10:00:00,10.00,refunded\n"
            let members = try Self.importWithoutRFM(t, file: try t.file("d\(round).csv", text))
            let settings = try t.store.pool.read { try RFMEngine.loadConfig($0).settings(asOf: day) }
            let did = try t.store.pool.write { db in try RFMIncremental.refresh(db, members: members, settings: settings) }
            if mode == .auto { #expect(did, "round \(round)") }
            if !did { _ = try t.store.pool.write { db in try RFMEngine.recompute(db, settings: settings) } }
            try RFMDayAdvanceTests.expectFullRecompute(t, asOf: day, "round \(round)")
            try Self.expectSameDistribution(t, asOf: day, "round \(round)")
        }
    }

    @Test func laterDaysStoreWhatAFullRecomputeStores() async throws {
        await propertyCheck(count: 14, input: Gen.int(in: 0...1_000_000)) { seed in
            let (t, members, _) = try RFMDayAdvanceTests.shop(seed: UInt64(seed))
            defer { t.cleanup() }
            // The shop recomputes as of RFMDayAdvanceTests.from and may blank window exits (as a
            // store migrated to v18 has them): a full recompute first fills them for this test.
            _ = try t.store.pool.write { db in try RFMEngine.recompute(db, settings: try RFMEngine.loadConfig(db).settings(asOf: RFMDayAdvanceTests.from)) }
            _ = try Self.rounds(t, members: members, from: RFMDayAdvanceTests.from, seed: UInt64(seed), moveDays: true)
        }
    }

    /// Unknown window exits (a store migrated to v18): a later day falls back, writing nothing.
    @Test func unknownWindowExitsFallBack() throws {
        let (t, _) = try RFMStoredBaseTests.shop(seed: 77, custom: false)
        defer { t.cleanup() }
        try t.store.pool.write { try $0.execute(sql: "UPDATE member_rfm SET window_exit = NULL WHERE member_id = 1") }
        let later = RFMStoredBaseTests.asOf.adding(days: 1)
        let settings = try t.store.pool.read { try RFMEngine.loadConfig($0).settings(asOf: later) }
        let before = try t.store.pool.read { try RFMIncrementalTests.stored($0) }
        #expect(try t.store.pool.write { db in try RFMIncremental.refresh(db, members: [], settings: settings) } == false)
        let after = try t.store.pool.read { try RFMIncrementalTests.stored($0) }
        #expect(before.0 == after.0 && before.1 == after.1)
    }

    /// Writers that change RFM inputs make the distribution stale: an import without RFM (stats
    /// version), a member added without RFM, other settings, a merge; a recompute makes it current again.
    @Test func theDistributionIsStaleAfterOtherWriters() throws {
        let asOf = RFMStoredBaseTests.asOf
        let (t, _) = try RFMStoredBaseTests.shop(seed: 12, custom: false)
        defer { t.cleanup() }
        func applies() throws -> Bool { try t.store.pool.read { try RFMIncremental.applies($0, asOf: asOf) } }
        func recompute() throws { _ = try t.store.pool.write { db in try RFMEngine.recompute(db, settings: try RFMEngine.loadConfig(db).settings(asOf: asOf)) } }
        #expect(try applies())
        #expect(try t.store.pool.read { try RFMIncremental.applies($0, asOf: asOf.adding(days: 2)) })
        #expect(try t.store.pool.read { try RFMIncremental.applies($0, asOf: asOf.adding(days: -1)) } == false)

        var importer = t.importer(bulk: false)
        importer.recomputeRFMAsOf = nil
        _ = try importer.run(.orders, path: try t.file("x.csv", "order_id,buyer_id,paid_at,amount,status\n777,b1,2026-11-29 09:00:00,5.00,paid\n"))
        #expect(try applies() == false)
        try recompute()
        #expect(try applies())

        _ = try importer.run(.members, path: try t.file("n.csv", "buyer_id,nick\nnobody,新人\n"))
        #expect(try applies() == false)
        try recompute()
        #expect(try applies())

        try t.store.pool.write { db in
            var config = try RFMEngine.loadConfig(db)
            config.windowDays = 100
            try RFMEngine.saveConfig(db, config)
        }
        #expect(try applies() == false)
        try recompute()
        #expect(try applies())

        _ = try MergeService(store: t.store).merge(keep: "b1", other: "b2")
        #expect(try applies() == false)
        try recompute()
        #expect(try applies())
    }

    /// Through the importer: a day's import uses the distribution and leaves it current, so the
    /// next import can too; what it stores is a full recompute's.
    @Test func importsKeepTheDistributionCurrent() throws {
        let asOf = RFMStoredBaseTests.asOf
        let (t, members) = try RFMStoredBaseTests.shop(seed: 21, custom: false)
        defer { t.cleanup() }
        for round in 0..<3 {
            #expect(try t.store.pool.read { try RFMIncremental.applies($0, asOf: asOf) }, "round \(round)")
            var importer = t.importer(bulk: false)
            importer.recomputeRFMAsOf = asOf
            let report = try importer.run(.orders, path: try RFMStoredBaseTests.daily(t, seed: 21, round: round, members: members))
            #expect(report.rfm == "members")
            try RFMDayAdvanceTests.expectFullRecompute(t, asOf: asOf, "round \(round)")
        }
    }

    /// v20-rfm-incremental on a store of the previous release: every row kept, the two indexes
    /// there, and the next import (full path, then incremental) stores a full recompute's result.
    @Test func anExistingStoreMigratesWithoutLoss() throws {
        let asOf = RFMStoredBaseTests.asOf
        let (t, members) = try RFMStoredBaseTests.shop(seed: 33, custom: false)
        defer { t.cleanup() }
        let path = t.path
        func dump(_ db: Database) throws -> [String] {
            var out: [String] = []
            for table in ["member", "orders", "member_stats", "member_rfm", "member_tag", "tag", "setting"] {
                // member_rfm: its R as stored (before v21) or as shown (derived, after).
                let r = try db.columns(in: "member_rfm").contains { $0.name == "r" } ? "r" : try StoredR.expr(db, "member_rfm")
                let columns = table == "member_rfm" ? "member_id, last_paid, frequency, monetary, \(r) AS r, f, m, segment, lifecycle, is_returning, window_exit" : "*"
                out += try Row.fetchAll(db, sql: "SELECT \(columns) FROM \(table) ORDER BY 1").map { "\(table) \($0)" }
            }
            return out
        }
        try t.store.pool.writeWithoutTransaction { db in
            try RFMDerivedRTests.undoDerivedR(db)
            try db.execute(sql: """
                DROP INDEX member_rfm_money; DROP INDEX member_rfm_exit;
                DROP INDEX member_rfm_cell; CREATE INDEX member_rfm_grid ON member_rfm(r, f, last_paid);
                DELETE FROM setting WHERE key = 'rfm.dist';
                DELETE FROM grdb_migrations WHERE identifier = 'v20-rfm-incremental';
                """)
        }
        let before = try t.store.pool.read { try dump($0) }
        let store = try Store(path: path, operatorName: "owner1")
        let after = try store.pool.read { try dump($0) }
        #expect(before == after)
        let indexes = try store.pool.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'member_rfm' ORDER BY name") }
        #expect(indexes == ["member_rfm_cell", "member_rfm_exit", "member_rfm_lifecycle", "member_rfm_money", "member_rfm_segment"])
        #expect(try store.pool.read { try RFMIncremental.applies($0, asOf: asOf) } == false)
        for round in 0..<2 {
            var importer = t.importer(bulk: false)
            importer.recomputeRFMAsOf = asOf
            _ = try importer.run(.orders, path: try RFMStoredBaseTests.daily(t, seed: 33, round: round, members: members))
            #expect(try store.pool.read { try RFMIncremental.applies($0, asOf: asOf) })
            try RFMDayAdvanceTests.expectFullRecompute(t, asOf: asOf, "round \(round)")
        }
    }

    /// An R×F cell read as F and a day range (RFMCell) holds exactly the rows whose stored R and F
    /// scores are the cell's: after a recompute, after imports (incremental or not), after a
    /// merge; auto and custom edges; and its list pages through member_rfm_cell.
    @Test func cellsAsDayRangesAreTheStoredCells() async throws {
        await propertyCheck(count: 8, input: Gen.int(in: 0...1_000_000)) { seed in
            let (t, members) = try RFMStoredBaseTests.shop(seed: UInt64(seed), custom: seed % 2 == 0)
            defer { t.cleanup() }
            func check(_ note: String) throws {
                try t.store.pool.read { db in
                    for r in 1...5 {
                        for f in 1...5 {
                            let byRange = try Int64.fetchAll(db, sql: "SELECT r.member_id FROM member_rfm r WHERE \(try RFMCell.condition(db, r: r, f: f)) ORDER BY 1")
                            let byScore = try Int64.fetchAll(db, sql: "SELECT member_id FROM member_rfm WHERE \(try StoredR.expr(db, "member_rfm")) = ? AND f = ? ORDER BY 1", arguments: [r, f])
                            #expect(byRange == byScore, "seed \(seed) \(note) R\(r) F\(f)")
                        }
                    }
                    // A shop where nobody is scored has no quintile R edges, so no day range (seed
                    // 379549: 76 members, none paid by as-of), as in `rounds`; custom R edges always give one.
                    let scored = try RFMEngine.lastSummary(db)?.scoredCount ?? 0
                    #expect((try RFMCell.dayRange(db, r: 3) != nil) == (scored > 0 || seed % 2 == 0), "seed \(seed) \(note): day range with \(scored) scored")
                }
            }
            try check("recomputed")
            for round in 0..<2 {
                var importer = t.importer(bulk: false)
                importer.recomputeRFMAsOf = RFMStoredBaseTests.asOf.adding(days: round)
                _ = try importer.run(.orders, path: try RFMStoredBaseTests.daily(t, seed: UInt64(seed), round: round, members: members))
                try check("import \(round)")
            }
            _ = try? MergeService(store: t.store).merge(keep: "b1", other: "b2")
            try check("merged")
            let plan = try t.store.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT r.member_id FROM member_rfm r WHERE \(try RFMCell.condition(db, r: 3, f: 2)) ORDER BY r.last_paid DESC")
                    .map { $0["detail"] as String }.joined(separator: "; ")
            }
            #expect(plan.contains("member_rfm_cell") && !plan.contains("TEMP B-TREE"), "\(plan)")
        }
    }

    /// The range reads go through the partial indexes (no scan of member_rfm).
    @Test func rangeReadsUseTheIndexes() throws {
        let (t, _) = try RFMStoredBaseTests.shop(seed: 5, custom: false)
        defer { t.cleanup() }
        let plans = try t.store.pool.read { db in
            try [
                "SELECT monetary FROM member_rfm WHERE \(RFMIncremental.moneyIndexed) AND monetary > 1 ORDER BY monetary",
                "SELECT monetary FROM member_rfm WHERE \(RFMIncremental.moneyIndexed) AND monetary < 1 ORDER BY monetary DESC",
                "SELECT member_id FROM member_rfm WHERE \(RFMIncremental.exitIndexed) AND window_exit <= 5",
                "SELECT member_id FROM member_rfm WHERE \(RFMIncremental.exitIndexed) AND window_exit IS NULL LIMIT 1",
            ].map { sql in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: "; ") }
        }
        #expect(plans[0].contains("member_rfm_money") && !plans[0].contains("TEMP B-TREE"), "\(plans[0])")
        #expect(plans[1].contains("member_rfm_money") && !plans[1].contains("TEMP B-TREE"), "\(plans[1])")
        #expect(plans[2].contains("member_rfm_exit"), "\(plans[2])")
        #expect(plans[3].contains("member_rfm_exit"), "\(plans[3])")
    }
}
