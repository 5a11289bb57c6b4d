import ArgumentParser
import Foundation
import ECRMStore
import ECRMDomain

/// `ecrm member tier BUYER --level N --reason TEXT`: the owner sets one member's level by hand.
struct MemberTier: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tier",
        abstract: "Set a member's tier by hand (owner). Lowering needs --reason; it goes to the audit log.",
        discussion: "A lowered member rises again only through paid orders added after the change.")
    @Argument(help: "BUYER_ID, NICK, phone or order number") var key: String
    @Option(help: "New level, 0-4 (0 = shop customer).") var level: Int
    @Option(help: "Why (required when lowering).") var reason = ""
    @OptionGroup var store: StoreOptions
    @OptionGroup var lang: TierLanguageOption
    @Flag(help: "JSON output.") var json = false

    struct Output: Encodable { var buyerId: String; var from: Int; var to: Int }

    func run() throws {
        let language = lang.language
        try tierGuarded(language) {
            let r = try MemberTierAdmin.setTier(try store.open(), member: key, to: level, reason: reason)
            if json { try printJSON(Output(buyerId: r.buyerId, from: r.from, to: r.to)); return }
            print(language == .zh ? "\(r.buyerId)：\(r.from)级 → \(r.to)级" : "\(r.buyerId): level \(r.from) → \(r.to)")
        }
    }
}

/// `ecrm member blacklist BUYER on|off --reason TEXT`.
struct MemberBlacklist: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blacklist",
        abstract: "Put a member on or off the blacklist (owner, with --reason). Blacklisted members keep their level but get no discount and are never upgraded.")
    enum Switch: String, ExpressibleByArgument { case on, off }
    @Argument(help: "BUYER_ID, NICK, phone or order number") var key: String
    @Argument(help: "on or off") var state: Switch
    @Option(help: "Why (required; goes to the audit log).") var reason = ""
    @OptionGroup var store: StoreOptions
    @OptionGroup var lang: TierLanguageOption
    @Flag(help: "JSON output.") var json = false

    struct Output: Encodable { var buyerId: String; var blacklisted: Bool; var level: Int }

    func run() throws {
        let language = lang.language
        try tierGuarded(language) {
            let r = try MemberTierAdmin.setBlacklist(try store.open(), member: key, on: state == .on, reason: reason)
            if json { try printJSON(Output(buyerId: r.buyerId, blacklisted: r.blacklisted, level: r.level)); return }
            if language == .zh {
                print(r.blacklisted ? "\(r.buyerId) 已加入黑名单（保留\(r.level)级，不享受折扣）" : "\(r.buyerId) 已移出黑名单（\(r.level)级）")
            } else {
                print(r.blacklisted ? "\(r.buyerId) is blacklisted (keeps level \(r.level), no discount)" : "\(r.buyerId) is off the blacklist (level \(r.level))")
            }
        }
    }
}
