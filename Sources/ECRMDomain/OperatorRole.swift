/// Who may do what (PRODUCT.md: Operators and privacy). Kept in the domain so the console, the
/// command line and the store refuse the same things with the same words.
public enum OperatorRole: String, Sendable, CaseIterable, Codable {
    /// 店主: everything.
    case owner
    /// 客服: look up, tag, note, reveal a phone with a logged reason.
    case staff

    public var chineseName: String { self == .owner ? "店主" : "客服" }
    public var englishName: String { self == .owner ? "owner" : "staff" }

    /// Whether this role may perform `action`.
    public func can(_ action: OperatorAction) -> Bool {
        self == .owner || !action.isOwnerOnly
    }

    /// Why this role may not perform `action`, or nil when it may. The refusal's message fits a hint bar.
    public func refusal(for action: OperatorAction) -> PermissionRefusal? {
        can(action) ? nil : PermissionRefusal(role: self, action: action)
    }
}

/// Everything the permission table distinguishes. Every public store call names the one action it
/// does (ECRMStore's `Access.require`), so `isOwnerOnly` is the only list of who may do what.
public enum OperatorAction: String, Sendable, CaseIterable, Codable {
    case lookUp = "look_up"
    case tag
    case note
    /// Reveal one member's phone in clear; the reason is logged.
    case revealPhone = "reveal_phone"
    /// Export with masked phones (the default export).
    case export
    case editTiers = "edit_tiers"
    case publishTiers = "publish_tiers"
    case manualTierChange = "manual_tier_change"
    case blacklist
    case manageOperators = "manage_operators"
    /// Export with phones in clear (logged).
    case clearExport = "clear_export"
    case deleteTag = "delete_tag"
    case renameTag = "rename_tag"
    case customRFMEdges = "custom_rfm_edges"
    /// Create and close campaigns (they tag members and decide who is not sent).
    case manageCampaigns = "manage_campaigns"
    /// Import members and orders (also the demo shop and rebuilding the search index from them).
    case importData = "import"
    /// Recompute RFM with the shop's saved settings (`ecrm rfm`; saving other edges is customRFMEdges).
    case recomputeRFM = "recompute_rfm"
    /// `ecrm operators add` / `remove`: the store asks for these; manageOperators names both at once.
    case addOperators = "add_operators"
    case removeOperators = "remove_operators"
    case createRuleTag = "create_rule_tag"
    case changeTagRule = "change_tag_rule"
    case evaluateRuleTags = "evaluate_rule_tags"
    case restoreTag = "restore_tag"
    /// Merge two members into one (会员通; preview first, audited).
    case mergeMembers = "merge_members"
    /// Undo a merge: the two members back with the identities and orders each had.
    case unmergeMembers = "unmerge_members"
    /// Decide a duplicate candidate pair is two people (it does not come back).
    case dismissDuplicate = "dismiss_duplicate"
    /// Link / unlink a channel identity by hand (an offline card at the till): any operator, audited.
    case linkIdentity = "link_identity"
    case unlinkIdentity = "unlink_identity"

    /// Actions that change money, people's standing or privacy are the owner's alone.
    public var isOwnerOnly: Bool {
        switch self {
        case .lookUp, .tag, .note, .revealPhone, .export, .importData, .recomputeRFM: return false
        // Linking an identity by hand is audited, not the owner's alone (an offline card at the till).
        case .linkIdentity, .unlinkIdentity: return false
        case .editTiers, .publishTiers, .manualTierChange, .blacklist, .manageOperators,
             .clearExport, .deleteTag, .renameTag, .customRFMEdges, .manageCampaigns,
             .addOperators, .removeOperators, .createRuleTag, .changeTagRule, .evaluateRuleTags, .restoreTag,
             .mergeMembers, .unmergeMembers, .dismissDuplicate: return true
        }
    }

    /// Verb phrase: "编辑等级" / "edit tiers".
    public var chineseName: String {
        switch self {
        case .lookUp: return "查询会员"
        case .tag: return "打标签"
        case .note: return "写备注"
        case .revealPhone: return "查看完整手机号"
        case .export: return "导出"
        case .editTiers: return "编辑等级"
        case .publishTiers: return "发布等级"
        case .manualTierChange: return "手动调整会员等级"
        case .blacklist: return "设置黑名单"
        case .manageOperators: return "管理操作员"
        case .clearExport: return "导出明文手机号"
        case .deleteTag: return "删除标签"
        case .renameTag: return "重命名标签"
        case .customRFMEdges: return "自定义RFM区间"
        case .manageCampaigns: return "创建和结束营销活动"
        case .importData: return "导入会员和订单"
        case .recomputeRFM: return "重新计算RFM"
        case .addOperators: return "添加操作员"
        case .removeOperators: return "移除操作员"
        case .createRuleTag: return "创建规则标签"
        case .changeTagRule: return "修改标签规则"
        case .evaluateRuleTags: return "重新计算规则标签"
        case .restoreTag: return "恢复标签"
        case .mergeMembers: return "合并会员"
        case .unmergeMembers: return "拆分合并的会员"
        case .dismissDuplicate: return "排除重复候选"
        case .linkIdentity: return "关联渠道身份"
        case .unlinkIdentity: return "解除渠道身份"
        }
    }

    public var englishName: String {
        switch self {
        case .lookUp: return "look up members"
        case .tag: return "tag members"
        case .note: return "write notes"
        case .revealPhone: return "reveal phone numbers"
        case .export: return "export"
        case .editTiers: return "edit tiers"
        case .publishTiers: return "publish tiers"
        case .manualTierChange: return "change a member's tier by hand"
        case .blacklist: return "change the blacklist"
        case .manageOperators: return "manage operators"
        case .clearExport: return "export clear phone numbers"
        case .deleteTag: return "delete tags"
        case .renameTag: return "rename tags"
        case .customRFMEdges: return "set custom RFM edges"
        case .manageCampaigns: return "create and close campaigns"
        case .importData: return "import members and orders"
        case .recomputeRFM: return "recompute RFM"
        case .addOperators: return "add operators"
        case .removeOperators: return "remove operators"
        case .createRuleTag: return "create rule tags"
        case .changeTagRule: return "change tag rules"
        case .evaluateRuleTags: return "re-evaluate rule tags"
        case .restoreTag: return "restore tags"
        case .mergeMembers: return "merge members"
        case .unmergeMembers: return "unmerge members"
        case .dismissDuplicate: return "dismiss duplicate candidates"
        case .linkIdentity: return "link identities"
        case .unlinkIdentity: return "unlink identities"
        }
    }
}

/// A refused action, with the sentence a hint bar shows.
public struct PermissionRefusal: Error, Sendable, Equatable {
    public var role: OperatorRole
    public var action: OperatorAction

    public init(role: OperatorRole, action: OperatorAction) {
        self.role = role
        self.action = action
    }

    /// "只有店主可以编辑等级" / "only the owner can edit tiers".
    public func message(_ language: MessageLanguage) -> String {
        switch language {
        case .zh: return "只有店主可以\(action.chineseName)"
        case .en: return "only the owner can \(action.englishName)"
        }
    }
}
