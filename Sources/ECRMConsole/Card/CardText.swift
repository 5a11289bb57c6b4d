import TerminalKit
import ECRMStore
import ECRMDomain

/// A card line as coloured pieces.
struct Span { var text: String; var role: StyleRole = .text }
typealias CardLine = [Span]

/// Turns a MemberDetail into lines for the member card (会员名片). Pure, so goldens pin it.
struct CardText {
    let d: MemberDetail
    let labels: Labels
    let asOf: Day
    let revealedPhone: String?
    let utf8: Bool

    /// Profile, tier, RFM, tags and spend (left column at 120+).
    func profile() -> [CardLine] {
        let s = d.summary
        var out: [CardLine] = []
        out.append([Span(text: s.nick.isEmpty ? s.buyerId : s.nick, role: .title),
                    Span(text: "  " + [s.name, labels.genders[d.gender] ?? d.gender, s.buyerId].filter { !$0.isEmpty }.joined(separator: " · "))])
        var phone: CardLine = [Span(text: labels.phone + " ", role: .muted)]
        if let p = revealedPhone {
            phone += [Span(text: p, role: .warning), Span(text: " (" + labels.revealed + ")", role: .muted)]
        } else {
            phone += [Span(text: s.maskedPhone.isEmpty ? labels.none : s.maskedPhone), Span(text: "  [" + labels.reveal + "]", role: .muted)]
        }
        if let c = d.cardNo, !c.isEmpty { phone += [Span(text: "   " + labels.cardNo + " ", role: .muted), Span(text: c)] }
        out.append(phone)
        out.append(birthdayLine())
        var region: CardLine = [Span(text: labels.region + " ", role: .muted),
                                Span(text: [s.province, s.city].filter { !$0.isEmpty }.joined(separator: " ").ifEmpty(labels.none))]
        if let j = d.joinedAt { region += [Span(text: "   " + labels.joined + " ", role: .muted), Span(text: String(j.prefix(10)))] }
        out.append(region)
        out.append(tierLine())
        let blacklisted = s.isBlacklisted
        out.append([Span(text: labels.status + " ", role: .muted),
                    Span(text: blacklisted ? labels.blacklisted : labels.normal, role: blacklisted ? .error : .positive)])
        out.append(rfmLine())
        var seg: CardLine = [Span(text: labels.segment + " ", role: .muted),
                             Span(text: d.score.map { labels.segmentName($0.segment) } ?? labels.none),
                             Span(text: " · " + labels.lifecycle + " ", role: .muted), Span(text: labels.lifecycleName(d.lifecycle))]
        if d.summary.paidCount >= 2 { seg.append(Span(text: " · " + labels.returning, role: .positive)) }
        out.append(seg)
        out.append([Span(text: labels.tags + " ", role: .muted),
                    Span(text: d.tags.isEmpty ? labels.none : d.tags.joined(separator: ", "), role: d.tags.isEmpty ? .muted : .header)])
        let spark = Chart.sparkline(d.monthlySpend.map(Double.init), utf8: utf8)
        out.append([Span(text: labels.spend12 + " ", role: .muted), Span(text: spark, role: .chartBar),
                    Span(text: "  " + Money.display(d.monthlySpend.reduce(0, +)), role: .muted)])
        return out
    }

    private func birthdayLine() -> CardLine {
        guard let b = d.birthday, let day = Day.parse(b) else { return [Span(text: labels.birthday + " ", role: .muted), Span(text: labels.none)] }
        let (by, bm, bd) = day.components
        let (ay, am, ad) = asOf.components
        let age = ay - by - ((am, ad) < (bm, bd) ? 1 : 0)
        var line: CardLine = [Span(text: labels.birthday + " ", role: .muted), Span(text: "\(b.prefix(10)) (\(age)\(labels.age))")]
        if let days = Self.daysToBirthday(month: bm, day: bd, from: asOf), days <= 7 {
            line.append(Span(text: "  ★ " + (days == 0 ? labels.birthdayToday : "\(days)\(labels.birthdaySoon)"), role: .warning))
        }
        return line
    }

    /// Days until the next birthday (0 = today); Feb 29 falls on Mar 1 in other years.
    static func daysToBirthday(month: Int, day: Int, from asOf: Day) -> Int? {
        let y = asOf.components.year
        for year in [y, y + 1] {
            let d = Day(year: year, month: month, day: day) ?? Day(year: year, month: 3, day: 1)
            if let d, d >= asOf { return d - asOf }
        }
        return nil
    }

    private func tierLine() -> CardLine {
        let s = d.summary
        let role: StyleRole = [StyleRole.text, .tier1, .tier2, .tier3, .tier4][max(0, min(4, s.tier))]
        var line: CardLine = [Span(text: labels.tier + " ", role: .muted), Span(text: d.tierName, role: role),
                              Span(text: " · " + discountText(d.discount, labels.language))]
        if d.tierSource == "manual" { line.append(Span(text: " (" + labels.manualTier + ")", role: .muted)) }
        if let next = d.nextTier {
            let missing = next.metric == .amount ? Money.display(next.missing) : labels.orders(Int(next.missing))
            line.append(Span(text: " · " + labels.nextTierMissing(missing, next.name), role: .muted))
        } else if !s.isBlacklisted && s.tier > 0 {
            line.append(Span(text: " · " + labels.topTier, role: .muted))
        }
        return line
    }

    private func rfmLine() -> CardLine {
        let m = d.measure
        let sc = d.score
        func score(_ v: UInt8?) -> String { v.map { $0 == 0 ? "" : "(\($0))" } ?? "" }
        let r = m?.recencyDays.map { labels.days($0) } ?? "-"
        return [Span(text: labels.rfm + " ", role: .muted),
                Span(text: "R \(r)\(score(sc?.r)) · F \(labels.orders(m?.frequency ?? 0))\(score(sc?.f)) · M \(Money.display(m?.monetary ?? 0))\(score(sc?.m))")]
    }

    /// The member's identities with each one's orders and spend, when it has more than its one
    /// Taobao buyer id (PRODUCT.md: One member across channels); nothing otherwise.
    func identities() -> [CardLine] {
        let ids = d.identities
        guard ids.count > 1 || ids.first.map({ $0.channel != Channel.default.rawValue || $0.externalId != d.summary.buyerId }) == true else { return [] }
        let il = labels.ident
        var out: [CardLine] = [[Span(text: il.identities + " (\(ids.count))", role: .header)]]
        for i in ids {
            var line: CardLine = [Span(text: "  " + padToWidth(i.channel, 8), role: .muted), Span(text: i.externalId)]
            if i.home { line.append(Span(text: " (" + il.home + ")", role: .muted)) }
            line.append(Span(text: "  " + il.ordersSpend(i.orders, i.spend)))
            let how = il.how(i.how)
            if !how.isEmpty { line.append(Span(text: "  " + how + " " + String((i.linkedAt ?? "").prefix(10)), role: .muted)) }
            out.append(line)
        }
        out.append([])
        return out
    }

    /// The last 10 orders.
    func orders() -> [CardLine] {
        var out: [CardLine] = identities()
        out.append([Span(text: labels.recentOrders + " (\(d.summary.paidCount))", role: .header)])
        if d.recentOrders.isEmpty { out.append([Span(text: "  " + labels.none, role: .muted)]) }
        for o in d.recentOrders {
            let st = labels.orderStatus[o.status] ?? o.status
            out.append([Span(text: "  " + String(o.paidAt.prefix(16)) + " "),
                        Span(text: rightAlign(Money.display(o.amount), 11)),
                        Span(text: " " + padToWidth(st, 6), role: o.status == "paid" ? .positive : .muted),
                        Span(text: " ×\(o.items) ", role: .muted),
                        // A Taobao shop's own orders stay unlabelled; any other channel is named by its key.
                        Span(text: (o.channel == Channel.default.rawValue ? "" : o.channel + " ") + o.orderId, role: .muted)])
        }
        return out
    }

    /// Notes, newest first, wrapped to `width`.
    func notes(width: Int) -> [CardLine] {
        var out: [CardLine] = [[Span(text: labels.notes + " (\(d.notes.count))", role: .header)]]
        if d.notes.isEmpty { out.append([Span(text: "  " + labels.none, role: .muted)]) }
        for n in d.notes {
            out.append([Span(text: "  " + String(n.createdAt.prefix(16)) + " " + n.operatorName, role: .muted)])
            for l in wrapToWidth(n.body, max(10, width - 4)) { out.append([Span(text: "    " + l)]) }
        }
        return out
    }
}

extension String {
    func ifEmpty(_ other: String) -> String { isEmpty ? other : self }
}
