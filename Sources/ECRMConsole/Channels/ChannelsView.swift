import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

/// The channels view (渠道概览, `v` on a member list or `:channels`): members per channel, members
/// in two or more channels, links made in the last 30 days and paid spend per channel, like
/// Youzan's channel dashboard; Enter on a channel lists its members. Read off the UI thread in one
/// store read, the first value of its change-feed subscription (PaneWatch), and again after any
/// commit that changes it; fits 80x24. The
/// channels are a list like every other (ListViewport, Table: the same keys, marker and position).
final class ChannelsView: ConsoleView {
    private var overview: ChannelOverview?
    private var error: String?
    private var viewport = ListViewport()
    private let feed = PaneWatch()

    init(app: ConsoleApp) {}

    var contexts: [String] { ["channels", "list", "scroll"] }
    var title: String { "" }
    var position: String? { overview.map { "\(max(0, viewport.selected + 1))/\($0.channels.count)" } }
    private var selectedRow: ChannelOverview.Row? {
        guard let rows = overview?.channels, rows.indices.contains(viewport.selected) else { return nil }
        return rows[viewport.selected]
    }

    /// The watch that brings the view on screen reads the figures; on screen, a reload reads again.
    func shown(app: ConsoleApp) { feed.reload(app) }

    func receive(_ message: ConsoleMessage, app: ConsoleApp) {
        if case .channels(let o)? = feed.value(message) { adopt(o); error = nil; return }
        if let e = feed.failure(message) { error = e }
    }

    /// The cursor stays on the same channel wherever it now sorts.
    private func adopt(_ o: ChannelOverview) {
        let current = selectedRow?.channel
        overview = o
        viewport.setCount(o.channels.count)
        if let current, let i = o.channels.firstIndex(where: { $0.channel == current }) { viewport.select(i) }
    }

    func watch(app: ConsoleApp) {
        let asOf = app.asOf
        feed.start(app) { store, post, fail in store.observeChannels(asOf: asOf, onError: fail) { post(.channels($0)) } }
    }

    func unwatch() { feed.stop() }

    func perform(_ action: ConsoleAction, app: ConsoleApp) -> Bool {
        switch action {
        case .reload: shown(app: app)
        case .std(.open):
            guard let row = selectedRow, let c = Channel(rawValue: row.channel) else { return true }
            app.push(MemberListView(app: app, set: .channel(c), title: app.labels.ident.channelFilterOn(c)))
        case .std(let s): return viewport.apply(s)
        default: return false
        }
        return true
    }

    static func share(_ part: Int, _ whole: Int) -> String {
        whole == 0 ? "-" : CampaignFormat.percent(Double(part) / Double(whole))
    }

    /// Channel name left (after the list's "> " marker, as on the member list), the figures right-aligned.
    static func table(_ l: ChannelLabels) -> Table {
        Table([TableColumn("  " + l.colChannel, .fixed(13)), TableColumn(l.colMembers, .fixed(10), align: .right),
               TableColumn(l.colShare, .fixed(6), align: .right), TableColumn(l.colLinked, .fixed(10), align: .right),
               TableColumn(l.colOrders, .fixed(11), align: .right), TableColumn(l.colSpend, .fixed(17), align: .right)])
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
        // Header at y 5, the channels (scrolling when the screen is short), the total, a blank line, the note.
        let table = Self.table(l)
        let width = min(canvas.width, 72)
        let rows = max(1, min(o.channels.count, canvas.height - 8))
        table.drawHeader(on: canvas.region(Rect(x: 0, y: 5, width: width, height: 1)), y: 0)
        let body = canvas.region(Rect(x: 0, y: 6, width: width, height: rows))
        if o.channels.isEmpty { canvas.put(l.noMembers, x: 2, y: 6, role: .muted, maxWidth: canvas.width - 3) }
        ListView.draw(on: body, viewport: &viewport, source: ArrayRowSource(o.channels)) { c, r, y, selected in
            table.drawRow(on: c, y: y, cells: [(selected ? "> " : "  ") + l.channel(r.channel), n(r.members), Self.share(r.members, o.members),
                                               n(r.linked), n(Int(r.paidOrders)), Money.display(r.spend)],
                          role: selected ? .selection : .text)
        }
        let y = 6 + rows
        table.drawRow(on: canvas.region(Rect(x: 0, y: y, width: width, height: 1)), y: 0,
                      cells: ["  " + l.total, n(o.members), "", n(k.total), n(Int(o.paidOrders)), Money.display(o.spend)], role: .header)
        canvas.put(l.note, x: 1, y: min(canvas.height - 1, y + 2), role: .muted, maxWidth: canvas.width - 2)
    }
}
