import TerminalKit
import ECRMStore

/// Audit pane (审计): every audit entry, newest first (publishes, tier changes, phone reveals...),
/// read a page at a time as it scrolls into view so the whole log is reachable and counted.
final class AuditView: ConsoleView {
    private var log: AuditLog?
    private var viewport = ListViewport()
    private var error: String?
    /// New entries after anyone's commit, while the pane is on screen; `window` is the rows drawn.
    private let feed = PaneWatch()
    private let window = ListWindow()

    /// The watch that brings the pane on screen reads the log.
    init(app: ConsoleApp) {}

    var contexts: [String] { ["audit", "scroll"] }
    var title: String { "" }
    var position: String? { "\(SegmentsView.count(max(0, viewport.selected + 1)))/\(SegmentsView.count(count))" }
    var count: Int { log?.count ?? 0 }
    var statusText: String? { filter.map { currentLabels.auditFiltered($0, SegmentsView.count(count)) } }
    /// What `/` last asked for (nil: every entry).
    private(set) var filter: String?
    private var currentLabels: Labels = .zh

    /// On screen (reload, another language) a fresh subscription reads the log once; off screen
    /// nothing: the watch that brings the pane back reads it.
    func shown(app: ConsoleApp) {
        if feed.isActive { watch(app: app) }
    }

    /// Only entries containing the text (operator, target, reason, values); empty shows them all.
    func askFilter(app: ConsoleApp) {
        let l = app.labels
        app.overlay = .form(FormOverlay(title: l.auditFilterTitle, form: Form([FormField(l.auditFilterField, TextField(filter ?? ""))]), submit: { v in
            let text = v[0].trimmingCharacters(in: .whitespaces)
            // The subscription's first value counts the matching entries and reads the rows shown.
            self.log = AuditLog(unread: app.store, filter: text)
            self.filter = text.isEmpty ? nil : text
            self.viewport = ListViewport(count: 0, height: self.viewport.height)
            self.error = nil
            self.watch(app: app)
            return self.error
        }))
    }

    /// The subscription's first value is the pane's load (the count and the rows shown), taken here
    /// before the frame that shows the pane: one read, after the subscription started, so no commit
    /// falls between. Before the first frame the rows shown are the top ones.
    func watch(app: ConsoleApp) {
        let filter = self.filter, window = self.window
        if window.range.isEmpty { window.range = 0..<max(1, app.lastBodyHeight) }
        if log == nil { log = AuditLog(unread: app.store, filter: filter) }
        switch feed.startAndLoad(app, { store, post, fail in store.observeAudit(filter: filter, window: window, onError: fail) { post(.audit($0)) } }) {
        case .value(let v)?: receive(.observed(token: feed.token, v), app: app)
        case .failed(let e)?: error = e
        default: break
        }
    }

    func unwatch() { feed.stop() }

    /// New entries come in at the top. A cursor on the newest entry stays there (the newest is
    /// shown, as `tail -f`); one further down stays on the entry it was on.
    func receive(_ message: ConsoleMessage, app: ConsoleApp) {
        if let e = feed.failure(message) { error = e; return }
        guard case .audit(let page)? = feed.value(message), let log, page.filter == log.filter else { return }
        let added = page.count - log.count, onNewest = viewport.selected <= 0
        log.adopt(page)
        error = nil
        viewport.setCount(log.count)
        if !onNewest, added > 0 { viewport.select(viewport.selected + added) }
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
        currentLabels = l
        canvas.put(l.auditTitle, x: 1, y: 0, role: .title)
        if let error { canvas.put(error, x: 1, y: 2, role: .error); return }
        guard let log, log.count > 0 else { canvas.put(l.empty, x: 1, y: 2, role: .muted); return }
        // One sentence per entry in the interface language, not the stored codes and JSON.
        let table = Table([
            TableColumn(l.colTime, .fixed(16)), TableColumn(l.colOperator, .fixed(10)), TableColumn(l.colDetail, .flex(min: 10)),
        ])
        let words = AuditLabels(zh: l.language == .zh)
        TableView.draw(on: canvas.region(Rect(x: 0, y: 1, width: canvas.width, height: canvas.height - 1)), table: table,
                       viewport: &viewport, source: log) { e in
            [String(e.at.prefix(16)), e.operatorName,
             words.sentence(action: e.action, target: e.target, before: e.before, after: e.after, reason: e.reason)]
        }
        window.range = viewport.visibleRange
    }
}
extension AuditLog: RowSource {}
