import ECRMDomain
import ECRMStore

/// The keys of the duplicates view and its pair review (会员通: duplicate candidates, merge).
public enum MergeAction: Hashable, Sendable { case openDuplicates, merge, swap, dismiss }

/// Words of the duplicates view and the pair review, in both languages (kept beside the views,
/// like CampaignLabels).
struct MergeLabels: Sendable {
    let zh: Bool

    var title: String { zh ? "疑似重复会员" : "Duplicate candidates" }
    var computing: String { zh ? "正在查找疑似重复的会员…" : "finding duplicate candidates…" }
    var none: String { zh ? "没有疑似重复的会员" : "no duplicate candidates" }
    func count(_ n: String) -> String { zh ? "\(n) 对" : "\(n) pairs" }
    var colA: String { zh ? "会员 A" : "Member A" }
    var colB: String { zh ? "会员 B" : "Member B" }
    var colEvidence: String { zh ? "依据" : "Evidence" }
    var listHelp: String { zh ? "Enter 对比两位会员 · q 返回" : "Enter compare the two · q back" }
    func crowded(_ e: String, _ n: String) -> String {
        zh ? "另有 \(e) 为 \(n) 位会员共有，不逐对列出" : "also: \(e) is shared by \(n) members, not listed pair by pair"
    }

    // Pair review
    var keep: String { zh ? "保留" : "Stays" }
    var mergedIn: String { zh ? "并入左边" : "Merged into the left" }
    var nick: String { zh ? "昵称" : "Nick" }
    var name: String { zh ? "姓名" : "Name" }
    var phone: String { zh ? "手机" : "Phone" }
    var place: String { zh ? "地区" : "Region" }
    var birthday: String { zh ? "生日" : "Birthday" }
    var tier: String { zh ? "等级" : "Tier" }
    var blacklisted: String { zh ? "黑名单" : "blacklisted" }
    var orders: String { zh ? "订单" : "Orders" }
    var lastPaid: String { zh ? "最近付款" : "Last paid" }
    var tags: String { zh ? "标签" : "Tags" }
    var identities: String { zh ? "身份" : "Identities" }
    /// Why a pair is listed, each item in the screen's language.
    func evidence(_ items: [String]) -> String {
        zh ? "依据：" + items.joined(separator: "；") : "Evidence: " + items.joined(separator: "; ")
    }
    var pairHelp: String { zh ? "m 合并（右边并入左边）· s 交换左右 · d 不是同一人 · q 返回" : "m merge (right into left) · s swap sides · d not the same person · q back" }
    func spend(_ orders: Int, _ money: String) -> String { zh ? "\(orders) 单 · \(money)" : "\(orders) · \(money)" }

    // Merge and dismiss
    var mergeTitle: String { zh ? "合并会员" : "Merge members" }
    func mergeQuestion(_ keep: String, _ other: String) -> String { zh ? "把 \(other) 合并进 \(keep)？" : "Merge \(other) into \(keep)?" }
    func mergedCard(_ f: Int, _ m: String, _ tier: String, _ discount: String, _ tags: String) -> String {
        zh ? "合并后：F \(f) · M \(m) · \(tier)（\(discount)）· 标签：\(tags)" : "Merged: F \(f) · M \(m) · \(tier) (\(discount)) · tags: \(tags)"
    }
    func moves(_ o: Int, _ n: Int, _ i: Int) -> String {
        zh ? "转移 \(o) 笔订单、\(n) 条备注、\(i) 个身份；可用 ecrm member unmerge 撤销" : "moves \(o) orders, \(n) notes, \(i) identities; undo with ecrm member unmerge"
    }
    var raised: String { zh ? "合计消费达到更高等级" : "the combined spend reaches a higher tier" }
    func blacklistCarried(_ who: String) -> String {
        zh ? "注意：\(who) 在黑名单中，合并后的会员也在黑名单中（不享受折扣）" : "note: \(who) is blacklisted, so the merged member is too (no discount)"
    }
    func merged(_ other: String, _ keep: String) -> String { zh ? "已把 \(other) 合并进 \(keep)" : "merged \(other) into \(keep)" }
    var dismissTitle: String { zh ? "不是同一人" : "Not the same person" }
    func dismissQuestion(_ a: String, _ b: String) -> String {
        zh ? "\(a) 和 \(b) 不是同一人？这一对以后不再列出。" : "\(a) and \(b) are two people? The pair will not be offered again."
    }
    func dismissed(_ a: String, _ b: String) -> String { zh ? "已排除 \(a) 与 \(b)" : "dismissed \(a) and \(b)" }
    func discount(_ perMille: Int) -> String { discountText(perMille, zh ? .zh : .en) }

    /// Key descriptions (merged into the key table beside the shared ones).
    var keys: [String: (String, String?)] {
        zh ? ["duplicates": ("疑似重复会员（对比、合并、排除）", "重复"), "merge_pair": ("合并：右边并入左边（店主）", "合并"),
              "swap_pair": ("交换左右（哪位保留）", "交换"), "dismiss_pair": ("不是同一人：不再列出（店主）", "排除")]
           : ["duplicates": ("Duplicate candidates (compare, merge, dismiss)", "dupes"), "merge_pair": ("Merge the right member into the left (owner)", "merge"),
              "swap_pair": ("Swap sides (which one stays)", "swap"), "dismiss_pair": ("Not the same person: never offered again (owner)", "dismiss")]
    }

    var contextTitles: [String: String] {
        zh ? ["duplicates": "疑似重复会员", "duplicate_pair": "对比两位会员"] : ["duplicates": "Duplicate candidates", "duplicate_pair": "Comparing two members"]
    }
}

extension Labels {
    var merge: MergeLabels { MergeLabels(zh: language == .zh) }
}
