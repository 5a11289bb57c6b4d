import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

@Suite struct RFMEngineTests {
    /// Five buyers whose R, F, M are known by hand at as-of 2026-06-30.
    static let orders = """
        order_id,buyer_id,paid_at,amount,status
        1,a,2026-06-30 10:00:00,500,paid
        2,a,2026-06-01 10:00:00,500,paid
        3,a,2026-05-01 10:00:00,500,paid
        4,b,2026-06-20 10:00:00,50,paid
        5,c,2026-01-01 10:00:00,300,paid
        6,c,2026-02-01 10:00:00,300,paid
        7,d,2025-01-01 10:00:00,10,paid
        8,e,2026-06-29 10:00:00,20,refunded
        9,a,2026-07-15 10:00:00,999,paid
        """

    @Test func recomputeStoresMeasuresScoresAndSegments() throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try Importer(store: t.store).run(.orders, path: try t.file("o.csv", Self.orders))
        let asOf = Day.parse("2026-06-30")!
        let summary = try RFMEngine.recompute(t.store, settings: RFMSettings(asOf: asOf))
        #expect(summary.memberCount == 5)
        #expect(summary.scoredCount == 3)            // d is outside the 365-day window, e only refunded
        try t.store.pool.read { db in
            func row(_ buyer: String) throws -> Row {
                try #require(try Row.fetchOne(db, sql: "SELECT r.*, \(try StoredR.expr(db)) AS r FROM member_rfm r JOIN member m ON m.id = r.member_id WHERE m.buyer_id = ?", arguments: [buyer]), "no row for \(buyer)")
            }
            let a = try row("a")
            #expect(a["frequency"] as Int == 3)           // the order after as-of is ignored
            #expect(a["last_paid"] as String == "2026-06-30")
            #expect(a["monetary"] as Int64 == 150_000)
            #expect(a["segment"] as UInt8 == Segment.importantValue.code)
            // Quintiles over n = 3 (c, b, a ascending): scores 1, 2, 4; mean 7/3, so only a is high.
            #expect([a["r"], a["f"], a["m"]] as [Int] == [4, 4, 4])
            let b = try row("b")

            #expect([b["r"], b["f"], b["m"]] as [Int] == [2, 1, 1])
            #expect(b["segment"] as UInt8 == Segment.generalWinback.code)
            let c = try row("c")

            #expect([c["r"], c["f"], c["m"]] as [Int] == [1, 2, 2])
            #expect(c["segment"] as UInt8 == Segment.generalWinback.code)
            let d = try row("d")
            #expect(d["frequency"] as Int == 0 && d["segment"] as UInt8 == Segment.none.code)
            #expect(d["lifecycle"] as UInt8 == Lifecycle.lost.code)
            let e = try row("e")
            #expect(e["lifecycle"] as UInt8 == Lifecycle.none.code)
        }
        // R in days from the last paid order on or before as-of, by hand: a same day 0, b 06-20 → 10,
        // c 02-01 → 149 (28 + 31 + 30 + 31 + 29 days to 06-30), d 2025-01-01 → 545 (364 + 181); e never paid.
        let c = try t.store.pool.read { try RFMEngine.compute($0, settings: RFMSettings(asOf: asOf)) }
        #expect(c.measures.compactMap(\.recencyDays).sorted() == [0, 10, 149, 545])
        // Means over the three scored (a 4,4,4; b 2,1,1; c 1,2,2): R 7/3, F 7/3, M 7/3.
        #expect(c.scoring.scoredCount == 3)
        #expect(abs(c.scoring.meanR - 7.0 / 3) < 1e-9 && abs(c.scoring.meanF - 7.0 / 3) < 1e-9 && abs(c.scoring.meanM - 7.0 / 3) < 1e-9)
    }

    @Test func aSecondRecomputeRewritesOnlyWhatChanged() throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try Importer(store: t.store).run(.orders, path: try t.file("o.csv", Self.orders))
        let asOf = Day.parse("2026-06-30")!
        try RFMEngine.recompute(t.store, settings: RFMSettings(asOf: asOf))
        _ = try Importer(store: t.store).run(.orders, path: try t.file("o2.csv", "order_id,buyer_id,paid_at,amount\n20,b,2026-06-25 09:00:00,5000\n21,zz,2026-06-01 09:00:00,1\n"))
        let summary = try RFMEngine.recompute(t.store, settings: RFMSettings(asOf: asOf))
        try t.store.pool.read { db in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM member_rfm") == 6)
            let b = try #require(try Row.fetchOne(db, sql: "SELECT r.frequency, r.monetary FROM member_rfm r JOIN member m ON m.id = r.member_id WHERE m.buyer_id = 'b'"))
            #expect(b[0] as Int == 2 && b[1] as Int64 == 505_000)
            #expect(try RFMEngine.lastSummary(db) == summary)
        }
    }

    /// Whatever the path (in-place diff for a few changes, full rewrite when most rows change), the
    /// stored rows equal a fresh computation and the three list indexes are there.
    @Test func storedResultsMatchAFreshComputationOnBothWritePaths() throws {
        let t = try TempStore(); defer { t.cleanup() }
        var orders = "order_id,buyer_id,paid_at,amount\n"
        for i in 0..<40 { orders += "\(i + 1),m\(i),2026-0\(1 + i % 6)-1\(i % 10) 10:00:00,\(10 + i * 3)\n" }
        _ = try Importer(store: t.store).run(.orders, path: try t.file("o.csv", orders))
        let asOf = Day.parse("2026-06-30")!
        try RFMEngine.recompute(t.store, settings: RFMSettings(asOf: asOf))
        func check() throws {
            try t.store.pool.read { db in
                let c = try RFMEngine.compute(db, settings: RFMSettings(asOf: asOf))
                let stored = try Row.fetchAll(db, sql: "SELECT member_id, frequency, monetary, \(try StoredR.expr(db, "member_rfm")) AS r, f, m, segment, lifecycle FROM member_rfm ORDER BY member_id")
                #expect(stored.map { $0["member_id"] as Int64 } == c.ids)
                for (k, row) in stored.enumerated() {
                    let sc = c.scoring.scores[k]
                    let got: [Int] = ["frequency", "r", "f", "m", "segment", "lifecycle"].map { row[$0] }
                    let want: [Int] = [c.measures[k].frequency, Int(sc.r), Int(sc.f), Int(sc.m), Int(sc.segment.code), Int(c.lifecycles[k].code)]
                    #expect(got == want)
                    #expect(row["monetary"] as Int64 == c.measures[k].monetary)
                }
                let indexes = try String.fetchAll(db, sql: "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'member_rfm' ORDER BY name")
                #expect(indexes == ["member_rfm_cell", "member_rfm_exit", "member_rfm_lifecycle", "member_rfm_money", "member_rfm_segment"])
            }
        }
        /// m3's stored frequency, monetary (fen) and days since its last order.
        func m3() throws -> [Int64] {
            try t.store.pool.read { db in
                let row = try #require(try Row.fetchOne(db, sql: "SELECT r.frequency, r.monetary, r.last_paid FROM member_rfm r JOIN member m ON m.id = r.member_id WHERE m.buyer_id = 'm3'"))
                let last = try #require(Day.parse(row[2] as String))
                return [row[0], row[1], Int64(asOf - last)]
            }
        }
        // By hand: m3's one order is 2026-04-13 (month 1 + 3 % 6, day 1(3 % 10)), 10 + 3·3 = 19 yuan: 78 days before as-of.
        #expect(try m3() == [1, 1_900, 78])
        // One new order for one member: a few rows change (the diff path).
        _ = try Importer(store: t.store).run(.orders, path: try t.file("o2.csv", "order_id,buyer_id,paid_at,amount\n100,m3,2026-06-29 09:00:00,1\n"))
        try RFMEngine.recompute(t.store, settings: RFMSettings(asOf: asOf))
        try check()
        #expect(try m3() == [2, 2_000, 1])            // + 1 yuan on 06-29
        // A big order for everyone: every row changes (the rewrite path).
        var more = "order_id,buyer_id,paid_at,amount\n"
        for i in 0..<40 { more += "\(200 + i),m\(i),2026-06-2\(i % 10) 10:00:00,\(1000 - i * 7)\n" }
        _ = try Importer(store: t.store).run(.orders, path: try t.file("o3.csv", more))
        try RFMEngine.recompute(t.store, settings: RFMSettings(asOf: asOf))
        try check()
        #expect(try m3() == [3, 2_000 + 97_900, 1])   // + 1000 − 3·7 = 979 yuan on 06-23; last still 06-29
    }

    /// `ecrm import` recomputes RFM inside the import's own transaction, with the saved settings.
    @Test func anImportCanRecomputeRFMInItsOwnTransaction() throws {
        let t = try TempStore(); defer { t.cleanup() }
        var importer = Importer(store: t.store)
        importer.recomputeRFMAsOf = Day.parse("2026-06-30")!
        let report = try importer.run(.orders, path: try t.file("o.csv", Self.orders))
        #expect(report.phases.contains("rfm="))
        try t.store.pool.read { db in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM member_rfm") == 5)
            let summary = try RFMEngine.lastSummary(db)
            #expect(summary?.memberCount == 5 && summary?.scoredCount == 3)
        }
    }

    @Test func windowAllAndReplayChangeTheAnswer() throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try Importer(store: t.store).run(.orders, path: try t.file("o.csv", Self.orders))
        let all = try RFMEngine.recompute(t.store, settings: RFMSettings(asOf: Day.parse("2026-06-30")!, windowDays: nil))
        #expect(all.scoredCount == 4)                // d counts with no window
        let early = try RFMEngine.recompute(t.store, settings: RFMSettings(asOf: Day.parse("2025-06-30")!))
        #expect(early.scoredCount == 1)              // only d had bought by then
        #expect(early.lifecycle[.none] == 4)
    }
}

@Suite struct ExportTests {
    @Test func exportWritesThePRODUCTColumnsAndMasksPhones() throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try Importer(store: t.store).run(.members, path: try t.file("m.csv", "buyer_id,nick,name,phone,province,city\na,\"Amy, 娜\",李娜,13812345678,浙江,杭州\nb,bob,,,,\n"))
        _ = try Importer(store: t.store).run(.orders, path: try t.file("o.csv", RFMEngineTests.orders))
        try t.store.pool.write { db in
            try db.execute(sql: "INSERT INTO tag(name, created_at, created_by) VALUES ('老客户', '', 'x'), ('直播', '', 'x')")
            try db.execute(sql: "INSERT INTO member_tag(tag_id, member_id) SELECT t.id, m.id FROM tag t, member m WHERE m.buyer_id = 'a'")
        }
        let out = t.dir + "/export.csv"
        let settings = RFMSettings(asOf: Day.parse("2026-06-30")!)
        let n = try Exporter(store: t.store).export(to: out, settings: settings, reveal: false)
        #expect(n == 5)   // a and b from members.csv; c, d, e created by their orders
        let text = try String(contentsOfFile: out, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == Exporter.columns.joined(separator: ","))
        #expect(lines[1] == "a,\"Amy, 娜\",李娜,138****5678,浙江,杭州,0,0,3,1500.00,4,4,4,important_value,active,直播|老客户,taobao")
        #expect(!text.contains("13812345678"))
        let filtered = try Exporter(store: t.store).export(to: out, settings: settings, set: .segment(.importantValue), reveal: false)
        #expect(filtered == 1)
        let byTag = try Exporter(store: t.store).export(to: out, settings: settings, set: .tags(["直播"], .any), reveal: false)
        #expect(byTag == 1)
    }

    @Test func clearExportIsOwnerOnlyAndAudited() throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try Importer(store: t.store).run(.members, path: try t.file("m.csv", "buyer_id,phone\na,13812345678\n"))
        let out = t.dir + "/clear.csv"
        let n = try Exporter(store: t.store).export(to: out, settings: RFMSettings(asOf: Day.parse("2026-06-30")!), reveal: true)
        #expect(n == 1)
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("13812345678"))
        let audit = try t.store.pool.read { try Audit.recent($0) }
        #expect(audit.first?.action == "export.clear")
        #expect(audit.first?.operatorName == "owner1")
        // A staff operator is refused.
        try t.store.pool.write { try Operators.add($0, user: "clerk", role: "staff", by: "owner1") }
        let staff = try Store(path: t.path, operatorName: "clerk")
        #expect(throws: StoreError.self) {
            _ = try Exporter(store: staff).export(to: out, settings: RFMSettings(asOf: Day.parse("2026-06-30")!), reveal: true)
        }
    }
}

@Suite struct StoreTests {
    @Test func creatorIsOwnerAndStrangersAreRefusedWithInstructions() throws {
        let t = try TempStore(); defer { t.cleanup() }
        #expect(try t.store.requireRole() == "owner")
        let stranger = try Store(path: t.path, operatorName: "mallory")
        do {
            _ = try stranger.requireRole()
            Issue.record("a stranger was let in")
        } catch let e as StoreError {
            #expect(e.description.contains("ecrm operators add mallory"))
        }
    }

    @Test func aMissingStoreSaysHowToCreateOne() throws {
        #expect(throws: StoreError.self) { _ = try Store(path: "/tmp/does-not-exist-\(UUID().uuidString)/x.sqlite") }
    }

    @Test func filesAreNotWorldReadable() throws {
        let t = try TempStore(); defer { t.cleanup() }
        let attrs = try FileManager.default.attributesOfItem(atPath: t.path)
        let mode = try #require(attrs[.posixPermissions] as? NSNumber).intValue
        #expect(mode & 0o007 == 0)
        #expect(mode & 0o060 == 0o060, "the store's operators share its group and must be able to write")
    }

    @Test func aLockedStoreIsAClearErrorAndLosesNothing() throws {
        let t = try TempStore(); defer { t.cleanup() }
        let impatient = try Store(path: t.path, operatorName: "owner1", busyTimeout: 0.3)
        // Another connection holds the write lock for a while, as a long import in another session would.
        let blocker = try DatabaseQueue(path: t.path)
        let locked = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            do {
                try blocker.inTransaction(.immediate) { _ in
                    locked.signal()
                    release.wait()
                    return .commit
                }
            } catch {
                Issue.record("the blocking connection could not take the write lock: \(error)")
                locked.signal()
            }
            finished.signal()
        }
        locked.wait()
        do {
            _ = try Importer(store: impatient).run(.members, path: try t.file("m.csv", "buyer_id\nz1\n"))
            Issue.record("import went through a held write lock")
        } catch let e as StoreError {
            #expect(e == .locked(path: t.path))
            #expect(e.description.contains("try again"))
        }
        release.signal()
        finished.wait()
        // Nothing was half-written, and the same import succeeds once the lock is gone.
        #expect(try impatient.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM member") } == 0)
        let r = try Importer(store: impatient).run(.members, path: try t.file("m.csv", "buyer_id\nz1\n"))
        #expect(r.added == 1)
    }

    @Test func demoIsDeterministicPerSeed() throws {
        func fingerprint(seed: UInt64) throws -> [String] {
            let t = try TempStore(); defer { t.cleanup() }
            let end = Day.parse("2026-11-20")!
            let r = try DemoShop(members: 300, seed: seed, endDay: end).generate(into: t.store)
            #expect(r.members == 300 && r.orders == 1500)
            return try t.store.pool.read { db in
                try String.fetchAll(db, sql: "SELECT m.buyer_id || m.nick || m.phone || coalesce(s.paid_sum, 0) || m.tier FROM member m LEFT JOIN member_stats s ON s.member_id = m.id ORDER BY m.id LIMIT 50")
            }
        }
        let a = try fingerprint(seed: 7), b = try fingerprint(seed: 7), c = try fingerprint(seed: 8)
        #expect(a == b)
        #expect(a != c)
    }

    @Test func demoShopHasTheRealisticParts() throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try DemoShop(members: 2000, seed: 3, endDay: Day.parse("2026-11-20")!).generate(into: t.store)
        try t.store.pool.read { db in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM orders WHERE status = 'refunded'") ?? 0 > 0)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM orders WHERE status = 'closed'") ?? 0 > 0)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM member_tag") ?? 0 > 0)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM member WHERE status = 'blacklist'") ?? 0 > 0)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM member WHERE tier > 0") ?? 0 > 0)
            #expect(try TierStore.liveLadder(db)?.levels.allSatisfy(\.enabled) == true)
            // Blacklisted members are never upgraded.
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM member WHERE status = 'blacklist' AND tier > 0") == 0)
            // Orders span about three years before the end day.
            let first = try #require(try String.fetchOne(db, sql: "SELECT min(paid_at) FROM orders"))
            #expect(first.hasPrefix("2023") || first.hasPrefix("2024"))
        }
    }
}
