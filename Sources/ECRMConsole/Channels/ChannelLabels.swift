import ECRMDomain
import ECRMStore

/// Words of the channels view (渠道概览), in both languages; kept beside the view like the
/// campaign and tier labels.
struct ChannelLabels: Sendable {
    let zh: Bool

    func title(_ asOf: Day) -> String { zh ? "渠道概览 · 截至 \(asOf)" : "Channels · as of \(asOf)" }
    func members(_ n: String, _ multi: String, _ share: String) -> String {
        zh ? "会员 \(n) 人 · 跨两个及以上渠道 \(multi) 人（\(share)）" : "\(n) members · \(multi) in two or more channels (\(share))"
    }
    func links(_ total: String, _ phone: String, _ manual: String, _ merge: String, _ since: Day) -> String {
        zh ? "近30天关联 \(total) 个：手机号 \(phone) · 手动 \(manual) · 合并 \(merge)（\(since) 起）"
           : "Links in 30 days: \(total) (phone \(phone) · manual \(manual) · merge \(merge); since \(since))"
    }
    func candidates(_ n: String) -> String { zh ? "待处理疑似重复 \(n) 对 · Enter 查看该渠道会员" : "Open duplicate candidates: \(n) pairs · Enter lists a channel's members" }
    var colChannel: String { zh ? "渠道" : "Channel" }
    var colMembers: String { zh ? "会员数" : "Members" }
    var colShare: String { zh ? "占比" : "Share" }
    var colLinked: String { zh ? "近30天关联" : "Linked 30d" }
    var colOrders: String { zh ? "已付订单" : "Paid orders" }
    var colSpend: String { zh ? "消费额" : "Spend" }
    var total: String { zh ? "合计" : "Total" }
    var noMembers: String { zh ? "还没有会员：先导入会员或订单" : "no members yet: import members or orders first" }
    var note: String {
        zh ? "一个会员可在多个渠道，各渠道之和可大于合计；消费额只算已付订单。"
           : "A member can be in several channels: rows add up to more than the total. Paid orders only."
    }
    func channel(_ key: String) -> String { Channel(rawValue: key).map { zh ? $0.chineseName : $0.englishName } ?? key }

    /// Key descriptions (binding name → help text, hint label).
    var keys: [String: (String, String?)] {
        ["channels_view": zh ? ("渠道概览：各渠道会员、跨渠道会员、近30天关联、消费额", nil)
                             : ("Channels: members per channel, cross-channel members, links in 30 days, spend", nil)]
    }
}

extension Labels {
    var chan: ChannelLabels { ChannelLabels(zh: language == .zh) }
}
