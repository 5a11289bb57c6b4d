import ECRMDomain

/// What the `ecrm tags` commands report, in the operator's language (CLIMessages), member counts
/// with thousands separators. Tag names, buyer ids and group keys stay as typed.
extension CLIMessages {
    func tagListRule(_ json: String) -> String { t("  规则 \(json)", "  rule \(json)") }
    func tagCreated(_ name: String) -> String { t("已创建标签 \(name)", "created tag \(name)") }
    func ruleTagCreated(_ name: String, _ n: Int) -> String {
        t("已创建规则标签 \(name)：\(count(n)) 位会员符合", "created rule tag \(name): \(count(n)) members match")
    }
    func ruleSet(_ name: String, _ n: Int) -> String { t("\(name)：规则已设置，\(count(n)) 位会员符合", "\(name): rule set, \(count(n)) members match") }
    func nowPlainTag(_ name: String, _ n: Int) -> String {
        t("\(name) 已改为普通标签，\(count(n)) 位会员", "\(name) is now a plain tag with \(count(n)) members")
    }
    func tagRenamed(_ old: String, _ new: String) -> String { t("已将 \(old) 改名为 \(new)", "renamed \(old) to \(new)") }
    func tagDeleted(_ name: String, _ n: Int, days: Int) -> String {
        t("已删除 \(name)（\(count(n)) 位会员有此标签；\(days) 天内可用 `ecrm tags restore \(name)` 恢复）",
          "deleted \(name) (\(count(n)) members had it; `ecrm tags restore \(name)` brings it back for \(days) days)")
    }
    func tagRestored(_ name: String, _ n: Int) -> String { t("已为 \(count(n)) 位会员恢复 \(name)", "restored \(name) on \(count(n)) members") }
    func memberTagged(_ buyer: String, _ name: String) -> String { t("已给 \(buyer) 打上 \(name)", "tagged \(buyer) \(name)") }
    func memberAlreadyHas(_ buyer: String, _ name: String) -> String { t("\(buyer) 已有 \(name)", "\(buyer) already has \(name)") }
    func memberUntagged(_ buyer: String, _ name: String) -> String { t("已去掉 \(buyer) 的 \(name)", "removed \(name) from \(buyer)") }
    func memberDoesNotHave(_ buyer: String, _ name: String) -> String { t("\(buyer) 没有 \(name)", "\(buyer) does not have \(name)") }

    func bulkPreview(_ group: String, members: Int, already: Int, name: String, untag: Bool, changes: Int) -> String {
        t("\(group)：\(count(members)) 位会员，\(count(already)) 位已有 \(name)；将\(untag ? "去掉" : "打上") \(count(changes)) 位",
          "\(group): \(count(members)) members, \(count(already)) already tagged \(name); \(untag ? "untag" : "tag") \(count(changes))")
    }
    var nothingToDo: String { t("无需改动", "nothing to do") }
    func bulkPrompt(untag: Bool, _ n: Int) -> String {
        t("\(untag ? "去掉" : "打上") \(count(n)) 位会员的标签？[y/N] ", "\(untag ? "Untag" : "Tag") \(count(n)) members? [y/N] ")
    }
    func bulkDone(untag: Bool, _ n: Int, tag: String, action: Int64) -> String {
        t("已为 \(count(n)) 位会员\(untag ? "去掉" : "打上") \(tag)（操作 #\(action)；撤销：ecrm tags undo）",
          "\(untag ? "untagged" : "tagged") \(count(n)) members \(tag) (action #\(action); undo: ecrm tags undo)")
    }
    func bulkUndone(action: Int64, kind: String, scope: String, added: Bool, tag: String, _ n: Int) -> String {
        t("已撤销 #\(action)（\(kind) \(scope)）：\(added ? "去掉了 \(count(n)) 位会员的 \(tag)" : "为 \(count(n)) 位会员恢复了 \(tag)")",
          "undid #\(action) (\(kind) \(scope)): \(added ? "removed \(tag) from" : "gave \(tag) back to") \(count(n)) members")
    }
    func membersWithTags(_ total: Int, any: Bool, _ names: [String], shown: Int) -> String {
        t("\(count(total)) 位会员有\(any ? "任一" : "全部")标签 \(names.joined(separator: "、"))\(total > shown ? "（显示前 \(count(shown)) 位）" : "")",
          "\(count(total)) members with \(any ? "any" : "all") of \(names.joined(separator: ", "))\(total > shown ? " (first \(count(shown)))" : "")")
    }
    func ruleEvaluated(_ tag: String, _ n: Int, gained: Int, lost: Int) -> String {
        t("\(tag)：\(count(n)) 位会员（+\(count(gained)) −\(count(lost))）", "\(tag): \(count(n)) members (+\(count(gained)) −\(count(lost)))")
    }
}
