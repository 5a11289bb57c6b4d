import ArgumentParser
import Foundation
import ECRMStore
import ECRMDomain

/// `ecrm channels [--json]`: members per channel, members in two or more channels, links made in
/// the last 30 days and paid spend per channel (PRODUCT.md: One member across channels).
struct ChannelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channels",
        abstract: "Members per channel, cross-channel members, links made in the last 30 days, paid spend per channel.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var language: TierLanguageOption
    @Flag(help: "JSON output (money in yuan as a string, \"1234.50\").") var json = false

    func run() throws {
        try guarded {
            let o = try ChannelOverview.compute(try store.openForReading())
            if json { try printJSON(ChannelsJSON(o)); return }
            print(ChannelsText(zh: language.language == .zh).render(o))
        }
    }
}

/// The `--json` shape: camelCase like the other commands, money in yuan as Money.yuanString ("1234.50").
struct ChannelsJSON: Encodable {
    struct Row: Encodable {
        var channel: String, members: Int, linkedLast30Days: Int, paidOrders: Int64, spend: String
    }
    struct Links: Encodable { var phone: Int, manual: Int, merge: Int, total: Int }
    var asOf: String, since: String, members: Int, multiChannelMembers: Int, openCandidates: Int
    var linksLast30Days: Links
    var channels: [Row]
    var paidOrders: Int64, spend: String

    init(_ o: ChannelOverview) {
        asOf = o.asOf.description; since = o.since.description; members = o.members; multiChannelMembers = o.multiChannel
        openCandidates = o.openCandidates
        linksLast30Days = Links(phone: o.links.phone, manual: o.links.manual, merge: o.links.merge, total: o.links.total)
        channels = o.channels.map { Row(channel: $0.channel, members: $0.members, linkedLast30Days: $0.linked, paidOrders: $0.paidOrders, spend: Money.yuanString($0.spend)) }
        paidOrders = o.paidOrders; spend = Money.yuanString(o.spend)
    }
}

/// The words of `ecrm channels`, zh and en.
struct ChannelsText {
    let zh: Bool

    func name(_ key: String) -> String {
        Channel(rawValue: key).map { zh ? $0.chineseName : $0.englishName } ?? key
    }

    func share(_ part: Int, _ whole: Int) -> String { whole == 0 ? "-" : CampaignFormat.percent(Double(part) / Double(whole)) }

    func render(_ o: ChannelOverview) -> String {
        let n = CampaignFormat.grouped
        var lines: [String] = []
        lines.append(zh
            ? "渠道概览（截至 \(o.asOf)）：会员 \(n(o.members)) 人，跨两个及以上渠道 \(n(o.multiChannel)) 人（\(share(o.multiChannel, o.members))）"
            : "Channels as of \(o.asOf): \(n(o.members)) members, \(n(o.multiChannel)) in two or more channels (\(share(o.multiChannel, o.members)))")
        let l = o.links
        lines.append(zh
            ? "近30天关联（\(o.since) 至 \(o.asOf)）：\(n(l.total)) 个（手机号 \(n(l.phone)) · 手动 \(n(l.manual)) · 合并 \(n(l.merge))）"
            : "Links in the last 30 days (\(o.since) to \(o.asOf)): \(n(l.total)) (phone \(n(l.phone)), manual \(n(l.manual)), merge \(n(l.merge)))")
        lines.append(zh ? "待处理疑似重复 \(n(o.openCandidates)) 对（ecrm duplicates）" : "Open duplicate candidates: \(n(o.openCandidates)) pairs (ecrm duplicates)")
        let head = zh ? ["渠道", "会员数", "占比", "近30天关联", "已付订单", "消费额"]
                      : ["channel", "members", "share", "linked 30d", "paid orders", "spend"]
        let widths = [12, -11, -7, -10, -11, -18]
        func row(_ cells: [String]) -> String { TextColumns.row(Array(zip(cells, widths))) }
        lines.append(row(head))
        for r in o.channels {
            lines.append(row([name(r.channel), n(r.members), share(r.members, o.members), n(r.linked), n(Int(r.paidOrders)), Money.display(r.spend)]))
        }
        if o.channels.isEmpty { lines.append(zh ? "（还没有会员）" : "(no members yet)") }
        lines.append(row([zh ? "合计" : "total", n(o.members), "", n(l.total), n(Int(o.paidOrders)), Money.display(o.spend)]))
        lines.append(zh ? "一个会员可在多个渠道，各渠道会员数之和可大于合计；消费额只算已付订单。"
                        : "A member can be in several channels, so the channels add up to more than the total; spend counts paid orders only.")
        return lines.joined(separator: "\n")
    }
}
