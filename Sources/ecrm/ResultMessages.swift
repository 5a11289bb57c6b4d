import ECRMDomain

/// What the campaign, operators, audit and setup commands report, in the operator's language
/// (CLIMessages), counts grouped by thousands. Names, users, roles and paths stay as typed.
extension CLIMessages {
    // MARK: campaigns
    func campaignCreated(_ name: String, id: Int64, members: Int, target: String, blacklisted: Int) -> String {
        t("已创建活动 \(name)（#\(id)）：\(count(members)) 位会员（\(target)）\(blacklisted > 0 ? "，已排除 \(count(blacklisted)) 位黑名单会员" : "")",
          "created campaign \(name) (#\(id)): \(count(members)) members (\(target))\(blacklisted > 0 ? ", \(count(blacklisted)) blacklisted left out" : "")")
    }
    var noCampaignsYet: String {
        t("还没有活动（新建：ecrm campaign create NAME --segment K）", "no campaigns yet (create one: ecrm campaign create NAME --segment K)")
    }
    func campaignExported(_ n: Int, _ name: String, to file: String, clear: Bool) -> String {
        t("已将 \(name) 的 \(count(n)) 位实验组会员导出到 \(file)\(clear ? "，含完整手机号（已记录）" : "")",
          "exported \(count(n)) treatment members of \(name) to \(file)\(clear ? " with clear phone numbers (logged)" : "")")
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

/// The demo, export, birthdays, search and tiers commands' report lines.
extension CLIMessages {
    func demoReady(_ path: String, members: Int, orders: Int, upgraded: Int, seconds: Double) -> String {
        let s = String(format: "%.1f", seconds)
        return t("演示店铺 \(path)：\(count(members)) 位会员，\(count(orders)) 笔订单，\(count(upgraded)) 位会员在 VIP 等级（\(s) 秒）",
                 "demo shop at \(path): \(count(members)) members, \(count(orders)) orders, \(count(upgraded)) members on VIP tiers (\(s) s)")
    }
    func membersExported(_ k: Int, to file: String, clear: Bool) -> String {
        t("已导出 \(count(k)) 位会员到 \(file)\(clear ? "，含完整手机号（已记录）" : "")",
          "exported \(count(k)) members to \(file)\(clear ? " with clear phone numbers (logged)" : "")")
    }
    func birthdaysHeader(_ k: Int, from start: String, days: Int) -> String {
        t("自 \(start) 起 \(days) 天内有 \(count(k)) 位会员过生日", "\(count(k)) birthdays from \(start) in \(days) days")
    }
    func noMemberMatches(_ text: String) -> String { t("没有会员符合“\(text)”", "no member matches '\(text)'") }
    var noLadderYet: String { t("还没有发布 VIP 等级", "no tier ladder published yet") }
    func ladderMetric(amount: Bool) -> String {
        t("升级依据：\(amount ? "累计消费金额" : "累计消费笔数")", "metric: \(amount ? "cumulative paid amount" : "cumulative paid orders")")
    }
    func distributorFloor(_ perMille: Int, _ words: String) -> String { t("   分销价保护：\(perMille)‰ \(words)", "   distributor floor: \(perMille)‰ \(words)") }
    func tierMembers(_ k: Int) -> String { t("\(count(k)) 位会员", "\(count(k)) members") }
}
