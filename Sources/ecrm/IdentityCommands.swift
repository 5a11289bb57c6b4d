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
        guard let c = Channel(rawValue: channel.lowercased()) else { fail(CLIMessages.now.unknownChannel(channel, Channel.keyList)) }
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
