import ArgumentParser
import Foundation
import ECRMStore
import ECRMDomain

/// `--channel C --id EXTERNAL_ID`: one identity (PRODUCT.md: One member across channels).
struct IdentityOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The identity's channel: \(Channel.keyList).", valueName: "C")) var channel: String
    @Option(name: .customLong("id"), help: ArgumentHelp("The identity in that channel: a nick, an account, an e-mail, a member-card number.", valueName: "EXTERNAL_ID"))
    var externalId: String

    func parsed() -> Channel {
        guard let c = Channel(rawValue: channel.lowercased()) else { fail("unknown channel '\(channel)': use one of \(Channel.keyList)") }
        return c
    }
}

/// `ecrm member link BUYER --channel C --id X`: e.g. the offline card a buyer shows at the till.
struct MemberLink: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Add an identity in a channel to a member (audited): e.g. an offline member card shown at the till.",
        discussion: "Refused when another member has that identity (merge the two members instead).")
    @Argument(help: "BUYER_ID, NICK, phone, order number or any identity") var key: String
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var lang: TierLanguageOption

    func run() throws {
        let language = lang.language
        StoreMessages.language = language
        let channel = identity.parsed()
        try guarded {
            let buyer = try Identities.link(try store.open(), member: key, channel: channel, externalId: identity.externalId)
            let shown = "\(channel.rawValue):\(identity.externalId.trimmingCharacters(in: .whitespaces))"
            print(language == .zh ? "已将身份 \(shown) 关联到会员 \(buyer)" : "linked \(shown) to member \(buyer)")
        }
    }
}

/// `ecrm member unlink BUYER --channel C --id X`.
struct MemberUnlink: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlink",
        abstract: "Take an identity from a member (audited). One with orders becomes a member of its own with them.",
        discussion: "Refused for an identity that does not exist, another member's, the member's first identity, or its last.")
    @Argument(help: "BUYER_ID, NICK, phone, order number or any identity") var key: String
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var lang: TierLanguageOption

    func run() throws {
        let language = lang.language
        StoreMessages.language = language
        let channel = identity.parsed()
        try guarded {
            let r = try Identities.unlink(try store.open(), member: key, channel: channel, externalId: identity.externalId)
            if let other = r.newMember {
                print(language == .zh ? "已从会员 \(r.buyerId) 解除身份 \(r.identity)；它和它的 \(r.ordersMoved) 笔订单成为会员 \(other)"
                                       : "unlinked \(r.identity) from member \(r.buyerId); it and its \(r.ordersMoved) orders are now member \(other)")
            } else {
                print(language == .zh ? "已从会员 \(r.buyerId) 解除身份 \(r.identity)" : "unlinked \(r.identity) from member \(r.buyerId)")
            }
        }
    }
}

/// `ecrm channels [--json]`: members per channel, members in two or more, links of the last 30
/// days, paid orders and spend per channel.
struct ChannelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channels",
        abstract: "Members per channel, members seen in two or more channels, links made in the last 30 days, and spend per channel.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var lang: TierLanguageOption
    @Flag(help: "JSON output (money in fen).") var json = false

    func run() throws {
        let zh = lang.language == .zh
        try guarded {
            let o = try ChannelStats.overview(try store.openForReading())
            if json { try printJSON(o); return }
            func n(_ v: Int) -> String { CampaignFormat.grouped(v) }
            print(TextColumns.row([(zh ? "渠道" : "channel", 10), (zh ? "会员数" : "members", -12), (zh ? "已付订单" : "paid orders", -12), (zh ? "消费金额" : "spend", -16)]))
            for c in o.channels {
                print(TextColumns.row([(c.channel, 10), (n(c.members), -12), (n(c.paidOrders), -12), (Money.display(c.spend), -16)]))
            }
            print(zh ? "会员 \(n(o.members))，跨 2 个及以上渠道 \(n(o.multiChannelMembers))；近 30 天关联身份 \(n(o.linksLast30Days))（手机号 \(n(o.phoneLinksLast30Days))，手工 \(n(o.manualLinksLast30Days))）；待处理疑似重复 \(n(o.openCandidates)) 对"
                     : "\(n(o.members)) members, \(n(o.multiChannelMembers)) in two or more channels; \(n(o.linksLast30Days)) identities linked in the last 30 days (\(n(o.phoneLinksLast30Days)) by phone, \(n(o.manualLinksLast30Days)) by hand); \(n(o.openCandidates)) open duplicate candidates")
        }
    }
}
