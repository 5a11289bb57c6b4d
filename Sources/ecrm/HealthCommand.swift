import ArgumentParser
import Foundation
import ECRMStore
import ECRMDomain

/// `ecrm health`: shop health (效果评估) — repurchase, reactivation, refunds, cohort retention.
struct HealthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "health", abstract: "Shop health: repurchase, reactivation, refund rate and monthly cohort retention.")
    @OptionGroup var store: StoreOptions
    @Option(help: "As-of date YYYY-MM-DD (default: today).") var asOf: String?
    @Option(help: "Reactivation start YYYY-MM-DD (default: 90 days before as-of).") var since: String?
    @Flag(help: "JSON output.") var json = false

    func run() throws {
        try guarded {
            let s = try store.open()
            let day = try parseAsOf(asOf)
            var start: Day? = nil
            if let t = since {
                guard let d = Day.parse(t) else { throw ValidationError(CLIMessages.now.badDate("--since", t)) }
                start = d
            }
            let h = try ShopHealth.compute(s, asOf: day, reactivationStart: start)
            if json { try printJSON(h); return }
            print(HealthText.render(h))
        }
    }
}

enum HealthText {
    static func pct(_ r: Rate) -> String { r.value.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }

    static func render(_ h: ShopHealth) -> String {
        var lines = ["Shop health as of \(h.asOf) (\(h.buyers) buyers)"]
        lines.append("repurchase 复购率     \(pct(h.repurchase))  (\(h.repurchase.part) of \(h.repurchase.whole) buyers bought twice or more)")
        let r = h.reactivation
        lines.append("reactivation 唤醒率   \(pct(r.rate))  (\(r.reactivated) of \(r.sleepingAtStart) sleeping + \(r.lostAtStart) lost on \(r.start) bought by \(r.end))")
        let f = h.refunds
        lines.append("refunds 退款率        \(pct(f.byCount)) of orders (\(f.refundedOrders) of \(f.paidOrders + f.refundedOrders)), \(pct(f.byAmount)) of amount (\(Money.display(f.refundedAmount)))")
        lines.append("cohort retention 留存 (share of each first-order month buying again k months later)")
        lines.append(TextColumns.row([("cohort", 8), ("size", -7)] + (0..<12).map { ("m\($0)", -5) }))
        for c in h.cohorts {
            let cells = c.shares.map { s in (s.map { String(format: "%.0f%%", $0 * 100) } ?? "", -5) }
            lines.append(TextColumns.row([(c.month, 8), (String(c.size), -7)] + cells))
        }
        return lines.joined(separator: "\n")
    }
}

/// `ecrm birthdays`: members whose birthday comes up in the next days (生日提醒).
struct BirthdaysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "birthdays", abstract: "Members with a birthday in the next days (today included), soonest first.")
    @OptionGroup var store: StoreOptions
    @Option(help: "How many days, today included (default 7).") var days = 7
    @Option(help: "Start day YYYY-MM-DD (default: today).") var from: String?
    @Flag(help: "JSON output.") var json = false

    func run() throws {
        try guarded {
            guard (1...366).contains(days) else { throw ValidationError(CLIMessages.now.daysRange) }
            let s = try store.open()
            let start = try parseAsOf(from)
            let list = try Birthdays.upcoming(s, from: start, days: days)
            if json { try printJSON(list); return }
            print(CLIMessages.now.birthdaysHeader(list.count, from: "\(start)", days: days))
            for e in list {
                let when = e.daysUntil == 0 ? "today" : "in \(e.daysUntil)d"
                print(TextColumns.row([(e.date.description, 10), (when, 7), (e.buyerId, 14), (e.nick, 18), (e.name, 8),
                                       (e.turning.map { "\($0)岁" } ?? "", 5), (e.phone, 12), ("tier \(e.tier)", 6)]))
            }
        }
    }
}
