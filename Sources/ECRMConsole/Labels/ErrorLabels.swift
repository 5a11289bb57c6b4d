import Foundation
import ECRMDomain
import ECRMStore

/// The store words its errors in English for the command line and scripts; the console says the
/// ones an operator meets (tag names, rule tags, undo, permissions, a busy store) in its own
/// language, and marks any other as an error in that language around the store's text.
extension Labels {
    func describe(_ error: Error) -> String {
        if let e = error as? TierServiceError { return e.message(language) }
        // A damaged file met by an ordinary query: the store's words, not SQLite's.
        let error = StoreError.unreadable(from: error) ?? error
        guard language == .zh else { return "\(error)" }
        guard let e = error as? StoreError else { return "出错：\(error)" }
        switch e {
        case .locked: return "店铺数据正忙（另一个 ecrm 正在写入），请稍后再试"
        case .cannotOpen(let path, let reason): return "打不开店铺数据 \(path)：\(reason)"
        case .unreadable(let path, let reason): return "读不了店铺数据\(path.isEmpty ? "" : " " + path)（\(reason)），文件可能已损坏，请从备份恢复（连同它的 -wal、-shm，或删掉这两个文件）"
        case .permissionDenied(let what):
            if let m = what.firstMatch(of: /only the owner can (.+) \(you are '(.+)', staff\)/) {
                return "只有店主可以这样做；你（\(m.2)）是店员"
            }
            return Self.chinese(what) ?? "没有权限：\(what)"
        case .invalid(let what), .notFound(let what), .conflict(let what):
            return Self.chinese(what) ?? "出错：\(what)"
        }
    }

    /// The store's common messages, matched by their fixed wording.
    private static func chinese(_ m: String) -> String? {
        if m == "a tag needs a name" { return "标签需要一个名称" }
        if let x = m.firstMatch(of: /^tag name '(.+)' is (\d+) characters; at most (\d+)$/) { return "标签名「\(x.1)」有 \(x.2) 个字，最多 \(x.3) 个" }
        if let x = m.firstMatch(of: /^tag name '(.+)' may not contain/) { return "标签名「\(x.1)」不能包含 |、逗号或换行" }
        if let x = m.firstMatch(of: /^a tag named '(.+)' already exists$/) { return "已有名为「\(x.1)」的标签" }
        if let x = m.firstMatch(of: /^no tag named '(.+?)'/) { return "没有名为「\(x.1)」的标签" }
        if let x = m.firstMatch(of: /^'(.+)' is a rule tag:/) { return Labels.zh.ruleTagByHand(String(x.1)) }
        if let x = m.firstMatch(of: /^the member has no tag '(.+)'$/) { return "该会员没有标签「\(x.1)」" }
        if m.hasPrefix("nothing to undo") { return "没有可以撤销的批量打标签" }
        if let x = m.firstMatch(of: /^cannot undo bulk \w+ of '(.+?)': the tag was deleted/) { return "无法撤销「\(x.1)」的批量操作：该标签已被删除；这条记录已丢弃，可再撤销上一条" }
        if m.hasPrefix("no member with id") { return "该会员已不存在" }
        if m.hasPrefix("no tag with id") { return "该标签已不存在" }
        if m == "an empty note is not saved" { return "备注是空的，没有保存" }
        if let x = m.firstMatch(of: /^no campaign '(.+?)'/) { return "没有名为「\(x.1)」的活动" }
        if let x = m.firstMatch(of: /^campaign '(.+)' is already closed \((.*) by (.*)\)$/) { return "活动「\(x.1)」已经结束（\(x.3) 于 \(x.2) 结束）" }
        if let x = m.firstMatch(of: /^user '(.+?)' is not an operator of this store \((.+)\)/) {
            return "用户「\(x.1)」不是此店铺（\(x.2)）的操作员：请店主把你加为操作员"
        }
        if let x = m.firstMatch(of: /^staff may reveal one member's phone at a time \(this is (\d+) members\)/) {
            return "客服一次只能查看一位会员的完整手机号（这里有 \(x.1) 位），请缩小范围"
        }
        if m.hasPrefix("a reason is needed to reveal a phone number") { return "查看完整手机号需要填写原因" }
        if let x = m.firstMatch(of: /^grid scores must be 1 to 5, not R(.*) F(.*)$/) { return "R、F 评分必须是 1 到 5（现在是 R\(x.1) F\(x.2)）" }
        if let x = m.firstMatch(of: /^tier must be 0 to 4, not (.*)$/) { return "等级必须是 0 到 4（现在是 \(x.1)）" }
        if m == "a region needs a province" { return "地区需要填写省份" }
        if m == "give at least one tag" { return "请至少选一个标签" }
        if let x = m.firstMatch(of: /^bulk action #(\d+) has an unreadable member list$/) { return "批量操作 #\(x.1) 的会员名单无法读取，不能撤销" }
        // A saved list file as a campaign target (campaign create --list).
        if let x = m.firstMatch(of: /^(.+) lists no buyer ids$/) { return "名单 \(x.1) 里没有买家ID" }
        if let x = m.firstMatch(of: /^(\d+) of the (\d+) buyer ids in (.+) are not members of this store \(first: (.+)\)$/) {
            return "名单 \(x.3) 的 \(x.2) 个买家ID中有 \(x.1) 个不是本店会员（第一个：\(x.4)）"
        }
        if let x = m.firstMatch(of: /^(.+) is empty: a saved list needs a header row/) { return "文件 \(x.1) 是空的：名单需要一行带买家ID的表头" }
        if let x = m.firstMatch(of: /^(.+) has no buyer_id column/) { return "文件 \(x.1) 没有买家ID列" }
        if let x = m.firstMatch(of: /^(.+) line (\d+) cannot be read \((.*)\); nothing was created$/) { return "文件 \(x.1) 第 \(x.2) 行无法读取（\(x.3)），没有创建任何活动" }
        if let x = m.firstMatch(of: /^cannot read (.+?): (.+)$/) { return "无法读取文件 \(x.1)（\(x.2)）" }
        // The export's file (CSVStream's words, wrapped by the exporter): keep the path and the system's reason.
        if let x = m.firstMatch(of: /^cannot (?:open|write) (.+?): (.+)$/) { return "无法写入文件 \(x.1)（\(x.2)）" }
        return nil
    }
}
