import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// A shop of 40 members m01…m40 (tier 0), each with a first order on 2026-01-10; m01…m10 also bought
/// on 2026-05-10. With a campaign starting 2026-06-01 over 30 days, p₀ = 10/40 = 0.25 (all 40 first
/// bought before 2026-05-02, and 10 bought in [2026-05-02, 2026-06-01)).
struct CampaignShop {
    let t: TempStore
    var store: Store { t.store }
    static let start = Day.parse("2026-06-01")!

    init() throws {
        t = try TempStore()
        var members = "buyer_id,nick,name,phone\n"
        var orders = "order_id,buyer_id,paid_at,amount,status\n"
        for i in 1...40 {
            let b = String(format: "m%02d", i)
            members += "\(b),昵称\(i),名\(i),138000000\(String(format: "%02d", i))\n"
            orders += "\(i),\(b),2026-01-10 10:00:00,10,paid\n"
            if i <= 10 { orders += "\(100 + i),\(b),2026-05-10 10:00:00,10,paid\n" }
        }
        _ = try Importer(store: t.store).run(.members, path: try t.file("m.csv", members))
        _ = try Importer(store: t.store).run(.orders, path: try t.file("o.csv", orders))
    }

    func ids() throws -> [String: Int64] {
        try store.pool.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT buyer_id, id FROM member").map { ($0[0] as String, $0[1] as Int64) })
        }
    }

    func cleanup() { t.cleanup() }
}

@Suite("Campaign store")
struct CampaignStoreTests {
    let today = CampaignShop.start

    @Test("create freezes the target without blacklisted members, splits it by the seed, tags the treatment and audits")
    func create() throws {
        let shop = try CampaignShop(); defer { shop.cleanup() }
        let ids = try shop.ids()
        try shop.store.pool.write { try $0.execute(sql: "UPDATE member SET status = 'blacklist' WHERE buyer_id = 'm40'") }
        let made = try CampaignService(store: shop.store).create(CampaignDraft(name: "六月唤醒", start: CampaignShop.start), target: [.tier(0)], seed: 42, today: today)
        // 39 members; control = round(0.1 × 39 = 3.9) = 4; treatment 35.
        #expect(made.info.targetSize == 39 && made.info.controlSize == 4 && made.info.treatmentSize == 35)
        #expect(made.blacklistedLeftOut == 1)
        #expect(made.info.baseRate == 0.25)
        // 2.80·√(0.25·0.75·(1/35 + 1/4)) = 2.80·√(0.1875·0.2785714) = 2.80·0.2285421 = 0.6399
        #expect(abs(made.minDetectableUplift - 0.639918) < 1e-5 && made.warnsDetectable)
        let (_, members) = try CampaignService(store: shop.store).members("六月唤醒")
        let target = ids.filter { $0.key != "m40" }.values.sorted()
        #expect(members.map(\.memberId) == target)
        let expected = CampaignAssignment.assign(count: target.count, holdoutBasisPoints: 1_000, seed: 42)
        #expect(members.map(\.group) == expected)
        let tagged = try shop.store.pool.read {
            try Int64.fetchAll($0, sql: "SELECT mt.member_id FROM member_tag mt JOIN tag t ON t.id = mt.tag_id WHERE t.name = '活动:六月唤醒' ORDER BY 1")
        }
        #expect(tagged == members.filter { $0.group == .treatment }.map(\.memberId))
        let audit = try shop.store.pool.read { try Audit.recent($0) }.filter { $0.action == "campaign.create" }
        #expect(audit.count == 1 && audit[0].target == "六月唤醒")
    }

    @Test("the same target and seed give the same groups in another store; another seed others")
    func reproducible() throws {
        let a = try CampaignShop(); defer { a.cleanup() }
        let b = try CampaignShop(); defer { b.cleanup() }
        for (shop, name, seed) in [(a, "x", UInt64(7)), (b, "x", 7), (b, "y", 8)] {
            _ = try CampaignService(store: shop.store).create(CampaignDraft(name: name, holdoutBasisPoints: 5_000, start: CampaignShop.start),
                                                              target: [.tier(0)], seed: seed, today: today)
        }
        let ga = try CampaignService(store: a.store).members("x").members.map(\.group)
        let gb = try CampaignService(store: b.store).members("x").members.map(\.group)
        let gy = try CampaignService(store: b.store).members("y").members.map(\.group)
        #expect(ga == gb)
        #expect(ga != gy)
    }

    @Test("outcome counts paid orders in [start, start + window) only, per group")
    func outcome() throws {
        let shop = try CampaignShop(); defer { shop.cleanup() }
        let svc = CampaignService(store: shop.store)
        _ = try svc.create(CampaignDraft(name: "c", holdoutBasisPoints: 5_000, start: CampaignShop.start, windowDays: 30), target: [.tier(0)], seed: 1, today: today)
        let members = try svc.members("c").members
        let t = members.filter { $0.group == .treatment }.map(\.buyerId), c = members.filter { $0.group == .control }.map(\.buyerId)
        #expect(t.count == 20 && c.count == 20)
        // Treatment: t0 pays ¥10 on the start day and ¥5 on the last day (2026-06-30), t1 ¥20 on day 2;
        // t2 paid the day before, t3 the day after the window, t4 a refunded order: none of them respond.
        // Control: c0 pays ¥0 (a gift still responds) on 2026-06-10.
        let orders = """
            order_id,buyer_id,paid_at,amount,status
            1001,\(t[0]),2026-06-01 00:00:00,10,paid
            1002,\(t[0]),2026-06-30 23:59:59,5,paid
            1003,\(t[1]),2026-06-03 09:00:00,20,paid
            1004,\(t[2]),2026-05-31 23:59:59,99,paid
            1005,\(t[3]),2026-07-01 00:00:00,99,paid
            1006,\(t[4]),2026-06-05 10:00:00,99,refunded
            1007,\(c[0]),2026-06-10 10:00:00,0,paid
            """
        _ = try Importer(store: shop.store).run(.orders, path: try shop.t.file("late.csv", orders))
        // The target stays frozen: new orders (and new RFM facts) change no one's group.
        #expect(try svc.members("c").members == members)
        let r = try svc.report("c", today: Day.parse("2026-06-03")!)
        #expect(r.running)
        // t: x = 2 of 20, R = 3,500 fen; c: x = 1 of 20, R = 0.
        #expect(r.treatment.members == 20 && r.treatment.responders == 2 && r.treatment.revenue == 3_500)
        #expect(r.control.members == 20 && r.control.responders == 1 && r.control.revenue == 0)
        #expect(abs(r.effect.uplift - 0.05) < 1e-12)                          // 2/20 − 1/20
        #expect(abs(r.effect.incrementalRevenue - 3_500) < 1e-9)              // (175 − 0)·20
        // Days so far: 06-01 (t0) → 1/20 − 0; 06-02 the same; 06-03 (t1) → 2/20.
        #expect(r.daily.count == 3 && abs(r.daily[0] - 0.05) < 1e-12 && abs(r.daily[2] - 0.1) < 1e-12)
        #expect(Set(try shop.store.pool.read { db in try r.treatmentResponders.map { try String.fetchOne(db, sql: "SELECT buyer_id FROM member WHERE id = ?", arguments: [$0])! } }) == [t[0], t[1]])
        let later = try svc.report("c", today: Day.parse("2026-07-01")!)
        #expect(!later.running && later.daily.count == 30)
        // The headline is remembered for the list.
        #expect(try svc.list().first?.headlineUplift != nil)
    }

    @Test("segment targets are taken as of the day before the start; too small a target is refused")
    func segmentAsOfDayBefore() throws {
        let shop = try TagShop(); defer { shop.cleanup() }
        let svc = CampaignService(store: shop.store)
        let start = Day.parse("2026-07-01")!
        // As of 2026-06-30, general_winback = {b, c}; important_value = {a} alone (control round(0.1) = 0).
        #expect(throws: StoreError.self) {
            try svc.create(CampaignDraft(name: "one", start: start), target: [.segment(.importantValue)], seed: 1, today: start)
        }
        let made = try svc.create(CampaignDraft(name: "two", holdoutBasisPoints: 5_000, start: start), target: [.segment(.generalWinback)], seed: 1, today: start)
        #expect(made.info.targetSize == 2 && made.info.controlSize == 1)
        #expect(try shop.buyers(svc.members("two").members.map(\.memberId)) == ["b", "c"])
    }

    @Test("bad input is one line; duplicate names, empty targets and staff are refused")
    func refusals() throws {
        let shop = try CampaignShop(); defer { shop.cleanup() }
        let svc = CampaignService(store: shop.store)
        _ = try svc.create(CampaignDraft(name: "a", start: CampaignShop.start), target: [.tier(0)], seed: 1, today: today)
        func refusal(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch let e as StoreError { return e.description } catch { return "\(error)" }
        }
        let dup = refusal { _ = try svc.create(CampaignDraft(name: "a", start: CampaignShop.start), target: [.tier(0)], seed: 1, today: today) }
        #expect(dup?.contains("already exists") == true)
        let empty = refusal { _ = try svc.create(CampaignDraft(name: "b", start: CampaignShop.start), target: [.tier(3)], seed: 1, today: today) }
        #expect(empty?.contains("empty") == true)
        let late = refusal { _ = try svc.create(CampaignDraft(name: "b", start: CampaignShop.start.adding(days: 2)), target: [.tier(0)], seed: 1, today: today) }
        #expect(late?.contains("tomorrow") == true)
        for m in [dup, empty, late] { #expect(m.map { !$0.contains("\n") && !$0.contains("SQLite") } == true) }
        // Nothing of a refused campaign is left behind.
        #expect(try svc.list().map(\.name) == ["a"])
        #expect(try shop.store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM tag WHERE name LIKE '活动:%'") } == 1)
        try shop.store.pool.write { try Operators.add($0, user: "staff1", role: "staff", by: "owner1") }
        let staff = CampaignService(store: try Store(path: shop.t.path, operatorName: "staff1"))
        #expect(throws: StoreError.self) { try staff.create(CampaignDraft(name: "s", start: CampaignShop.start), target: [.tier(0)], seed: 1, today: today) }
        #expect(throws: StoreError.self) { try staff.close("a") }
        #expect(try staff.list().count == 1)
        _ = try staff.report("a", today: today)
    }

    @Test("overlap counts members in another running campaign; close stops a campaign counting")
    func overlapAndClose() throws {
        let shop = try CampaignShop(); defer { shop.cleanup() }
        let svc = CampaignService(store: shop.store)
        try shop.store.pool.write { db in
            try db.execute(sql: "INSERT INTO tag(name, created_at, created_by) VALUES ('vip', '', '')")
            try db.execute(sql: "INSERT INTO member_tag(tag_id, member_id) SELECT (SELECT id FROM tag WHERE name = 'vip'), id FROM member WHERE buyer_id <= 'm20'")
        }
        _ = try svc.create(CampaignDraft(name: "all", start: CampaignShop.start), target: [.tier(0)], seed: 1, today: today)
        _ = try svc.create(CampaignDraft(name: "vip", start: CampaignShop.start), target: [.tags(["vip"], .all), .tier(0)], seed: 1, today: today)
        #expect(try svc.report("vip", today: today).overlap == 20)
        #expect(try svc.report("all", today: today).overlap == 20)
        try svc.close("vip")
        #expect(try svc.report("all", today: today).overlap == 0)
        #expect(try svc.list().first { $0.name == "vip" }?.status(today: today) == .closed)
        #expect(throws: StoreError.self) { try svc.close("vip") }
        #expect(try shop.store.pool.read { try Audit.recent($0) }.contains { $0.action == "campaign.close" && $0.target == "vip" })
    }

    @Test("the send list is the treatment group with masked phones, audited with the phone rule")
    func exportTreatment() throws {
        let shop = try CampaignShop(); defer { shop.cleanup() }
        let svc = CampaignService(store: shop.store)
        _ = try svc.create(CampaignDraft(name: "e", start: CampaignShop.start), target: [.tier(0)], seed: 3, today: today)
        let path = shop.t.dir + "/send.csv"
        let (_, n) = try svc.exportTreatment("e", to: path, settings: RFMSettings(asOf: today), reveal: false)
        #expect(n == 36)  // 40 − round(4.0)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 37 && lines[0].hasPrefix("buyer_id,"))
        #expect(!lines.dropFirst().contains { $0.contains("13800000") })
        let treatment = Set(try svc.members("e").members.filter { $0.group == .treatment }.map(\.buyerId))
        #expect(Set(lines.dropFirst().map { String($0.split(separator: ",")[0]) }) == treatment)
        let audit = try shop.store.pool.read { try Audit.recent($0) }.filter { $0.action == "campaign.export" }
        #expect(audit.count == 1 && audit[0].after?.contains("masked") == true)
    }
}

/// Issue 20, 3: each user action is one transaction; what cannot be (a file, a best-effort
/// headline) is pinned here.
@Suite("Campaign transactions")
struct CampaignTransactionTests {
    let today = CampaignShop.start

    @Test("a headline that cannot be saved (store busy) neither fails nor delays the outcome; the next one is saved")
    func headlineSaveIsBestEffort() throws {
        let shop = try CampaignShop(); defer { shop.cleanup() }
        let svc = CampaignService(store: shop.store)
        _ = try svc.create(CampaignDraft(name: "h", start: CampaignShop.start), target: [.tier(0)], seed: 5, today: today)
        // Another ecrm holds the write lock while the outcome is shown.
        let other = try Store(path: shop.store.path, operatorName: "owner1")
        try other.pool.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            let began = Date()
            let r = try svc.report("h", today: today)
            #expect(Date().timeIntervalSince(began) < 2, "the headline save must not wait for the lock")
            #expect(r.treatment.members == 36)
            try db.execute(sql: "ROLLBACK")
        }
        #expect(try svc.list().first?.headlineUplift == nil)
        let r = try svc.report("h", today: today)
        #expect(try svc.list().first?.headlineUplift == r.effect.uplift)
    }

    @Test("a send list whose audit row cannot be written is removed (nothing leaves unlogged)")
    func exportWithoutAuditLeavesNoFile() throws {
        let shop = try CampaignShop(); defer { shop.cleanup() }
        let path = shop.t.dir + "/unlogged.csv"
        #expect(throws: StoreError.self) {
            _ = try Exporter(store: shop.store).export(to: path, settings: RFMSettings(asOf: today), set: .all, reveal: false,
                                                       encoding: .utf8, headers: .keys) { _, _ in throw StoreError.invalid("audit failed") }
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("staff asking for clear phones is refused before any file exists, and the refusal is audited; masked is theirs")
    func staffExport() throws {
        let shop = try CampaignShop(); defer { shop.cleanup() }
        let svc = CampaignService(store: shop.store)
        _ = try svc.create(CampaignDraft(name: "s", start: CampaignShop.start), target: [.tier(0)], seed: 5, today: today)
        try shop.store.pool.write { try Operators.add($0, user: "bob", role: "staff", by: "owner1") }
        let staff = CampaignService(store: try Store(path: shop.store.path, operatorName: "bob"))
        let path = shop.t.dir + "/clear.csv"
        #expect(throws: StoreError.self) { _ = try staff.exportTreatment("s", to: path, settings: RFMSettings(asOf: today), reveal: true) }
        #expect(!FileManager.default.fileExists(atPath: path))
        let audit = try shop.store.pool.read { try Audit.recent($0) }
        #expect(audit.contains { $0.operatorName == "bob" && $0.action == "refused" && $0.target.contains("clear phone") })
        #expect(try staff.exportTreatment("s", to: path, settings: RFMSettings(asOf: today), reveal: false).written == 36)
        let rows = try shop.store.pool.read { try Audit.recent($0) }.filter { $0.action == "campaign.export" }
        #expect(rows.count == 1 && rows[0].operatorName == "bob" && rows[0].after?.contains("masked") == true)
        #expect(try shop.store.pool.read { try Audit.recent($0) }.filter { $0.action == "export" }.isEmpty, "one audit row per send list")
    }
}

@Suite("Campaign target as of the day before")
struct CampaignTargetDayTests {
    @Test("the stored RFM is used only when it is of the day before the start; the result is the same either way")
    func storedOrComputed() throws {
        let shop = try TagShop(); defer { shop.cleanup() }   // RFM stored as of 2026-06-30
        let svc = CampaignService(store: shop.store)
        let start = Day.parse("2026-07-01")!
        try shop.store.pool.read { db in
            let settings = try RFMEngine.loadConfig(db).settings(asOf: start.adding(days: -1))
            #expect(try CampaignTarget.storedComputationMatches(db, settings))
            #expect(try !CampaignTarget.storedComputationMatches(db, try RFMEngine.loadConfig(db).settings(asOf: start)))
        }
        // Stored path (as of 06-30) and computed path (stored moved to 07-15, so 06-30 is computed): same members.
        let a = try svc.create(CampaignDraft(name: "a", holdoutBasisPoints: 5_000, start: start), target: [.segment(.generalWinback)], seed: 1, today: start)
        try RFMEngine.recompute(shop.store, settings: RFMSettings(asOf: Day.parse("2026-07-15")!))
        let b = try svc.create(CampaignDraft(name: "b", holdoutBasisPoints: 5_000, start: start), target: [.segment(.generalWinback)], seed: 1, today: start)
        #expect(try svc.members("a").members.map(\.memberId) == svc.members("b").members.map(\.memberId))
        #expect(a.info.targetSize == 2 && b.info.targetSize == 2)
    }
}
