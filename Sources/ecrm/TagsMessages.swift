import ECRMDomain

/// What the `ecrm tags` commands report, in the operator's language (CLIMessages), member counts
/// with thousands separators. Tag names, buyer ids and group keys stay as typed.
extension CLIMessages {
    private func g(_ n: Int) -> String { CampaignFormat.grouped(n) }

    func tagListRule(_ json: String) -> String { t("  规则 \(json)", "  rule \(json)") }
    func tagCreated(_ name: String) -> String { t("已创建标签 \(name)", "created tag \(name)") }
    func ruleTagCreated(_ name: String, _ n: Int) -> String {
        t("已创建规则标签 \(name)：\(g(n)) 位会员符合", "created rule tag \(name): \(g(n)) members match")
    }
    func ruleSet(_ name: String, _ n: Int) -> String { t("\(name)：规则已设置，\(g(n)) 位会员符合", "\(name): rule set, \(g(n)) members match") }
    func nowPlainTag(_ name: String, _ n: Int) -> String {
        t("\(name) 已改为普通标签，\(g(n)) 位会员", "\(name) is now a plain tag with \(g(n)) members")
    }
    func tagRenamed(_ old: String, _ new: String) -> String { t("已将 \(old) 改名为 \(new)", "renamed \(old) to \(new)") }
    func tagDeleted(_ name: String, _ n: Int, days: Int) -> String {
        t("已删除 \(name)（\(g(n)) 位会员有此标签；\(days) 天内可用 `ecrm tags restore \(name)` 恢复）",
          "deleted \(name) (\(g(n)) members had it; `ecrm tags restore \(name)` brings it back for \(days) days)")
    }
    func tagRestored(_ name: String, _ n: Int) -> String { t("已为 \(g(n)) 位会员恢复 \(name)", "restored \(name) on \(g(n)) members") }
    func memberTagged(_ buyer: String, _ name: String) -> String { t("已给 \(buyer) 打上 \(name)", "tagged \(buyer) \(name)") }
    func memberAlreadyHas(_ buyer: String, _ name: String) -> String { t("\(buyer) 已有 \(name)", "\(buyer) already has \(name)") }
    func memberUntagged(_ buyer: String, _ name: String) -> String { t("已去掉 \(buyer) 的 \(name)", "removed \(name) from \(buyer)") }
    func memberDoesNotHave(_ buyer: String, _ name: String) -> String { t("\(buyer) 没有 \(name)", "\(buyer) does not have \(name)") }

    func bulkPreview(_ group: String, members: Int, already: Int, name: String, untag: Bool, changes: Int) -> String {
        t("\(group)：\(g(members)) 位会员，\(g(already)) 位已有 \(name)；将\(untag ? "去掉" : "打上") \(g(changes)) 位",
          "\(group): \(g(members)) members, \(g(already)) already tagged \(name); \(untag ? "untag" : "tag") \(g(changes))")
    }
    var nothingToDo: String { t("无需改动", "nothing to do") }
    func bulkPrompt(untag: Bool, _ n: Int) -> String {
        t("\(untag ? "去掉" : "打上") \(g(n)) 位会员的标签？[y/N] ", "\(untag ? "Untag" : "Tag") \(g(n)) members? [y/N] ")
    }
    func bulkDone(untag: Bool, _ n: Int, tag: String, action: Int64) -> String {
        t("已为 \(g(n)) 位会员\(untag ? "去掉" : "打上") \(tag)（操作 #\(action)；撤销：ecrm tags undo）",
          "\(untag ? "untagged" : "tagged") \(g(n)) members \(tag) (action #\(action); undo: ecrm tags undo)")
    }
    func bulkUndone(action: Int64, kind: String, scope: String, added: Bool, tag: String, _ n: Int) -> String {
        t("已撤销 #\(action)（\(kind) \(scope)）：\(added ? "去掉了 \(g(n)) 位会员的 \(tag)" : "为 \(g(n)) 位会员恢复了 \(tag)")",
          "undid #\(action) (\(kind) \(scope)): \(added ? "removed \(tag) from" : "gave \(tag) back to") \(g(n)) members")
    }
    func membersWithTags(_ total: Int, any: Bool, _ names: [String], shown: Int) -> String {
        t("\(g(total)) 位会员有\(any ? "任一" : "全部")标签 \(names.joined(separator: "、"))\(total > shown ? "（显示前 \(g(shown)) 位）" : "")",
          "\(g(total)) members with \(any ? "any" : "all") of \(names.joined(separator: ", "))\(total > shown ? " (first \(g(shown)))" : "")")
    }
    func ruleEvaluated(_ tag: String, _ n: Int, gained: Int, lost: Int) -> String {
        t("\(tag)：\(g(n)) 位会员（+\(g(gained)) −\(g(lost))）", "\(tag): \(g(n)) members (+\(g(gained)) −\(g(lost)))")
    }
}
