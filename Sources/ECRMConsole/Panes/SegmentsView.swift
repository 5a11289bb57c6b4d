import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

/// Segments pane (分层): the 8 RFM segments with count, share, spend and average from the last
/// stored computation, lifecycle counts, an R×F grid, and a bar per segment. Enter drills down
/// to the segment's members. With nothing stored it computes (and stores) in the background.
final class SegmentsView: ConsoleView {
    private var summary: RFMSummary?
    private var computing = false
    private var error: String?
    private var viewport = ListViewport(count: Segment.allCases.count, height: Segment.allCases.count)
    private let rowsOrder = Segment.allCases

    init(app: ConsoleApp) { load(app: app) }

    var contexts: [String] { ["segments", "list", "scroll"] }
    var title: String { "" }
    var position: String? { summary == nil ? nil : "\(viewport.selected + 1)/\(rowsOrder.count)" }
    var statusText: String? { computing ? statusComputing : nil }
    private var statusComputing = ""

    private func load(app: ConsoleApp) {
        let store = app.store, box = app.mailbox, asOf = app.asOf
        statusComputing = app.labels.computingRFM
        DispatchQueue.global(qos: .userInitiated).async {
            do {
                if let s = try store.pool.read({ db in try BrowseStats.storedSegmentSummary(db) }) {
                    box.post(.segments(s, live: false, error: nil)); return
                }
                box.post(.segments(nil, live: true, error: nil))   // "computing…"
                let config = try store.pool.read { db in try RFMEngine.loadConfig(db) }
                let s = try RFMEngine.recompute(store, settings: RFMSettings(asOf: asOf, windowDays: config.windowDays, mode: config.mode, lifecycle: config.lifecycle))
                box.post(.segments(s, live: false, error: nil))
            } catch { box.post(.segments(nil, live: false, error: "\(error)")) }
        }
    }

    func receive(_ message: ConsoleMessage, app: ConsoleApp) {
        guard case .segments(let s, let live, let e) = message else { return }
        error = e
        computing = s == nil && live
        if let s { summary = s }
    }

    func perform(_ action: ConsoleAction, app: ConsoleApp) -> Bool {
        switch action {
        case .std(.open):
            guard summary != nil, viewport.selected >= 0 else { return true }
            let seg = rowsOrder[viewport.selected]
            app.push(MemberListView(app: app, scope: .segment(seg), title: app.labels.segmentName(seg)))
            return true
        case .reload: load(app: app); return true
        case .std(let s): return viewport.apply(s)
        default: return false
        }
    }

    func draw(on canvas: Canvas, app: ConsoleApp) {
        let l = app.labels
        guard let s = summary else {
            canvas.put(error ?? (computing ? l.computingRFM : l.loading), x: 1, y: 1, role: error == nil ? .muted : .error)
            return
        }
        let window = s.settings.windowDays.map { l.days($0) } ?? l.windowAll
        canvas.put(l.segmentsTitle(s.settings.asOf.description, window, s.scoredCount, s.memberCount), x: 1, y: 0, role: .title)
        let table = Table([
            TableColumn("", .fixed(1)),
            TableColumn(l.colSegment, .fixed(l.language == .zh ? 12 : 18)),
            TableColumn(l.colCount, .fixed(7), align: .right),
            TableColumn(l.colShare, .fixed(6), align: .right),
            TableColumn(l.colSpendSum, .fixed(15), align: .right),
            TableColumn(l.colAverage, .fixed(11), align: .right),
            TableColumn("", .flex(min: 4)),
        ])
        let region = canvas.region(Rect(x: 0, y: 1, width: canvas.width, height: rowsOrder.count + 1))
        table.drawHeader(on: region, y: 0)
        viewport.setHeight(rowsOrder.count)
        let maxCount = Double(rowsOrder.map { s.segments[$0]?.count ?? 0 }.max() ?? 0)
        let barWidth = table.layout(totalWidth: canvas.width).last ?? 0
        let utf8 = app.host?.isUTF8 ?? true
        for (i, seg) in rowsOrder.enumerated() {
            let row = s.segments[seg] ?? RFMSummary.Row()
            let selected = i == viewport.selected
            table.drawRow(on: region, y: i + 1, cells: [
                selected ? ">" : " ", l.segmentName(seg), Self.count(row.count),
                String(format: "%.1f%%", s.share(seg) * 100), Money.display(row.monetary), Money.display(row.averageFen),
                Chart.bar(Double(row.count), maxValue: maxCount, width: barWidth, utf8: utf8),
            ], cellRoles: [selected ? .selection : nil, selected ? .selection : (seg == .none ? .muted : nil), nil, .muted, nil, .muted, .chartBar])
        }
        var y = rowsOrder.count + 2
        let life = Lifecycle.allCases.map { "\(l.lifecycleName($0)) \(Self.count(s.lifecycle[$0] ?? 0))" }.joined(separator: " · ")
        canvas.put(l.lifecycleTitle + "  ", x: 1, y: y, role: .header)
        canvas.put(life + " · \(l.returning) \(Self.count(s.returningCount))", x: 1 + displayWidth(l.lifecycleTitle) + 2, y: y)
        y += 2
        drawGrid(s, on: canvas, y: y, labels: l)
    }

    /// R (rows, 5 = most recent at the top) × F (columns) member counts.
    private func drawGrid(_ s: RFMSummary, on canvas: Canvas, y: Int, labels l: Labels) {
        guard y + 6 <= canvas.height else { return }
        canvas.put(padToWidth(l.gridTitle, 10), x: 1, y: y, role: .header)
        for f in 1...5 { canvas.put(rightAlign("F\(f)", 8), x: 11 + (f - 1) * 8, y: y, role: .header) }
        let maxCell = s.grid.flatMap { $0 }.max() ?? 0
        for r in stride(from: 5, through: 1, by: -1) {
            let row = y + 1 + (5 - r)
            canvas.put("R\(r)", x: 1, y: row, role: .header)
            for f in 1...5 {
                let n = s.grid[r - 1][f - 1]
                let hot = maxCell > 0 && n * 3 >= maxCell * 2
                canvas.put(rightAlign(Self.count(n), 8), x: 11 + (f - 1) * 8, y: row, role: hot ? .warning : (n == 0 ? .muted : .text))
            }
        }
    }

    static func count(_ n: Int) -> String {
        let s = String(n)
        var out = ""
        for (i, c) in s.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return String(out.reversed())
    }
}
