import ArgumentParser
import Foundation
import ECRMStore
import ECRMDomain

/// `ecrm duplicates [--json]`, `ecrm duplicates dismiss A B`: duplicate candidates with their
/// evidence (PRODUCT.md: One member across channels). Phones are masked.
struct DuplicatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicates", abstract: "Duplicate candidates with their evidence; dismiss a pair (owner).",
        subcommands: [List.self, Dismiss.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Every candidate pair: same phone, same name and birthday, same name, city and phone tail, and the import's phone links.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var lang: TierLanguageOption
        @Flag(help: "JSON output.") var json = false

        struct Side: Encodable {
            var buyerId: String, nick: String, name: String, phone: String, city: String, tier: Int, status: String, orders: Int, spend: String
            init(_ m: MemberSummary) {
                buyerId = m.buyerId; nick = m.nick; name = m.name; phone = m.maskedPhone; city = m.city; tier = m.tier; status = m.status
                orders = m.paidCount; spend = Money.yuanString(m.paidSum)
            }
        }
        struct Evidence: Encodable { var code: String; var text: String }
        struct Pair: Encodable { var a: Side; var b: Side; var evidence: [Evidence] }
        struct Crowded: Encodable { var evidence: Evidence; var members: Int }
        struct Output: Encodable { var pairs: [Pair]; var crowded: [Crowded] }

        func run() throws {
            let language = lang.language
            try guarded {
                let found = try MergeService(store: try store.openForReading(), language: language).duplicates()
                let w = MergeWords(language)
                if json {
                    try printJSON(Output(pairs: found.pairs.map { p in
                        Pair(a: Side(p.a), b: Side(p.b), evidence: p.evidence.map { Evidence(code: $0.code, text: $0.describe(language)) })
                    }, crowded: found.crowded.map { Crowded(evidence: Evidence(code: $0.evidence.code, text: $0.evidence.describe(language)), members: $0.members) }))
                    return
                }
                print(w.header(found.pairs.count))
                for (i, p) in found.pairs.enumerated() {
                    print("\(i + 1). \(w.side(p.a))")
                    print("   \(w.side(p.b))")
                    print("   \(w.evidence): " + p.evidence.map { $0.describe(language) }.joined(separator: "; "))
                }
                for c in found.crowded { print(w.crowded(c.evidence.describe(language), c.members)) }
            }
        }
    }

    struct Dismiss: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "dismiss",
            abstract: "The two are different people (owner): the pair is never offered again. Audited.")
        @Argument(help: "One member (buyer id, nick, phone or order number).") var a: String
        @Argument(help: "The other member.") var b: String
        @OptionGroup var store: StoreOptions
        @OptionGroup var lang: TierLanguageOption

        func run() throws {
            let language = lang.language
            try guarded {
                try MergeService(store: try store.open(), language: language).dismiss(a, b)
                print(MergeWords(language).dismissed(a, b))
            }
        }
    }
}

/// `ecrm member merge KEEP OTHER [--yes]`: the preview, or with --yes the merge (owner).
struct MemberMerge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge OTHER into KEEP (owner): identities, orders, tags and notes move; the tier is the higher of the two. Preview unless --yes.",
        discussion: "Undo with `ecrm member unmerge OTHER`. A blacklisted member may be merged: the merged member is then blacklisted.")
    @Argument(help: "The member that stays (buyer id, nick, phone or order number).") var keep: String
    @Argument(help: "The member merged into it.") var other: String
    @Flag(help: "Merge now (without it: the preview only).") var yes = false
    @OptionGroup var store: StoreOptions
    @OptionGroup var lang: TierLanguageOption
    @Flag(help: "JSON output.") var json = false

    struct Card: Encodable {
        var buyerId: String, tier: Int, tierName: String, discount: Int, status: String, frequency: Int, monetary: String
        var paidCount: Int, paidSum: String, tags: [String]
        init(_ d: MemberDetail) {
            buyerId = d.summary.buyerId; tier = d.summary.tier; tierName = d.tierName; discount = d.discount; status = d.summary.status
            frequency = d.measure?.frequency ?? 0; monetary = Money.yuanString(d.measure?.monetary ?? 0)
            paidCount = d.summary.paidCount; paidSum = Money.yuanString(d.summary.paidSum); tags = d.tags
        }
    }
    struct Output: Encodable {
        var merged: Bool
        var keep: Card, other: Card, result: Card
        var ordersMoving: Int, notesMoving: Int, identitiesMoving: Int
        var raisedByTotal: Bool, blacklistCarried: Bool
    }

    func run() throws {
        let language = lang.language
        try guarded {
            let service = MergeService(store: try store.open(), language: language)
            let p = yes ? try service.merge(keep: keep, other: other) : try service.preview(keep: keep, other: other)
            if json {
                try printJSON(Output(merged: yes, keep: Card(p.keep), other: Card(p.other), result: Card(p.merged), ordersMoving: p.ordersMoving,
                                     notesMoving: p.notesMoving, identitiesMoving: p.identitiesMoving, raisedByTotal: p.raisedByTotal,
                                     blacklistCarried: p.blacklistCarried))
                return
            }
            for line in MergeWords(language).preview(p, done: yes) { print(line) }
        }
    }
}

/// `ecrm member unmerge BUYER`: undoes a merge (owner).
struct MemberUnmerge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unmerge",
        abstract: "Undo a merge (owner): BUYER is the member merged away (or the survivor: its latest merge). Both get back their identities and orders; no tier goes down.")
    @Argument(help: "The member merged away (its buyer id), or the survivor.") var key: String
    @OptionGroup var store: StoreOptions
    @OptionGroup var lang: TierLanguageOption
    @Flag(help: "JSON output.") var json = false

    struct Output: Encodable { var keep: String; var other: String; var ordersBack: Int; var identitiesBack: Int; var keepTier: Int; var otherTier: Int }

    func run() throws {
        let language = lang.language
        try guarded {
            let r = try MergeService(store: try store.open(), language: language).unmerge(key)
            if json {
                try printJSON(Output(keep: r.keep, other: r.other, ordersBack: r.ordersBack, identitiesBack: r.identitiesBack, keepTier: r.keepTier, otherTier: r.otherTier))
                return
            }
            print(MergeWords(language).unmerged(r))
        }
    }
}

/// The merge commands' words in both languages.
struct MergeWords {
    let zh: Bool
    init(_ language: MessageLanguage) { zh = language == .zh }

    var evidence: String { zh ? "依据" : "evidence" }
    func header(_ n: Int) -> String {
        if n == 0 { return zh ? "没有疑似重复的会员" : "no duplicate candidates" }
        return zh ? "\(CampaignFormat.grouped(n)) 对疑似重复的会员（合并：ecrm member merge 保留 合并；排除：ecrm duplicates dismiss A B）"
                  : "\(CampaignFormat.grouped(n)) duplicate candidate pairs (merge: ecrm member merge KEEP OTHER; dismiss: ecrm duplicates dismiss A B)"
    }
    func side(_ m: MemberSummary) -> String {
        let who = [m.nick, m.name, m.maskedPhone, m.city].filter { !$0.isEmpty }.joined(separator: " ")
        let black = m.isBlacklisted ? (zh ? " · 黑名单" : " · blacklisted") : ""
        return zh ? "\(m.buyerId)（\(who)）· \(m.tier)级 · \(CampaignFormat.grouped(m.paidCount))单 \(Money.display(m.paidSum))\(black)"
                  : "\(m.buyerId) (\(who)) · level \(m.tier) · \(CampaignFormat.grouped(m.paidCount)) orders \(Money.display(m.paidSum))\(black)"
    }
    func crowded(_ e: String, _ n: Int) -> String {
        zh ? "另有：\(e) 为 \(CampaignFormat.grouped(n)) 位会员共有（可能是店铺或代购的号码），不逐对列出"
           : "also: \(e) is shared by \(CampaignFormat.grouped(n)) members (a shop or reseller number?), not listed pair by pair"
    }
    func dismissed(_ a: String, _ b: String) -> String { zh ? "已排除 \(a) 与 \(b)：不再列为疑似重复" : "dismissed \(a) and \(b): no longer offered as duplicates" }

    func card(_ d: MemberDetail) -> String {
        let tags = d.tags.isEmpty ? "—" : d.tags.joined(separator: "、")
        let black = d.summary.isBlacklisted ? (zh ? " · 黑名单" : " · blacklisted") : ""
        let f = d.measure?.frequency ?? 0, m = Money.display(d.measure?.monetary ?? 0)
        return zh ? "F \(f) · M \(m) · \(d.summary.tier)级 \(d.tierName)（\(discountText(d.discount, .zh))）\(black) · 标签：\(tags)"
                  : "F \(f) · M \(m) · level \(d.summary.tier) \(d.tierName) (\(discountText(d.discount, .en)))\(black) · tags: \(tags)"
    }

    func preview(_ p: MergeService.MergePreview, done: Bool) -> [String] {
        let keep = p.keep.summary.buyerId, other = p.other.summary.buyerId
        var lines = [done ? (zh ? "已把 \(other) 合并进 \(keep)：" : "merged \(other) into \(keep):")
                          : (zh ? "预览：把 \(other) 合并进 \(keep)（加 --yes 执行）" : "preview: merge \(other) into \(keep) (add --yes to merge)")]
        lines.append((zh ? "  保留  " : "  keep    ") + "\(keep): " + card(p.keep))
        lines.append((zh ? "  合并  " : "  other   ") + "\(other): " + card(p.other))
        lines.append((zh ? "  合并后 " : "  merged  ") + "\(keep): " + card(p.merged))
        let ids = p.otherIdentities.map { "\($0.channel):\($0.externalId)" }.joined(separator: ", ")
        lines.append(zh ? "  转移：\(p.ordersMoving) 笔订单、\(p.notesMoving) 条备注、\(p.identitiesMoving) 个身份（\(ids)）"
                        : "  moves: \(p.ordersMoving) orders, \(p.notesMoving) notes, \(p.identitiesMoving) identities (\(ids))")
        if p.raisedByTotal { lines.append(zh ? "  合计消费达到更高等级：升为 \(p.merged.summary.tier)级" : "  the combined spend reaches a higher tier: level \(p.merged.summary.tier)") }
        if p.blacklistCarried {
            let who = p.keep.summary.isBlacklisted ? keep : other
            lines.append(zh ? "  注意：\(who) 在黑名单中，合并后的会员也在黑名单中（不享受折扣）"
                            : "  note: \(who) is blacklisted, so the merged member is blacklisted too (no discount)")
        }
        if done { lines.append(zh ? "  撤销：ecrm member unmerge \(other)" : "  undo: ecrm member unmerge \(other)") }
        return lines
    }

    func unmerged(_ r: MergeService.Unmerged) -> String {
        zh ? "已拆分 \(r.other) 与 \(r.keep)：\(r.ordersBack) 笔订单、\(r.identitiesBack) 个身份回到 \(r.other)；等级 \(r.keep) \(r.keepTier)级，\(r.other) \(r.otherTier)级（拆分不降级）"
           : "unmerged \(r.other) from \(r.keep): \(r.ordersBack) orders and \(r.identitiesBack) identities back to \(r.other); levels \(r.keep) \(r.keepTier), \(r.other) \(r.otherTier) (an unmerge lowers no tier)"
    }
}
