import ArgumentParser
import Foundation
import ECRMStore
import ECRMDomain

struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "Find members by nick, name, phone (tail), buyer id, card number or order number.")
    @Argument(help: "What the buyer gave you") var text: String
    @OptionGroup var store: StoreOptions
    @Option(help: "At most this many results.") var limit = 20
    @Flag(help: "JSON output.") var json = false
    @OptionGroup var reveal: RevealOptions

    func run() throws {
        try guarded {
            let s = try store.openForReading()
            var hits = try MemberSearch.search(s, text, limit: limit)
            try reveal.apply(s, to: &hits, context: "search '\(text)'")
            if json { try printJSON(hits); return }
            if hits.isEmpty { print(CLIMessages.now.noMemberMatches(text)); return }
            for h in hits {
                print(TextColumns.row([
                    (h.buyerId, 12), (h.nick, 22), (h.name, 8), (h.phone, 12),
                    ("T\(h.tier)", 3), (Money.display(h.paidSum), 12), (h.matchedBy, 10),
                ]))
            }
        }
    }
}

/// `--reveal [--reason TEXT]`: clear phones in the output (the owner: any number, reason optional;
/// staff: one member, with a reason). Without it every phone printed is masked, as the store gives it.
struct RevealOptions: ParsableArguments {
    @Flag(help: "Show phones in clear (owner; staff one member with --reason). Written to the audit log.") var reveal = false
    @Option(help: "Why the phone is revealed (required for staff; goes to the audit log).") var reason: String?

    func apply(_ store: Store, to members: inout [MemberSummary], context: String) throws {
        guard reveal, !members.isEmpty else { return }
        let clear = try MemberActions.revealPhones(store, memberIds: members.map(\.id), reason: reason, context: context)
        for i in members.indices { if let p = clear[members[i].id] { members[i].phone = p } }
    }
}

struct MemberCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "member", abstract: "Show one member's card; set a tier or the blacklist (owner); link or unlink an identity; merge or unmerge two members (owner).", subcommands: [Show.self, MemberTier.self, MemberBlacklist.self, MemberLink.self, MemberUnlink.self, MemberMerge.self, MemberUnmerge.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a member card by buyer id, nick, phone or order number.")
        @Argument(help: "BUYER_ID or NICK") var key: String
        @OptionGroup var store: StoreOptions
        @Flag(help: "JSON output.") var json = false
        @OptionGroup var reveal: RevealOptions

        func run() throws {
            try guarded {
                let s = try store.openForReading()
                let detail = try MemberQueries.detail(s, key: key)
                guard var d = detail else {
                    // Not one member by its key: a partial phone or nick may match several; list them.
                    let hits = try MemberSearch.search(s, key, limit: 20)
                    if hits.count == 1, var one = try MemberQueries.detail(s, id: hits[0].id) {
                        var summary = [one.summary]
                        try reveal.apply(s, to: &summary, context: "member show")
                        one.summary = summary[0]
                        if json { try printJSON(one) } else { print(CardText.render(one)) }
                        return
                    }
                    guard !hits.isEmpty else { fail(CLIMessages.now.noMember(key)) }
                    printErr(CLIMessages.now.manyMatch(hits.count == 20 ? "20+" : String(hits.count), key))
                    for h in hits {
                        print(TextColumns.row([(h.buyerId, 12), (h.nick, 22), (h.name, 8), (h.maskedPhone, 12), (Money.display(h.paidSum), 12)]))
                    }
                    throw ExitCode(1)
                }
                var one = [d.summary]
                try reveal.apply(s, to: &one, context: "member show")
                d.summary = one[0]
                if json { try printJSON(d) } else { print(CardText.render(d)) }
            }
        }
    }
}

/// Plain-text member card for the command line.
enum CardText {
    static func render(_ d: MemberDetail) -> String {
        let m = d.summary
        var out: [String] = []
        out.append("\(m.nick)  (\(m.buyerId))  \(d.tierName) \(discountLabel(d.discount))\(m.isBlacklisted ? "  [黑名单 blacklisted]" : "")")
        out.append("姓名 \(m.name)  手机 \(m.phone)  性别 \(d.gender)  生日 \(d.birthday ?? "-")  地区 \(m.province) \(m.city)")
        if let card = d.cardNo { out.append("线下会员卡号 \(card)") }
        // Identities per channel with their orders and spend (only when there is more than the buyer_id).
        if d.identities.count > 1 || d.identities.first.map({ $0.channel != Channel.default.rawValue || $0.externalId != m.buyerId }) == true {
            out.append("身份 identities:")
            for i in d.identities {
                out.append("  \(i.channel):\(i.externalId)\(i.home ? " *" : "")  \(i.orders) 笔  \(Money.display(i.spend))\(i.how == "new" ? "" : "  (\(i.how) \(i.linkedAt ?? ""))")")
            }
        }
        if let x = d.measure {
            let score = d.score.map { "R\($0.r) F\($0.f) M\($0.m) \($0.segment.chineseName)" } ?? "-"
            out.append("R \(x.recencyDays.map { "\($0)天" } ?? "-")  F \(x.frequency)  M \(Money.display(x.monetary))  \(score)  \(d.lifecycle.chineseName)\(x.isReturning ? " 老客" : "")")
        }
        out.append("累计 \(m.paidCount) 笔 \(Money.display(m.paidSum))")
        if let n = d.nextTier {
            out.append(n.metric == .amount ? "还差 \(Money.display(n.missing)) 升级到 \(n.name)" : "还差 \(n.missing) 笔 升级到 \(n.name)")
        }
        if !d.tags.isEmpty { out.append("标签 " + d.tags.joined(separator: " | ")) }
        for n in d.notes.prefix(5) { out.append("备注 \(n.createdAt) \(n.operatorName): \(n.body)") }
        for o in d.recentOrders { out.append("  \(o.channel == Channel.default.rawValue ? "" : o.channel + " ")\(o.orderId)  \(o.paidAt)  \(Money.display(o.amount))  \(o.status)  ×\(o.items)") }
        return out.joined(separator: "\n")
    }
}
