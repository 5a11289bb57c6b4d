import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

/// Publish history: every version with who published it and when; Enter shows its ladder.
final class TierHistoryView: ConsoleView {
    private var versions: [TierLive] = []
    private var viewport = ListViewport()
    private var error: String?
    private(set) var title = ""

    init(app: ConsoleApp) { shown(app: app) }

    var contexts: [String] { ["list", "scroll"] }
    var position: String? { "\(max(0, viewport.selected + 1))/\(versions.count)" }

    func shown(app: ConsoleApp) {
        title = app.labels.tierUI.historyTitle
        do { versions = try TierService.history(app.store); error = nil } catch { self.error = app.labels.describe(error) }
        viewport.setCount(versions.count)
    }

    func perform(_ action: ConsoleAction, app: ConsoleApp) -> Bool {
        switch action {
        case .std(.open):
            guard versions.indices.contains(viewport.selected) else { return true }
            app.push(TierVersionView(version: versions[viewport.selected], isLive: viewport.selected == 0))
            return true
        case .reload: shown(app: app); return true
        case .std(let s): return viewport.apply(s)
        default: return false
        }
    }

    func draw(on canvas: Canvas, app: ConsoleApp) {
        let t = app.labels.tierUI, language = app.labels.language
        canvas.put(t.historyTitle, x: 1, y: 0, role: .title)
        if let error { canvas.put(error, x: 1, y: 2, role: .error); return }
        if versions.isEmpty { canvas.put(t.noHistory, x: 1, y: 2, role: .muted); return }
        let table = Table([
            TableColumn(t.colVersion, .fixed(8)), TableColumn(t.colAt, .fixed(16)), TableColumn(t.colBy, .fixed(10)),
            TableColumn(t.colLadder, .flex(min: 10)),
        ])
        TableView.draw(on: canvas.region(Rect(x: 1, y: 1, width: canvas.width - 2, height: canvas.height - 1)), table: table,
                       viewport: &viewport, source: ArrayRowSource(Array(versions.enumerated()))) { item in
            let v = item.element
            let discounts = v.ladder.levels.filter(\.enabled).map { discountShort($0.discount, language) }
            let version = "v\(v.version)" + (item.offset == 0 ? " " + t.liveMark : "")
            return [version, String(v.publishedAt.prefix(16)), v.publishedBy, discounts.joined(separator: " ")]
        }
    }
}

/// One version's ladder, as the pane shows the live one (without member counts: they are today's).
final class TierVersionView: ConsoleView {
    let version: TierLive
    let isLive: Bool
    init(version: TierLive, isLive: Bool) { self.version = version; self.isLive = isLive }

    var contexts: [String] { ["scroll"] }
    var title: String { "v\(version.version)" }

    func perform(_ action: ConsoleAction, app: ConsoleApp) -> Bool { false }

    func draw(on canvas: Canvas, app: ConsoleApp) {
        let t = app.labels.tierUI, zh = app.labels.language == .zh
        let head = t.historyTitle + "  " + t.version(version) + (isLive ? "  (" + t.liveMark + ")" : "")
        canvas.put(head, x: 1, y: 0, role: .title, maxWidth: canvas.width - 2)
        TierText.ladderLine(version.ladder, t, zh: zh, on: canvas, y: 1)
        TierLadderTable(ladder: version.ladder, members: nil, showMembers: false, showLevelZero: false)
            .draw(on: canvas, y: 2, app: app)
    }
}
