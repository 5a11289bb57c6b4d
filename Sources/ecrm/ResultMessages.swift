import ECRMDomain

/// What the campaign, operators, audit and setup commands report, in the operator's language
/// (CLIMessages), counts grouped by thousands. Names, users, roles and paths stay as typed.
extension CLIMessages {
    private func g(_ n: Int) -> String { CampaignFormat.grouped(n) }

    // MARK: campaigns
    func campaignCreated(_ name: String, id: Int64, members: Int, target: String, blacklisted: Int) -> String {
        t("已创建活动 \(name)（#\(id)）：\(g(members)) 位会员（\(target)）\(blacklisted > 0 ? "，已排除 \(g(blacklisted)) 位黑名单会员" : "")",
          "created campaign \(name) (#\(id)): \(g(members)) members (\(target))\(blacklisted > 0 ? ", \(g(blacklisted)) blacklisted left out" : "")")
    }
    var noCampaignsYet: String {
        t("还没有活动（新建：ecrm campaign create NAME --segment K）", "no campaigns yet (create one: ecrm campaign create NAME --segment K)")
    }
    func campaignExported(_ n: Int, _ name: String, to file: String, clear: Bool) -> String {
        t("已将 \(name) 的 \(g(n)) 位实验组会员导出到 \(file)\(clear ? "，含完整手机号（已记录）" : "")",
          "exported \(g(n)) treatment members of \(name) to \(file)\(clear ? " with clear phone numbers (logged)" : "")")
    }
    func campaignClosed(_ name: String, id: Int64) -> String { t("已结束活动 \(name)（#\(id)）", "closed campaign \(name) (#\(id))") }

    // MARK: operators and audit
    func operatorLine(_ user: String, _ role: String, at: String, by: String) -> String {
        t("\(user)\t\(role)\t\(at) 由 \(by) 添加", "\(user)\t\(role)\tadded \(at) by \(by)")
    }
    func operatorIsNow(_ user: String, _ role: String) -> String { t("\(user) 现为 \(role)", "\(user) is now \(role)") }
    func operatorRemoved(_ user: String) -> String { t("已移除 \(user)", "removed \(user)") }
    func auditReason(_ reason: String) -> String { t("  原因：\(reason)", "  reason: \(reason)") }

    // MARK: setup
    func sharedStoreReady(_ store: String, created: Bool, owner: String, group: String, bin: String, conf: String) -> String {
        t("共享店铺 \(store)（\(created ? "新建" : "保留")；店主 \(owner)），组 \(group)，\(bin) 已设 setgid，配置 \(conf)",
          "shared store \(store) (\(created ? "new" : "kept"); owner \(owner)), group \(group), \(bin) setgid, config \(conf)")
    }
    func sharedStoreNext(_ owner: String) -> String {
        t("下一步：以 \(owner) 身份运行 `ecrm import members FILE` 和 `ecrm operators add USER --role staff`",
          "next: as \(owner), `ecrm import members FILE` and `ecrm operators add USER --role staff`")
    }
}
