import Foundation
import ECRMDomain
import ECRMStore

/// The console's words for identities, links and channels (PRODUCT.md: One member across channels),
/// in both languages; kept apart from the main tables like CampaignLabels.
struct IdentityLabels {
    let zh: Bool

    var keys: [String: (String, String?)] {
        zh ? ["link_identity": ("关联身份（其他渠道账号、线下会员卡号）", nil),
              "unlink_identity": ("解除身份关联", nil),
              "channel_filter": ("按渠道筛选（依次切换渠道）", nil)]
           : ["link_identity": ("Link an identity (another channel's account, an offline card)", nil),
              "unlink_identity": ("Unlink an identity", nil),
              "channel_filter": ("Filter by channel (cycles the channels)", nil)]
    }

    /// Help headings of the identity keys' contexts.
    var contextTitles: [String: String] {
        zh ? ["member_channels": "渠道", "channels": "渠道概览"] : ["member_channels": "Channels", "channels": "Channels overview"]
    }

    var identities: String { zh ? "身份" : "Identities" }
    var home: String { zh ? "首个" : "first" }
    var linkTitle: String { zh ? "关联身份" : "Link an identity" }
    var unlinkTitle: String { zh ? "解除身份关联" : "Unlink an identity" }
    var channelField: String { zh ? "渠道" : "Channel" }
    var idField: String { zh ? "账号/卡号" : "Account/card" }
    func unknownChannel(_ given: String) -> String {
        zh ? "未知渠道“\(given)”：可用 \(Channel.keyList)" : "unknown channel '\(given)': use one of \(Channel.keyList)"
    }
    func linked(_ identity: String) -> String { zh ? "已关联 \(identity)" : "linked \(identity)" }
    func unlinked(_ identity: String, _ newMember: String?) -> String {
        guard let newMember else { return zh ? "已解除 \(identity)" : "unlinked \(identity)" }
        return zh ? "已解除 \(identity)，它的订单归入会员 \(newMember)" : "unlinked \(identity); its orders are now member \(newMember)'s"
    }
    func how(_ h: String) -> String {
        switch h {
        case "phone": return zh ? "手机号关联" : "linked by phone"
        case "manual": return zh ? "手工关联" : "linked by hand"
        case "merge": return zh ? "合并" : "merged"
        default: return ""
        }
    }
    /// "3 笔 ¥1,500.00" / "3 orders ¥1,500.00".
    func ordersSpend(_ orders: Int, _ spend: Int64) -> String {
        zh ? "\(orders) 笔 \(Money.display(spend))" : "\(orders) order\(orders == 1 ? "" : "s") \(Money.display(spend))"
    }
    func channelName(_ c: Channel?) -> String {
        guard let c else { return zh ? "全部渠道" : "all channels" }
        return c.rawValue
    }
    func channelFilterOn(_ c: Channel?) -> String {
        zh ? "渠道：\(channelName(c))" : "channel: \(channelName(c))"
    }
}

extension Labels {
    var ident: IdentityLabels { IdentityLabels(zh: language == .zh) }
}
