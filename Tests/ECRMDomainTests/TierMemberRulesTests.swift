import Testing
@testable import ECRMDomain

/// One member's level: upgrade-only recompute, blacklist, by-hand changes (PRODUCT.md: Tiers).
@Suite("Tier rules: members")
struct TierMemberRulesTests {
    let ladder = standardLadder()

    @Test("autoUpgrade never lowers a level, and never moves a blacklisted member",
          arguments: [
              (0, 2, false, 2), (1, 3, false, 3), (3, 1, false, 3), (2, 2, false, 2), (4, 0, false, 4),
              (1, 4, true, 1), (0, 3, true, 0), (4, 0, true, 4),
          ])
    func autoUpgrade(current: Int, qualifying: Int, blacklisted: Bool, expected: Int) {
        #expect(TierRules.autoUpgrade(current: current, qualifying: qualifying, blacklisted: blacklisted) == expected)
    }

    @Test("effective discount: the tier's per-mille; 1000 when blacklisted, at level 0 or at a disabled level",
          arguments: [(0, false, 1000), (1, false, 980), (3, false, 880), (3, true, 1000), (1, true, 1000), (4, false, 1000)])
    func effectiveDiscount(level: Int, blacklisted: Bool, expected: Int) {
        #expect(TierRules.effectiveDiscount(level: level, blacklisted: blacklisted, ladder: ladder) == expected)
    }

    func change(_ from: Int, _ to: Int, role: OperatorRole = .owner, reason: String = "", blacklisted: Bool = false)
        -> Result<ManualTierChange, ManualTierChangeError> {
        TierRules.manualChange(from: from, to: to, role: role, reason: reason, blacklisted: blacklisted, ladder: ladder)
    }

    @Test("only the owner changes a level by hand")
    func ownerOnly() {
        let r = change(1, 2, role: .staff, reason: "VIP客户")
        #expect(r == .failure(.notPermitted(PermissionRefusal(role: .staff, action: .manualTierChange))))
        if case .failure(let e) = r {
            #expect(e.message(.zh) == "只有店主可以手动调整会员等级")
            #expect(e.message(.en) == "only the owner can change a member's tier by hand")
            #expect(e.code == "not_permitted")
        } else { Issue.record("a staff change must fail") }
    }

    @Test("raising needs no reason; lowering needs a non-blank one, which is kept trimmed for the audit log")
    func reasons() {
        #expect(change(1, 3) == .success(ManualTierChange(from: 1, to: 3, reason: "")))
        #expect(change(3, 1) == .failure(.reasonRequired(from: 3, to: 1)))
        #expect(change(3, 1, reason: " \u{3000} ") == .failure(.reasonRequired(from: 3, to: 1)))
        let ok = change(3, 1, reason: "  刷单  ")
        #expect(ok == .success(ManualTierChange(from: 3, to: 1, reason: "刷单")))
        #expect((try? ok.get())?.isLowering == true)
        #expect(change(2, 0, reason: "退货过多") == .success(ManualTierChange(from: 2, to: 0, reason: "退货过多")))
        if case .failure(let e) = change(3, 1) {
            #expect(e.message(.en) == "Lowering from level 3 to 1 needs a reason: demotions go to the audit log; allowed: a non-empty reason")
            #expect(e.message(.zh) == "从3级降到1级需要填写原因：降级会写入审计日志；允许：非空的原因")
        } else { Issue.record("lowering without a reason must fail") }
    }

    @Test("the target is 0 or an enabled level within 0…4")
    func targets() {
        #expect(change(1, 5) == .failure(.levelOutOfRange(5)))
        #expect(change(1, -1) == .failure(.levelOutOfRange(-1)))
        #expect(change(1, 4) == .failure(.levelNotEnabled(TierRef(level: 4, name: "至尊VIP会员"))))
        if case .failure(let e) = change(1, 4) {
            #expect(e.message(.en) == "至尊VIP会员 (level 4) is not enabled: a member can only be set to an enabled level or 0 (shop customer); allowed: an enabled level or 0")
        } else { Issue.record("a disabled level must be refused") }
        #expect(change(2, 2) == .failure(.unchanged(level: 2)))
    }

    @Test("a blacklisted member is never raised, even by hand, but may be lowered with a reason")
    func blacklisted() {
        #expect(change(1, 2, blacklisted: true) == .failure(.blacklisted))
        #expect(change(2, 1, reason: "恶意差评", blacklisted: true) == .success(ManualTierChange(from: 2, to: 1, reason: "恶意差评")))
    }

    @Test("every manual-change error has a distinct code and both languages")
    func errorCodes() {
        let errors: [ManualTierChangeError] = [
            .notPermitted(PermissionRefusal(role: .staff, action: .manualTierChange)), .levelOutOfRange(9),
            .levelNotEnabled(TierRef(level: 4, name: "x")), .unchanged(level: 1), .reasonRequired(from: 2, to: 1), .blacklisted,
        ]
        #expect(Set(errors.map(\.code)).count == errors.count)
        for e in errors {
            #expect(!e.message(.zh).isEmpty && !e.message(.en).isEmpty && e.message(.zh) != e.message(.en))
        }
    }
}

@Suite("Operator roles and the permission table")
struct OperatorRoleTests {
    @Test("staff: look up, tag, note, reveal a phone, masked export",
          arguments: [OperatorAction.lookUp, .tag, .note, .revealPhone, .export])
    func staffMay(action: OperatorAction) {
        #expect(OperatorRole.staff.can(action))
        #expect(OperatorRole.staff.refusal(for: action) == nil)
    }

    @Test("owner only: tiers, manual tier change, blacklist, operators, clear export, tag delete/rename, custom RFM edges",
          arguments: [OperatorAction.editTiers, .publishTiers, .manualTierChange, .blacklist, .manageOperators, .clearExport,
                      .deleteTag, .renameTag, .customRFMEdges])
    func ownerOnly(action: OperatorAction) {
        #expect(!OperatorRole.staff.can(action))
        #expect(OperatorRole.staff.refusal(for: action) == PermissionRefusal(role: .staff, action: action))
        #expect(action.isOwnerOnly)
    }

    @Test("the owner may do everything")
    func ownerAll() {
        #expect(OperatorAction.allCases.allSatisfy { OperatorRole.owner.can($0) && OperatorRole.owner.refusal(for: $0) == nil })
    }

    @Test("refusals read well in a hint bar")
    func messages() {
        let r = OperatorRole.staff.refusal(for: .editTiers)
        #expect(r?.message(.zh) == "只有店主可以编辑等级")
        #expect(r?.message(.en) == "only the owner can edit tiers")
        #expect(OperatorRole.staff.refusal(for: .clearExport)?.message(.zh) == "只有店主可以导出明文手机号")
        #expect(Set(OperatorAction.allCases.map(\.chineseName)).count == OperatorAction.allCases.count)
        #expect(OperatorRole(rawValue: "owner") == .owner && OperatorRole(rawValue: "staff") == .staff)
    }
}
