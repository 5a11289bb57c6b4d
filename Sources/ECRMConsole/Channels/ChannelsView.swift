import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

/// The channels view (渠道概览, `v` on a member list or `:channels`): members per channel, members
/// in two or more channels, links made in the last 30 days and paid spend per channel, like
/// Youzan's channel dashboard; Enter on a channel lists its members. Read off the UI thread in one
/// store read, and again from the change feed after any commit that changes it; fits 80x24.
final class ChannelsView: ConsoleView {
    private var overview: ChannelOverview?
    private var error: String?
    private var selected = 0
    private let feed = PaneWatch()

    init(app: ConsoleApp) { shown(app: app) }

    var contexts: [String] { ["channels", "list", "scroll"] }
    var title: String { "" }

    func shown(app: ConsoleApp) {
        let store = app.store, box = app.mailbox, asOf = app.asOf, labels = app.labels
        DispatchQueue.global(qos: .userInitiated).async {
            do { box.post(.channels(try ChannelOverview.compute(store, asOf: asOf), error: nil)) } catch {
                box.post(.channels(nil, error: labels.describe(error)))
            }
        }
    }

    func receive(_ message: ConsoleMessage, app: ConsoleApp) {
        if case .channels(let o)? = feed.value(message) { adopt(o); error = nil; return }
        guard case .channels(let o, let e) = message else { return }
        if let o { adopt(o) }
        error = e
    }

    private func adopt(_ o: ChannelOverview) {
        overview = o
        selected = min(selected, max(0, o.channels.count - 1))
    }

    func watch(app: ConsoleApp) {
        let asOf = app.asOf
        feed.start(app) { store, post, fail in store.observeChannels(asOf: asOf, onError: fail) { post(.channels($0)) } }
    }

    func unwatch() { feed.stop() }

    func perform(_ action: ConsoleAction, app: ConsoleApp) -> Bool {
        let count = overview?.channels.count ?? 0
        switch action {
        case .reload: shown(app: app)
        case .std(.moveDown): selected = min(selected + 1, max(0, count - 1))
        case .std(.moveUp): selected = max(selected - 1, 0)
        case .std(.top), .std(.pageUp), .std(.halfPageUp): selected = 0
        case .std(.bottom), .std(.pageDown), .std(.halfPageDown): selected = max(0, count - 1)
        case .std(.open):
            guard let o = overview, selected < count, let c = Channel(rawValue: o.channels[selected].channel) else { return true }
            app.push(MemberListView(app: app, set: .channel(c), title: app.labels.ident.channelFilterOn(c)))
        default: return false
        }
        return true
    }

    static func share(_ part: Int, _ whole: Int) -> String {
        whole == 0 ? "-" : CampaignFormat.percent(Double(part) / Double(whole))
    }

    /// Column x positions and widths: channel name left, the figures right-aligned.
    static let columns: [(x: Int, width: Int)] = [(1, 12), (13, 11), (24, 7), (31, 11), (42, 12), (54, 18)]

    private func put(_ cells: [String], y: Int, role: StyleRole, on canvas: Canvas) {
        for (i, text) in cells.enumerated() {
            let c = Self.columns[i]
            canvas.put(i == 0 ? padToWidth(text, c.width) : rightAlign(text, c.width), x: c.x, y: y, role: role, maxWidth: c.width)
        }
    }

    func draw(on canvas: Canvas, app: ConsoleApp) {
        let l = app.labels.chan
        guard let o = overview else {
            canvas.put(error ?? app.labels.loading, x: 1, y: 1, role: error == nil ? .muted : .error)
            return
        }
        let n = CampaignFormat.grouped
        canvas.put(l.title(o.asOf), x: 1, y: 0, role: .title, maxWidth: canvas.width - 2)
        canvas.put(l.members(n(o.members), n(o.multiChannel), Self.share(o.multiChannel, o.members)), x: 1, y: 1, maxWidth: canvas.width - 2)
        let k = o.links
        canvas.put(l.links(n(k.total), n(k.phone), n(k.manual), n(k.merge), o.since), x: 1, y: 2, maxWidth: canvas.width - 2)
        canvas.put(l.candidates(n(o.openCandidates)), x: 1, y: 3, role: .muted, maxWidth: canvas.width - 2)
        var y = 5
        put([l.colChannel, l.colMembers, l.colShare, l.colLinked, l.colOrders, l.colSpend], y: y, role: .header, on: canvas)
        y += 1
        if o.channels.isEmpty {
            canvas.put(l.noMembers, x: 1, y: y, role: .muted, maxWidth: canvas.width - 2)
            y += 1
        }
        for (i, r) in o.channels.enumerated() where y < canvas.height - 2 {
            put([l.channel(r.channel), n(r.members), Self.share(r.members, o.members), n(r.linked), n(Int(r.paidOrders)), Money.display(r.spend)],
                y: y, role: i == selected ? .selection : .text, on: canvas)
            if i == selected { canvas.put(">", x: 0, y: y, role: .selection) }
            y += 1
        }
        put([l.total, n(o.members), "", n(k.total), n(Int(o.paidOrders)), Money.display(o.spend)], y: y, role: .header, on: canvas)
        canvas.put(l.note, x: 1, y: min(canvas.height - 1, y + 2), role: .muted, maxWidth: canvas.width - 2)
    }
}
