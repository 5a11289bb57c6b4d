import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// Issue 16 at the store: phones leave masked unless revealed (and audited), a masked phone never
/// replaces a clear one, a deleted tag can be restored, and every change and refusal is audited.
@Suite struct PrivacyAuditTests {
    @Test func phonesLeaveTheStoreMaskedAndRevealsAreCountedAndAudited() throws {
        let shop = try TagShop(recompute: false); defer { shop.cleanup() }
        let hits = try shop.store.pool.read { try MemberSearch.search($0, "阿", limit: 100) }
        #expect(hits.count == 5 && hits.allSatisfy { $0.phone.contains("****") })
        let a = try shop.id("a")
        let card = try shop.store.pool.read { try MemberQueries.detail($0, id: a) }
        #expect(card?.summary.phone == "138****0001")
        let staff = try shop.session("clerk", role: "staff")
        let ids = hits.map(\.id)
        #expect(throws: StoreError.self) { try MemberActions.revealPhones(staff, memberIds: ids, reason: "核对", context: "search") }
        #expect(throws: StoreError.self) { try MemberActions.revealPhones(staff, memberIds: [ids[0]], reason: " ", context: "show") }
        let one = try MemberActions.revealPhones(staff, memberIds: [try shop.id("a")], reason: "核对收货", context: "show")
        #expect(one.values.first == "13800000001")
        let all = try MemberActions.revealPhones(shop.store, memberIds: ids, reason: nil, context: "search '阿'")
        #expect(all.count == 5)
        let reveals = try shop.audit("phone.reveal")
        #expect(reveals.map(\.after) == ["5 numbers shown", "1 numbers shown"])
        #expect(reveals.last?.reason == "核对收货" && reveals.last?.operatorName == "clerk")
        #expect(try shop.audit("refused").contains { $0.operatorName == "clerk" && $0.target.hasPrefix("reveal phones in bulk") })
    }

    @Test func aMaskedPhoneNeverOverwritesAClearOneAndStaysAHint() throws {
        let shop = try TagShop(recompute: false); defer { shop.cleanup() }
        let r = try Importer(store: shop.store).run(.members, path: try shop.t.file("rt.csv", """
            buyer_id,nick,phone
            a,阿甲,138****0001
            b,阿乙,138****9999
            f,新人,139****4321
            """))
        #expect(r.updated == 0 && r.added == 1)
        let phones = try shop.store.pool.read { try String.fetchAll($0, sql: "SELECT phone FROM member WHERE buyer_id IN ('a','b','f') ORDER BY buyer_id") }
        #expect(phones == ["13800000001", "13800000002", "139****4321"])
        let hits = try shop.store.pool.read { try MemberSearch.search($0, "4321", limit: 10) }
        #expect(hits.map(\.buyerId) == ["f"] && hits.first?.phone == "139****4321")
        // A clear number replaces the hint.
        _ = try Importer(store: shop.store).run(.members, path: try shop.t.file("clear.csv", "buyer_id,phone\nf,13900004321\n"))
        #expect(try shop.store.pool.read { try String.fetchOne($0, sql: "SELECT phone FROM member WHERE buyer_id = 'f'") } == "13900004321")
    }

    @Test func aDeletedTagIsRestoredWithItsMembersOnce() throws {
        let shop = try TagShop(recompute: false); defer { shop.cleanup() }
        let tags = TagService(store: shop.store)
        try tags.create("百人")
        for b in ["a", "b", "c"] { try tags.add("百人", memberId: try shop.id(b)) }
        #expect(try tags.delete("百人") == 3)
        #expect(try shop.holders("百人").isEmpty)
        let staff = TagService(store: try shop.session("clerk", role: "staff"))
        #expect(throws: StoreError.self) { try staff.restore("百人") }
        #expect(try tags.restore("百人") == 3)
        #expect(try shop.holders("百人") == ["a", "b", "c"])
        #expect(throws: StoreError.self) { try tags.restore("百人") }      // restored once
        #expect(try shop.audit("tag.restore").first?.after == "3 members")
    }

    @Test func importsSettingsDraftsExportsAndRefusalsAreAudited() throws {
        let shop = try TagShop(recompute: false); defer { shop.cleanup() }
        #expect(try shop.audit("import.members").first?.after == "5 added, 0 updated, 0 rejected")
        #expect(try shop.audit("import.orders").count == 1)
        var config = try shop.store.pool.read { try RFMEngine.loadConfig($0) }
        config.windowDays = 90
        try RFMEngine.saveSettings(shop.store, config)
        #expect(try shop.audit("rfm.settings").count == 1)
        try TierService.editDraft(shop.store) { $0.levels[0].enabled = true }
        #expect(try shop.audit("tiers.draft").count == 1)
        let out = shop.t.dir + "/out.csv"
        _ = try Exporter(store: shop.store).export(to: out, settings: RFMSettings(asOf: TagShop.asOf), reveal: false)
        #expect(try shop.audit("export").first?.after == "5 members, phones masked")
        // Staff attempts: each refused, each in the log though its transaction rolled back.
        let clerk = try shop.session("clerk", role: "staff")
        let before = try shop.audit("refused").count
        #expect(throws: (any Error).self) { try RFMEngine.saveSettings(clerk, config) }
        #expect(throws: (any Error).self) { try TierService.editDraft(clerk) { $0.levels[1].enabled = true } }
        #expect(throws: (any Error).self) { try TierService.discardDraft(clerk) }
        #expect(throws: (any Error).self) { try MemberTierAdmin.setTier(clerk, member: "a", to: 2, reason: "x") }
        #expect(throws: (any Error).self) { try MemberTierAdmin.setBlacklist(clerk, member: "a", on: true, reason: "x") }
        #expect(throws: (any Error).self) { try TagService(store: clerk).delete("nope") }
        #expect(throws: (any Error).self) { try TagService(store: clerk).rename("nope", to: "x") }
        #expect(throws: (any Error).self) {
            try Exporter(store: clerk).export(to: out, settings: RFMSettings(asOf: TagShop.asOf), reveal: true)
        }
        #expect(try shop.audit("refused").count == before + 8)
    }

    @Test func theSharedStoresAuditIsAppendOnly() throws {
        let t = try TempStore(); defer { t.cleanup() }
        try t.store.pool.write { try $0.execute(sql: Schema.appendOnlyAudit) }
        try t.store.pool.write { try Audit.record($0, operator: "x", action: "a", target: "t", before: nil, after: nil, reason: nil) }
        #expect(throws: (any Error).self) { try t.store.pool.write { try $0.execute(sql: "DELETE FROM audit") } }
        #expect(throws: (any Error).self) { try t.store.pool.write { try $0.execute(sql: "UPDATE audit SET operator = 'y'") } }
    }
}
