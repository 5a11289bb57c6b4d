import ECRMDomain

/// Words of the segments, edges, tags, bulk-list, export, birthday and health screens, one table
/// per language like Labels (kept apart so the shared Labels struct gains one accessor only).
struct SegLabels: Sendable {
    var recomputing: @Sendable (_ asOf: String, _ window: String) -> String
    var recomputed, asOfTitle, asOfLabel, badDate: String
    var auto, custom: String
    var controls: [String]
    var edgeR, edgeF, edgeM, edgesTitle, previewTitle, previewing: String
    var edgesInvalid: @Sendable (String) -> String
    var edgesHelp: [String]
    var healthTitle: @Sendable (String) -> String
    var repurchase: @Sendable (_ pct: String, _ part: Int64, _ whole: Int64) -> String
    var reactivation: @Sendable (_ pct: String, _ back: Int, _ base: Int, _ since: String) -> String
    var refunds: @Sendable (_ pct: String, _ orders: Int64, _ pctAmount: String) -> String
    var cohortMonth, cohortSize, cohortTrend, cohortNote: String
    var birthdaysTitle: @Sendable (String) -> String
    var noBirthdays, colDate, colWhen, colTurning: String
    var inDays: @Sendable (Int) -> String
    var bulkTitle: @Sendable (String) -> String
    var bulkPreview: @Sendable (_ members: String, _ already: String, _ tag: String, _ changes: String) -> String
    var tagWillBeCreated, bulkConfirmTitle, bulkRunning: String
    var bulkDone: @Sendable (_ count: String, _ tag: String) -> String
    var undone: @Sendable (_ add: Bool, _ count: String, _ tag: String, _ scope: String) -> String
    var exportTitle, exportFile, exportEncoding, exportPhones, encodingChoices, phoneChoices, clearLogged: String
    var markFirst: String
    var tagsFilter: @Sendable (_ names: [String], _ all: Bool) -> String
    var noTagsYet, colKind, ruleTag, tagsHelp, newTagTitle, newName, deleteTitle: String
    var tagCreated: @Sendable (String) -> String
    var renameTitle: @Sendable (String) -> String
    var tagRenamed: @Sendable (String, String) -> String
    var deleteMessage: @Sendable (_ tag: String, _ members: String) -> String
    var tagDeleted: @Sendable (String) -> String
    var tagRestored: @Sendable (_ tag: String, _ members: String) -> String

    func modeName(_ m: ScoringMode) -> String { if case .custom = m { return custom } else { return auto } }

    static let zh = SegLabels(
        recomputing: { "正在重新计算RFM（截至\($0) · \($1)）…" },
        recomputed: "RFM已重新计算", asOfTitle: "截至日期", asOfLabel: "日期", badDate: "请输入日期，如 2026-11-20",
        auto: "智能模板", custom: "自定义",
        controls: ["w 时间窗  d 截至日期", "m 评分模式  e 边界", "b 生日提醒  h 效果评估", "←→ 网格  Enter 名单"],
        edgeR: "R 天数", edgeF: "F 单数", edgeM: "M 元", edgesTitle: "自定义RFM边界（各4个，递增）",
        previewTitle: "预览：分层人数 当前→新边界", previewing: "计算中…",
        edgesInvalid: { "边界无效: \($0)" },
        edgesHelp: ["R: 最近购买≤边界天数 → 5/4/3/2分，更久 1分", "F、M: ≤边界 → 1/2/3/4分，更多 5分", "Enter 保存并重算 · Esc 放弃"],
        healthTitle: { "效果评估  截至\($0)" },
        repurchase: { "复购率 \($0)（\($1)/\($2) 位购买会员下过2单以上）" },
        reactivation: { "回流率 \($0)（自\($3)起 \($2) 位沉睡/流失会员中 \($1) 位回购）" },
        refunds: { "退款率 \($0)（按单数，退款 \($1) 单）· 按金额 \($2)" },
        cohortMonth: "首购月", cohortSize: "人数", cohortTrend: "趋势",
        cohortNote: "M0…M11：首购后第k个月仍购买的比例（%）",
        birthdaysTitle: { "生日提醒  \($0) 起7天" },
        noBirthdays: "未来7天没有会员过生日", colDate: "日期", colWhen: "还有", colTurning: "岁",
        inDays: { "\($0)天后" },
        bulkTitle: { "批量打标签：\($0)" },
        bulkPreview: { "将给 \($0) 位会员打上「\($2)」，其中 \($1) 位已有，新增 \($3) 位。" },
        tagWillBeCreated: "（标签不存在，将新建）", bulkConfirmTitle: "确认批量打标签", bulkRunning: "正在批量打标签…",
        bulkDone: { "已给 \($0) 位会员打上「\($1)」（u 撤销）" },
        undone: { "已撤销：\($0 ? "添加" : "移除")「\($2)」\($1) 位会员（\($3)）" },
        exportTitle: "导出列表", exportFile: "文件", exportEncoding: "编码", exportPhones: "手机号",
        encodingChoices: "编码: utf8 / bom（Excel）/ gb18030", phoneChoices: "手机号: masked（掩码）或 clear（明文，记入审计）",
        clearLogged: "（明文手机号，已记入审计）",
        markFirst: "先用空格标记标签",
        tagsFilter: { "\($1 ? "全部" : "任一"): \($0.joined(separator: "+"))" },
        noTagsYet: "还没有标签（n 新建，或在会员名片按 t 添加）", colKind: "类型", ruleTag: "规则",
        tagsHelp: "空格 标记 · a 全部 · o 任一 · n 新建 · r 改名 · D 删除 · u 撤销",
        newTagTitle: "新建标签", newName: "新名称", deleteTitle: "删除标签",
        tagCreated: { "已新建标签「\($0)」" },
        renameTitle: { "重命名「\($0)」" },
        tagRenamed: { "「\($0)」已改名为「\($1)」" },
        deleteMessage: { "删除标签「\($0)」？\($1) 位会员将失去这个标签。" },
        tagDeleted: { "已删除标签「\($0)」（u 恢复；30 天内可用 ecrm tags restore 恢复）" },
        tagRestored: { "已恢复标签「\($0)」，\($1) 位会员" }
    )

    static let en = SegLabels(
        recomputing: { "Recomputing RFM (as of \($0) · \($1))…" },
        recomputed: "RFM recomputed", asOfTitle: "As-of day", asOfLabel: "Day", badDate: "Give a day like 2026-11-20",
        auto: "auto", custom: "custom",
        controls: ["w window  d as-of", "m scoring  e edges", "b birthdays  h health", "←→ grid  Enter list"],
        edgeR: "R days", edgeF: "F orders", edgeM: "M yuan", edgesTitle: "Custom RFM edges (4 each, ascending)",
        previewTitle: "Preview: members per segment now→new", previewing: "computing…",
        edgesInvalid: { "Bad edges: \($0)" },
        edgesHelp: ["R: last order ≤ edge days → 5/4/3/2, older 1", "F, M: ≤ edge → 1/2/3/4, more 5", "Enter saves and recomputes · Esc discards"],
        healthTitle: { "Shop health  as of \($0)" },
        repurchase: { "Repurchase \($0) (\($1) of \($2) buyers ordered twice or more)" },
        reactivation: { "Reactivation \($0) (\($1) of \($2) sleeping/lost since \($3) bought again)" },
        refunds: { "Refunds \($0) by orders (\($1) refunded) · \($2) by amount" },
        cohortMonth: "Cohort", cohortSize: "Size", cohortTrend: "Trend",
        cohortNote: "M0…M11: % of the cohort buying k months after the first order",
        birthdaysTitle: { "Birthdays  7 days from \($0)" },
        noBirthdays: "No birthdays in the next 7 days", colDate: "Date", colWhen: "In", colTurning: "Age",
        inDays: { "in \($0)d" },
        bulkTitle: { "Bulk tag: \($0)" },
        bulkPreview: { "Will tag \($0) members with '\($2)'; \($1) already have it, \($3) new." },
        tagWillBeCreated: "(new tag, will be created)", bulkConfirmTitle: "Confirm bulk tag", bulkRunning: "Bulk tagging…",
        bulkDone: { "Tagged \($0) members with '\($1)' (u undoes)" },
        undone: { "Undone: \($0 ? "added" : "removed") '\($2)' on \($1) members (\($3))" },
        exportTitle: "Export the list", exportFile: "File", exportEncoding: "Encoding", exportPhones: "Phones",
        encodingChoices: "Encoding: utf8 / bom (Excel) / gb18030", phoneChoices: "Phones: masked or clear (audited)",
        clearLogged: " (clear phones, audited)",
        markFirst: "Mark tags with Space first",
        tagsFilter: { "\($1 ? "all" : "any"): \($0.joined(separator: "+"))" },
        noTagsYet: "No tags yet (n creates one, or t on a member card)", colKind: "Kind", ruleTag: "rule",
        tagsHelp: "Space mark · a all · o any · n new · r rename · D delete · u undo",
        newTagTitle: "New tag", newName: "New name", deleteTitle: "Delete tag",
        tagCreated: { "Created tag '\($0)'" },
        renameTitle: { "Rename '\($0)'" },
        tagRenamed: { "'\($0)' renamed to '\($1)'" },
        deleteMessage: { "Delete tag '\($0)'? \($1) members lose it." },
        tagDeleted: { "Deleted tag '\($0)' (u restores it; `ecrm tags restore` for 30 days)" },
        tagRestored: { "Restored tag '\($0)' on \($1) members" }
    )
}

extension Labels {
    var seg: SegLabels { language == .zh ? .zh : .en }
}
