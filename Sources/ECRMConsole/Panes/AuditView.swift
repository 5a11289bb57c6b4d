import TerminalKit
import ECRMStore

/// Audit pane (审计): the newest audit entries (publishes, tier changes, phone reveals...).
final class AuditView: ConsoleView {
    private var entries: [Audit.Entry] = []
    private var viewport = ListViewport()
    private var error: String?

    init(app: ConsoleApp) { shown(app: app) }

    var contexts: [String] { ["scroll"] }
    var title: String { "" }
    var position: String? { "\(max(0, viewport.selected + 1))/\(entries.count)" }

    func shown(app: ConsoleApp) {
        do { entries = try app.store.pool.read { db in try Audit.recent(db, limit: 500) }; error = nil } catch { self.error = "\(error)" }
        viewport.setCount(entries.count)
    }

    func perform(_ action: ConsoleAction, app: ConsoleApp) -> Bool {
        switch action {
        case .reload: shown(app: app); return true
        case .std(let s): return viewport.apply(s)
        default: return false
        }
    }

    func draw(on canvas: Canvas, app: ConsoleApp) {
        let l = app.labels
        canvas.put(l.auditTitle, x: 1, y: 0, role: .title)
        if let error { canvas.put(error, x: 1, y: 2, role: .error); return }
        if entries.isEmpty { canvas.put(l.empty, x: 1, y: 2, role: .muted); return }
        // One sentence per entry in the interface language, not the stored codes and JSON.
        let table = Table([
            TableColumn(l.colTime, .fixed(16)), TableColumn(l.colOperator, .fixed(10)), TableColumn(l.colDetail, .flex(min: 10)),
        ])
        let words = AuditLabels(zh: l.language == .zh)
        TableView.draw(on: canvas.region(Rect(x: 0, y: 1, width: canvas.width, height: canvas.height - 1)), table: table,
                       viewport: &viewport, source: ArrayRowSource(entries)) { e in
            [String(e.at.prefix(16)), e.operatorName,
             words.sentence(action: e.action, target: e.target, before: e.before, after: e.after, reason: e.reason)]
        }
    }
}
