import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

/// Birthday reminders (生日提醒): members celebrating today and in the next six days, nearest
/// first; Enter opens the member's card. Read off the UI thread.
final class BirthdaysView: ConsoleView {
    private var entries: [Birthdays.Entry]?
    private var error: String?
    private var viewport = ListViewport()
    /// Fresh entries after anyone's commit, while the view is on screen.
    private let feed = PaneWatch()

    init(app: ConsoleApp) {}

    var contexts: [String] { ["birthdays", "member_set", "list", "scroll"] }
    /// A member list like any other: typing searches, B/x/u act on everyone listed.
    var typeToSearch: Bool { true }
    var title: String { "" }
    var position: String? { entries.map { "\(max(0, viewport.selected + 1))/\($0.count)" } }

    /// The watch that brings the view on screen reads the reminders (PaneWatch); on screen, a reload reads again.
    func shown(app: ConsoleApp) { feed.reload(app) }

    func receive(_ message: ConsoleMessage, app: ConsoleApp) {
        if case .birthdays(let fresh)? = feed.value(message) {
            let current = entries.flatMap { viewport.selected >= 0 && viewport.selected < $0.count ? $0[viewport.selected].memberId : nil }
            entries = fresh
            error = nil
            viewport.setCount(fresh.count)
            if let current, let i = fresh.firstIndex(where: { $0.memberId == current }) { viewport.select(i) }
            return
        }
        if let e = feed.failure(message) { error = e }
    }

    func watch(app: ConsoleApp) {
        let asOf = app.asOf
        feed.start(app) { store, post, fail in store.observeBirthdays(from: asOf, onError: fail) { post(.birthdays($0)) } }
    }

    func unwatch() { feed.stop() }

    func perform(_ action: ConsoleAction, app: ConsoleApp) -> Bool {
        switch action {
        case .std(.open):
            guard let e = entries, viewport.selected >= 0, viewport.selected < e.count else { return true }
            app.push(MemberCardView(app: app, memberId: e[viewport.selected].memberId, list: nil))
            return true
        case .seg(.bulkTag): ListActions.bulkTag(app: app, set: memberSet, from: self); return true
        case .seg(.exportList): ListActions.exportForm(app: app, set: memberSet, name: "birthdays-\(app.asOf)"); return true
        case .seg(.undoBulk): ListActions.undo(app: app); return true
        case .campaign(.create): CampaignForms.create(app: app, set: memberSet); return true
        case .reload: shown(app: app); return true
        case .std(let s): return viewport.apply(s)
        default: return false
        }
    }

    /// Everyone listed (an empty list still names no one, not the whole store).
    private var memberSet: MemberSet { .ids(entries?.map(\.memberId) ?? []) }

    func draw(on canvas: Canvas, app: ConsoleApp) {
        let l = app.labels, s = app.labels.seg
        canvas.put(s.birthdaysTitle(app.asOf.description), x: 1, y: 0, role: .title)
        guard let entries else { canvas.put(error ?? l.loading, x: 1, y: 2, role: error == nil ? .muted : .error); return }
        if entries.isEmpty { canvas.put(s.noBirthdays, x: 1, y: 2, role: .muted); return }
        let table = Table([
            TableColumn("", .fixed(1)), TableColumn(s.colDate, .fixed(10)), TableColumn(s.colWhen, .fixed(8)),
            TableColumn(l.colNick, .flex(min: 14)), TableColumn(l.colName, .fixed(8)), TableColumn(l.colPhone, .fixed(11)),
            TableColumn(l.colTier, .fixed(11)), TableColumn(s.colTurning, .fixed(4), align: .right),
        ])
        let region = canvas.region(Rect(x: 0, y: 1, width: canvas.width, height: canvas.height - 1))
        table.drawHeader(on: region, y: 0)
        let body = region.region(Rect(x: 0, y: 1, width: region.width, height: region.height - 1))
        let tiers = app.tierNames
        ListView.draw(on: body, viewport: &viewport, source: ArrayRowSource(entries)) { c, e, y, selected in
            table.drawRow(on: c, y: y, cells: [
                selected ? ">" : " ", e.date.description, e.daysUntil == 0 ? l.birthdayToday : s.inDays(e.daysUntil),
                e.nick, e.name, e.phone, (0...4).contains(e.tier) ? tiers[e.tier] : String(e.tier), e.turning.map(String.init) ?? "",
            ], cellRoles: [selected ? .selection : nil, e.daysUntil == 0 ? .warning : nil, nil, selected ? .selection : nil, nil, nil, nil, nil])
        }
    }
}
