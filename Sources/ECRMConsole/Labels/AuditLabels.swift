import Foundation
import ECRMDomain

/// The audit log as sentences in the interface language. The store keeps stable machine codes
/// ("tiers.publish", "20000 listed members", a ladder as JSON) for scripts and `ecrm audit`;
/// people read what happened, to whom, and why.
struct AuditLabels {
    let zh: Bool

    /// One entry: "alice 发布了等级 v2：至尊VIP会员 8.8折→8.6折".
    func sentence(action: String, target: String, before: String?, after: String?, reason: String?) -> String {
        let why = reason.flatMap { $0.isEmpty ? nil : $0 }.map { zh ? "（原因：\($0)）" : " (reason: \($0))" } ?? ""
        switch action {
        case "phone.reveal":
            return (zh ? "查看了 \(target) 的完整手机号" : "revealed \(target)'s full phone number") + why
        case "member.tier":
            let from = before ?? "?", to = after ?? "?"
            return (zh ? "把 \(target) 的等级从 \(from) 级改为 \(to) 级" : "set \(target)'s level from \(from) to \(to)") + why
        case "member.blacklist":
            let on = after == MemberStatus.blacklist.rawValue
            return (zh ? (on ? "把 \(target) 加入黑名单" : "把 \(target) 移出黑名单") : (on ? "blacklisted \(target)" : "took \(target) off the blacklist")) + why
        case "tiers.publish":
            return (zh ? "发布了等级 \(target)" : "published tiers \(target)") + ladderChanges(before, after) + why
        case "export.clear":
            return (zh ? "导出了明文手机号：\(target)" : "exported clear phone numbers to \(target)") + members(after) + why
        case "operators.add":
            return zh ? "添加操作员 \(target)（\(roleName(after))）" : "added operator \(target) (\(roleName(after)))"
        case "identity.link":
            return zh ? "给 \(target) 关联身份 \(after ?? "")" : "linked \(after ?? "") to \(target)"
        case "identity.unlink":
            return (zh ? "解除 \(target) 的身份 \(before ?? "")" : "unlinked \(before ?? "") from \(target)") + (after.map { zh ? "（成为会员 \($0)）" : " (now member \($0))" } ?? "")
        case "member.merge":
            // target "KEEP ← OTHER"
            let parts = target.components(separatedBy: " ← ")
            let keep = parts.first ?? target, other = parts.count > 1 ? parts[1] : ""
            return zh ? "把 \(other) 合并进 \(keep)" : "merged \(other) into \(keep)"
        case "member.unmerge":
            let parts = target.components(separatedBy: " → ")
            let keep = parts.first ?? target, other = parts.count > 1 ? parts[1] : ""
            return zh ? "把 \(other) 从 \(keep) 拆分出来" : "unmerged \(other) from \(keep)"
        case "duplicates.dismiss":
            let pair = target.split(separator: " ").map(String.init)
            return zh ? "排除疑似重复：\(pair.joined(separator: " 与 "))不是同一人" : "dismissed duplicates: \(pair.joined(separator: " and ")) are two people"
        case "operators.remove":
            return zh ? "移除操作员 \(target)" : "removed operator \(target)"
        case "tag.create":
            return after == nil ? (zh ? "新建标签「\(target)」" : "created tag '\(target)'")
                                : (zh ? "新建规则标签「\(target)」" : "created rule tag '\(target)'")
        case "tag.rule":
            return zh ? "修改了标签「\(target)」的规则" : "changed the rule of tag '\(target)'"
        case "tag.rename":
            return zh ? "把标签「\(before ?? "")」改名为「\(target)」" : "renamed tag '\(before ?? "")' to '\(target)'"
        case "tag.delete":
            return (zh ? "删除标签「\(target)」" : "deleted tag '\(target)'") + members(before)
        case "tag.add":
            return zh ? "给 \(target) 打上「\(after ?? "")」" : "tagged \(target) '\(after ?? "")'"
        case "tag.remove":
            return zh ? "去掉 \(target) 的「\(before ?? "")」" : "removed '\(before ?? "")' from \(target)"
        case "tag.bulk_add", "tag.bulk_remove":
            let add = action == "tag.bulk_add"
            let (n, scope) = bulkParts(after)
            return zh ? "批量\(add ? "打上" : "去掉")「\(target)」：\(n) 位会员（\(scope)）"
                      : "bulk \(add ? "tagged" : "untagged") '\(target)': \(n) members (\(scope))"
        case "tag.undo":
            let (n, _) = bulkParts(after)
            return zh ? "撤销了「\(target)」的批量操作：\(n) 位会员" : "undid the bulk change of '\(target)': \(n) members"
        default:
            return action + " " + target
        }
    }

    /// "20000 members" → "（20,000 位会员）".
    private func members(_ text: String?) -> String {
        guard let n = text?.split(separator: " ").first.flatMap({ Int($0) }) else { return "" }
        return zh ? "（\(SegmentsView.count(n)) 位会员）" : " (\(SegmentsView.count(n)) members)"
    }

    /// "12 members (grid R5 F5)" → ("12", "R5×F5").
    private func bulkParts(_ text: String?) -> (String, String) {
        guard let t = text else { return ("?", "") }
        let n = t.split(separator: " ").first.flatMap { Int($0) }.map(SegmentsView.count) ?? "?"
        guard let open = t.firstIndex(of: "("), t.hasSuffix(")") else { return (n, "") }
        return (n, scope(String(t[t.index(after: open)..<t.index(before: t.endIndex)])))
    }

    private func roleName(_ raw: String?) -> String {
        (raw.flatMap(OperatorRole.init(rawValue:))).map { zh ? $0.chineseName : $0.englishName } ?? (raw ?? "")
    }

    /// A bulk action's member set as stored ("segment important_value", "grid R5 F5", "tier 3",
    /// "lifecycle lost", "region 浙江/杭州", "tags any of A,B", "20000 listed members") in words.
    func scope(_ raw: String) -> String {
        let words = raw.split(separator: " ", maxSplits: 1).map(String.init)
        guard words.count == 2 else { return raw }
        let rest = words[1]
        switch words[0] {
        case "segment": return Segment(rawValue: rest).map { zh ? $0.chineseName : $0.englishName } ?? rest
        case "grid": return rest.replacingOccurrences(of: " ", with: "×")
        case "tier": return zh ? "\(rest)级会员" : "level \(rest)"
        case "lifecycle": return Lifecycle(rawValue: rest).map { zh ? $0.chineseName : $0.englishName } ?? rest
        case "region": return rest.replacingOccurrences(of: "/", with: " ")
        case "tags":
            let parts = rest.split(separator: " ", maxSplits: 2).map(String.init)   // "any of A,B"
            guard parts.count == 3 else { return rest }
            let names = parts[2].split(separator: ",").joined(separator: zh ? "、" : ", ")
            return zh ? "有\(parts[0] == "all" ? "全部" : "任一")标签：\(names)" : "\(parts[0]) of the tags \(names)"
        default:
            if let n = Int(words[0]), rest == "listed members" {
                return zh ? "列表中的 \(SegmentsView.count(n)) 位会员" : "\(SegmentsView.count(n)) listed members"
            }
            return raw
        }
    }

    /// The published ladder's changed discounts: "：至尊VIP会员 8.8折→8.6折".
    private func ladderChanges(_ before: String?, _ after: String?) -> String {
        let decoder = JSONDecoder()
        guard let a = after.flatMap({ try? decoder.decode(TierLadder.self, from: Data($0.utf8)) }) else { return "" }
        let b = before.flatMap { try? decoder.decode(TierLadder.self, from: Data($0.utf8)) }
        var changes: [String] = []
        for t in a.levels where t.enabled {
            let old = b?.levels.first { $0.level == t.level }
            if let old, old.enabled, old.discount == t.discount, old.threshold == t.threshold { continue }
            let was = old.map { $0.enabled ? discount($0.discount) + "→" : "" } ?? ""
            changes.append("\(t.name) \(was)\(discount(t.discount))")
        }
        guard !changes.isEmpty else { return "" }
        return (zh ? "：" : ": ") + changes.joined(separator: zh ? "，" : ", ")
    }

    private func discount(_ d: Int) -> String { discountText(d, zh ? .zh : .en) }
}
