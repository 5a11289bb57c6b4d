import TerminalKit
import ECRMStore

/// Tags pane (标签): every tag with its member count; Enter lists the tag's members.
final class TagsView: ConsoleView {
    private var tags: [BrowseStats.TagCount] = []
    private var viewport = ListViewport()
    private var error: String?

    init(app: ConsoleApp) { shown(app: app) }

    var contexts: [String] { ["tags", "list", "scroll"] }
    var title: String { "" }
    var position: String? { "\(max(0, viewport.selected + 1))/\(tags.count)" }

    func shown(app: ConsoleApp) {
        do { tags = try app.store.pool.read { db in try BrowseStats.tagCounts(db) }; error = nil } catch { self.error = "\(error)" }
        viewport.setCount(tags.count)
    }

    func perform(_ action: ConsoleAction, app: ConsoleApp) -> Bool {
        switch action {
        case .std(.open):
            guard viewport.selected >= 0 else { return true }
            let t = tags[viewport.selected]
            app.push(MemberListView(app: app, scope: .tag(id: t.id), title: app.labels.scopeTag(t.name)))
            return true
        case .reload: shown(app: app); return true
        case .std(let s): return viewport.apply(s)
        default: return false
        }
    }

    func draw(on canvas: Canvas, app: ConsoleApp) {
        let l = app.labels
        canvas.put(l.tagsTitle, x: 1, y: 0, role: .title)
        if let error { canvas.put(error, x: 1, y: 2, role: .error); return }
        if tags.isEmpty { canvas.put(l.noTags, x: 1, y: 2, role: .muted); return }
        let table = Table([TableColumn("", .fixed(1)), TableColumn(l.colTag, .flex(min: 16)), TableColumn(l.colMembers, .fixed(9), align: .right)])
        let region = canvas.region(Rect(x: 0, y: 1, width: min(canvas.width, 60), height: canvas.height - 1))
        table.drawHeader(on: region, y: 0)
        let body = region.region(Rect(x: 0, y: 1, width: region.width, height: region.height - 1))
        ListView.draw(on: body, viewport: &viewport, source: ArrayRowSource(tags)) { c, t, y, selected in
            table.drawRow(on: c, y: y, cells: [selected ? ">" : " ", t.name, SegmentsView.count(t.members)],
                          role: selected ? .selection : .text)
        }
    }
}
