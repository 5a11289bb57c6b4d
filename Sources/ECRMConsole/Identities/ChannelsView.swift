import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

/// The Channels view (渠道概览; `v` on a member list): members per channel, members in two or more
/// channels, links of the last 30 days and paid spend per channel. Read off the UI thread; Enter on
/// a channel lists its members.
final class ChannelsView: ConsoleView {
    private var overview: ChannelOverview?
    private var error: String?
    private var viewport = ListViewport()

    init(app: ConsoleApp) { shown(app: app) }

    var contexts: [String] { ["channels", "list", "scroll"] }
    var title: String { "" }

    func shown(app: ConsoleApp) {
        let store = app.store, box = app.mailbox, labels = app.labels
        DispatchQueue.global(qos: .userInitiated).async {
            do { box.post(.channels(try ChannelStats.overview(store), error: nil)) } catch {
                box.post(.channels(nil, error: labels.describe(error)))
            }
        }
    }

    func receive(_ message: ConsoleMessage, app: ConsoleApp) {
        guard case .channels(let o, let e) = message else { return }
        if let o { overview = o; viewport.setCount(o.channels.count) }
        error = e
    }

    func perform(_ action: ConsoleAction, app: ConsoleApp) -> Bool {
        switch action {
        case .std(.open):
            guard let o = overview, viewport.selected >= 0, viewport.selected < o.channels.count,
                  let c = Channel(rawValue: o.channels[viewport.selected].channel) else { return true }
            app.push(MemberListView(app: app, set: .channel(c), title: app.labels.ident.channelFilterOn(c)))
            return true
        case .reload: shown(app: app); return true
        case .std(let s): return viewport.apply(s)
        default: return false
        }
    }

    func draw(on canvas: Canvas, app: ConsoleApp) {
        let l = app.labels, il = app.labels.ident
        canvas.put(il.channelsTitle, x: 1, y: 0, role: .title)
        guard let o = overview else { canvas.put(error ?? l.loading, x: 1, y: 2, role: error == nil ? .muted : .error); return }
        canvas.put(il.channelsSummary(o), x: 1, y: 1, role: .muted)
        let table = Table([
            TableColumn("", .fixed(1)), TableColumn(il.colChannel, .flex(min: 8)), TableColumn(il.colMembers, .fixed(11), align: .right),
            TableColumn(il.colPaidOrders, .fixed(11), align: .right), TableColumn(il.colSpend, .fixed(16), align: .right),
        ])
        let region = canvas.region(Rect(x: 0, y: 3, width: canvas.width, height: max(0, canvas.height - 3)))
        guard region.height > 1 else { return }
        table.drawHeader(on: region, y: 0)
        let body = region.region(Rect(x: 0, y: 1, width: region.width, height: region.height - 1))
        ListView.draw(on: body, viewport: &viewport, source: ArrayRowSource(o.channels)) { c, line, y, selected in
            table.drawRow(on: c, y: y, cells: [
                selected ? ">" : " ", line.channel, SegmentsView.count(line.members), SegmentsView.count(line.paidOrders), Money.display(line.spend),
            ], cellRoles: [selected ? .selection : nil, selected ? .selection : nil, nil, nil, nil])
        }
    }
}
