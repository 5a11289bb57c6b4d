import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// Issue 21 point 1: one permission check. Every public store write that does an owner-only action
/// refuses staff through the role table (`OperatorRole.can`), inside its transaction, in the
/// action's own words, audited, and leaves the store as it was.
@Suite struct StoreAccessTableTests {
    /// Owner-only actions no store call asks for by themselves: `manageOperators` names the operator
    /// table as a whole; the store's calls ask for `addOperators` and `removeOperators`.
    static let noStoreCall: Set<OperatorAction> = [.manageOperators]

    /// Each owner-only action with every public store write that does it, called as staff.
    static let writes: [(OperatorAction, String, @Sendable (Store, Shop) throws -> Void)] = [
        (.editTiers, "TierService.editDraft", { s, _ in try TierService.editDraft(s) { $0[1].discount = 990 } }),
        (.editTiers, "TierService.saveDraft", { s, _ in try TierService.saveDraft(s, .initial) }),
        (.editTiers, "TierService.discardDraft", { s, _ in try TierService.discardDraft(s) }),
        (.publishTiers, "TierService.publish", { s, _ in try TierService.publish(s, expectedLiveVersion: nil, confirmFloor: true) }),
        (.manualTierChange, "MemberTierAdmin.setTier", { s, _ in try MemberTierAdmin.setTier(s, member: "m01", to: 0, reason: "x") }),
        (.blacklist, "MemberTierAdmin.setBlacklist", { s, _ in try MemberTierAdmin.setBlacklist(s, member: "m01", on: true, reason: "x") }),
        (.clearExport, "Exporter.export reveal", { s, shop in
            _ = try Exporter(store: s).export(to: shop.out, settings: RFMSettings(asOf: Shop.day), reveal: true) }),
        (.clearExport, "ListExport.export reveal", { s, shop in
            _ = try ListExport.export(s, set: .tier(0), to: shop.out, settings: RFMSettings(asOf: Shop.day), reveal: true, encoding: .utf8) }),
        (.clearExport, "CampaignService.exportTreatment reveal", { s, shop in
            _ = try CampaignService(store: s).exportTreatment("c1", to: shop.out, settings: RFMSettings(asOf: Shop.day), reveal: true) }),
        (.deleteTag, "TagService.delete", { s, _ in try TagService(store: s).delete("VIP") }),
        (.renameTag, "TagService.rename", { s, _ in try TagService(store: s).rename("VIP", to: "贵宾") }),
        (.restoreTag, "TagService.restore", { s, _ in try TagService(store: s).restore("旧标签") }),
        (.createRuleTag, "TagService.create rule", { s, _ in try TagService(store: s).create("女客", rule: MemberRule(gender: "F")) }),
        (.changeTagRule, "TagService.setRule", { s, _ in try TagService(store: s).setRule("规则", rule: MemberRule(gender: "M")) }),
        (.changeTagRule, "TagService.setRule clear", { s, _ in try TagService(store: s).setRule("规则", rule: nil) }),
        (.evaluateRuleTags, "RuleTags.evaluateAll", { s, _ in try RuleTags.evaluateAll(s) }),
        (.customRFMEdges, "RFMEngine.saveSettings", { s, _ in try RFMEngine.saveSettings(s, RFMEngine.Config(windowDays: 90)) }),
        (.customRFMEdges, "RFMEngine.recompute saving", { s, _ in
            try RFMEngine.recompute(s, settings: RFMSettings(asOf: Shop.day), saving: RFMEngine.Config(windowDays: 90)) }),
        (.manageCampaigns, "CampaignService.create", { s, _ in
            _ = try CampaignService(store: s).create(CampaignDraft(name: "c2", start: Shop.day), target: [.tier(0)], seed: 2, today: Shop.day) }),
        (.manageCampaigns, "CampaignService.close", { s, _ in try CampaignService(store: s).close("c1") }),
        (.addOperators, "Store.addOperator", { s, _ in try s.addOperator("eve", role: "owner") }),
        (.removeOperators, "Store.removeOperator", { s, _ in try s.removeOperator("owner1") }),
        (.mergeMembers, "MergeService.preview", { s, _ in _ = try MergeService(store: s).preview(keep: "m01", other: "m02") }),
        (.mergeMembers, "MergeService.merge", { s, _ in try MergeService(store: s).merge(keep: "m01", other: "m02") }),
        (.unmergeMembers, "MergeService.unmerge", { s, _ in try MergeService(store: s).unmerge("m02") }),
        (.dismissDuplicate, "MergeService.dismiss", { s, _ in try MergeService(store: s).dismiss("m01", "m02") }),
    ]

    @Test("the table names a store write for every owner-only action (or says why there is none)")
    func everyOwnerOnlyActionHasAStoreWrite() {
        let ownerOnly = Set(OperatorAction.allCases.filter(\.isOwnerOnly))
        let covered = Set(Self.writes.map(\.0))
        #expect(covered.union(Self.noStoreCall) == ownerOnly, "missing: \(ownerOnly.subtracting(covered).subtracting(Self.noStoreCall))")
        #expect(covered.isDisjoint(with: Self.noStoreCall))
        #expect(!OperatorAction.allCases.filter { !$0.isOwnerOnly }.contains { covered.contains($0) })
    }

    @Test("staff are refused every owner-only store write, in the action's words, audited, nothing changed",
          arguments: 0..<writes.count)
    func staffRefused(_ i: Int) throws {
        let (action, name, call) = Self.writes[i]
        let shop = try Shop(); defer { shop.cleanup() }
        let clerk = try shop.staff()
        let before = try shop.fingerprint()
        let refusalsBefore = try shop.refusals().count
        var thrown: Error?
        do { try call(clerk, shop) } catch { thrown = error }
        let expected = PermissionRefusal(role: .staff, action: action)
        switch thrown {
        case TierServiceError.notPermitted(let r)?:
            #expect(r == expected, "\(name)")
            #expect(Store.Access.tierActions.contains(action), "\(name): a tier refusal for \(action)")
        case StoreError.permissionDenied(let m)?:
            #expect(m == StoreMessages.ownerOnly(action, user: "clerk"), "\(name): \(m)")
            #expect(m.contains(action.englishName) || m.contains(action.chineseName), "\(name): \(m)")
        default:
            Issue.record("\(name): staff not refused \(action.rawValue): \(String(describing: thrown))")
        }
        let after = try shop.fingerprint()
        #expect(after == before, "\(name) changed the store:\n\(before)\n---\n\(after)")
        #expect(!FileManager.default.fileExists(atPath: shop.out), "\(name) left a file")
        let refusals = try shop.refusals()
        #expect(refusals.count == refusalsBefore + 1, "\(name): \(refusals.count - refusalsBefore) refusals logged")
        #expect(refusals.first.map { $0.operatorName == "clerk" && $0.target.hasPrefix(action.englishName) } == true,
                "\(name): \(String(describing: refusals.first))")
    }

    @Test("the owner may do each of them (so a refusal above is the role's, not a broken call)", arguments: 0..<writes.count)
    func ownerAllowed(_ i: Int) throws {
        let (action, name, call) = Self.writes[i]
        let shop = try Shop(); defer { shop.cleanup() }
        do { try call(shop.store, shop) } catch TierServiceError.notPermitted(let r) {
            Issue.record("\(name): owner refused \(action.rawValue): \(r)")
        } catch StoreError.permissionDenied(let m) {
            Issue.record("\(name): owner refused \(action.rawValue): \(m)")
        } catch {
            // Other answers (nothing to publish, a rule problem) are not about the right.
        }
    }

    @Test("a user the store does not know is refused reads and writes alike, with the owner's command")
    func strangerRefused() throws {
        let shop = try Shop(); defer { shop.cleanup() }
        let stranger = try Store(path: shop.store.path, operatorName: "mallory")
        let calls: [(String, () throws -> Void)] = [
            ("search", { _ = try MemberSearch.search(stranger, "m01") }),
            ("tiers", { _ = try TierService.liveLadderAndCounts(stranger) }),
            ("audit", { _ = try Audit.recent(stranger) }),
            ("tag", { _ = try TagService(store: stranger).create("x") }),
            ("note", { try MemberActions.addNote(stranger, memberId: 1, body: "hi") }),
        ]
        for (name, call) in calls {
            #expect(throws: StoreError.permissionDenied(StoreMessages.notOperator("mallory", shop.store.path)), "\(name)") { try call() }
        }
    }

    /// 40 members, a plain tag, a rule tag, a deleted tag, a campaign; staff "clerk".
    struct Shop {
        static let day = CampaignShop.start
        let base: CampaignShop
        var store: Store { base.store }
        var out: String { base.t.dir + "/out.csv" }

        init() throws {
            base = try CampaignShop()
            let tags = TagService(store: base.store)
            try tags.create("VIP")
            try tags.add("VIP", memberId: 1)
            try tags.create("规则", rule: MemberRule(gender: "F"))
            try tags.create("旧标签")
            try tags.delete("旧标签")
            _ = try CampaignService(store: base.store).create(CampaignDraft(name: "c1", start: Self.day), target: [.tier(0)], seed: 1, today: Self.day)
        }

        func staff() throws -> Store {
            try base.store.addOperator("clerk", role: "staff")
            return try Store(path: base.store.path, operatorName: "clerk")
        }

        func cleanup() { base.cleanup() }

        /// Everything a refused write could have touched (the audit log aside).
        func fingerprint() throws -> String {
            var census = try StoreCensus.take(store)
            census.audit = 0
            let tagMembers = census.tagMembers.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            census.tagMembers = [:]
            return try store.pool.read { db in
                let parts: [String] = [
                    "\(census) \(tagMembers)",
                    try String.fetchAll(db, sql: "SELECT user || ':' || role FROM operator ORDER BY user").joined(separator: ","),
                    try String.fetchAll(db, sql: "SELECT name || ':' || coalesce(rule, '') FROM tag ORDER BY name").joined(separator: ","),
                    try String.fetchAll(db, sql: "SELECT name FROM tag_trash ORDER BY id").joined(separator: ","),
                    try String.fetchAll(db, sql: "SELECT name || ':' || status FROM campaign ORDER BY id").joined(separator: ","),
                    try String.fetchAll(db, sql: "SELECT key || '=' || value FROM setting WHERE key LIKE 'rfm.config%' OR key LIKE 'tier%' ORDER BY key").joined(separator: ","),
                    try String.fetchAll(db, sql: "SELECT buyer_id || ':' || tier || ':' || status FROM member ORDER BY id").joined(separator: ","),
                    try Row.fetchAll(db, sql: "SELECT * FROM tier_draft").map(\.description).joined(separator: ","),
                    "\(try Int.fetchOne(db, sql: "SELECT count(*) FROM member_note") ?? -1)",
                ]
                return parts.joined(separator: "\n")
            }
        }

        func refusals() throws -> [Audit.Entry] {
            try store.pool.read { try Audit.recent($0, limit: 10_000) }.filter { $0.action == "refused" }
        }
    }
}
