import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

/// Segments pane (分层): the 8 RFM segments with count, share, spend and average from the last
/// stored computation, lifecycle counts with the returning share, an R×F grid coloured by count,
/// and a bar per segment. One cursor walks segments → lifecycle groups → grid cells; Enter drills
/// down to the members. `w`/`d`/`m` change window, as-of and scoring mode and recompute in the
/// background (the newest request wins); `e` edits custom edges, `b` birthdays, `h` shop health.
final class SegmentsView: ConsoleView {
    private var summary: RFMSummary?
    private var computing = false
    private var error: String?
    private var cursor = SegmentCursor()
    private let rowsOrder = Segment.allCases
    private let runner = LatestOnlyRunner(label: "ecrm.rfm.recompute")
    private var generation = 0
    private var statusComputing = ""
    /// The newest request still running: quick presses of `w` build on it, not on the figures shown.
    private var requested: RFMRequest?
    /// The stored figures after anyone's recompute, while the pane is on screen.
    private let feed = PaneWatch()

    /// The watch that brings the pane on screen reads the stored figures.
    init(app: ConsoleApp) {}

    var contexts: [String] { ["segments", "list", "scroll"] }
    var title: String { "" }
    var statusText: String? { computing ? statusComputing : nil }
    var position: String? {
        guard summary != nil else { return nil }
        switch cursor.spot {
        case .segment(let i): return "\(i + 1)/\(rowsOrder.count)"
        case .lifecycle(let i): return Lifecycle.allCases[i].rawValue
        case .grid(let r, let f): return "R\(r) F\(f)"
        }
    }
    /// The settings the figures on screen were computed with.
    var settings: RFMSettings? { summary?.settings }

    /// The stored figures are the subscription's first value, taken here before the frame that
    /// shows the pane (one read, after the subscription started: no commit falls between). With
    /// none stored yet, a first computation runs in the background ("computing…"); its commit
    /// reaches the pane as `.segments`.
    func watch(app: ConsoleApp) {
        statusComputing = app.labels.computingRFM
        switch feed.startAndLoad(app, { store, post, fail in store.observeSegmentSummary(onError: fail) { post(.segments($0)) } }) {
        case .value(.segments(let s?))?: receive(.segments(s, live: false, error: nil), app: app)
        case .value(.segments(nil))?: computeFirst(app: app)
        case .failed(let e)?: receive(.segments(nil, live: false, error: e), app: app)
        default: break
        }
    }

    /// No figures stored yet: compute them with the saved settings, off the UI thread.
    private func computeFirst(app: ConsoleApp) {
        receive(.segments(nil, live: true, error: nil), app: app)   // "computing…"
        let store = app.store, box = app.mailbox, asOf = app.asOf, labels = app.labels
        DispatchQueue.global(qos: .userInitiated).async {
            do {
                let config = try RFMEngine.loadConfig(store)
                let s = try RFMEngine.recompute(store, settings: config.settings(asOf: asOf))
                box.post(.segments(s, live: false, error: nil))
            } catch { box.post(.segments(nil, live: false, error: labels.describe(error))) }
        }
    }

    func unwatch() { feed.stop() }

    /// Recomputes in the background with a progress line; the UI keeps running, and a newer
    /// request supersedes an older one (its result is dropped, its job skipped if not started).
    func request(_ change: (inout RFMRequest) -> Void, app: ConsoleApp) {
        var req = requested ?? RFMRequest(asOf: settings?.asOf ?? app.asOf, windowDays: settings.map { $0.windowDays } ?? 365,
                                          saveConfig: app.role == .owner)
        req.mode = .keep
        change(&req)
        requested = req
        generation += 1
        computing = true
        statusComputing = app.labels.seg.recomputing(req.asOf.description, req.windowDays.map(app.labels.days) ?? app.labels.windowAll)
        let gen = generation, store = app.store, box = app.mailbox, job = req, labels = app.labels
        runner.submit {
            do { box.post(.segmentsUI(.recomputed(generation: gen, try job.run(store), error: nil))) } catch {
                box.post(.segmentsUI(.recomputed(generation: gen, nil, error: labels.describe(error))))
            }
        }
    }

    func receive(_ message: ConsoleMessage, app: ConsoleApp) {
        switch message {
        case .segments(let s, let live, let e):
            error = e
            computing = s == nil && live
            if let s { summary = s }
        case .observed:
            // Someone stored new figures: shown unless a recompute of ours is running (its result wins).
            guard case .segments(let s?)? = feed.value(message), requested == nil, !computing else { return }
            summary = s
            error = nil
        case .segmentsUI(.recomputed(let gen, let s, let e)):
            guard gen == generation else { return }
            computing = false
            requested = nil
            if let s { summary = s; error = nil; app.show(app.labels.seg.recomputed, .success) }
            if let e { app.show(e, .error) }
        default: break
        }
    }

    func perform(_ action: ConsoleAction, app: ConsoleApp) -> Bool {
        let s = app.labels.seg
        switch action {
        case .std(.open): drill(app: app); return true
        case .seg(.left): cursor.horizontal(-1); return true
        case .seg(.right): cursor.horizontal(1); return true
        case .seg(.cycleWindow):
            request({ $0.windowDays = RFMRequest.nextWindow(after: $0.windowDays) }, app: app); return true
        case .seg(.toggleMode):
            let toCustom: Bool
            if case .custom = settings?.mode { toCustom = false } else { toCustom = true }
            request({ $0.mode = toCustom ? .custom : .auto }, app: app); return true
        case .seg(.setAsOf):
            let current = settings?.asOf.description ?? app.asOf.description
            app.overlay = .form(FormOverlay(title: s.asOfTitle, form: Form([FormField(s.asOfLabel, TextField(current), validate: { [today = app.asOf] text in
                // RFM as of a day that has not happened would count everyone as lapsed: refuse it.
                guard let d = Day.parse(text.trimmingCharacters(in: .whitespaces)) else { return s.badDate }
                return d > today ? s.futureDate(today.description) : nil
            })]), submit: { [weak self] v in
                guard let day = Day.parse(v[0].trimmingCharacters(in: .whitespaces)) else { return s.badDate }
                self?.request({ $0.asOf = day }, app: app)
                return nil
            }))
            return true
        case .seg(.editEdges):
            app.push(EdgesEditorView(app: app, owner: self, base: settings ?? RFMSettings(asOf: app.asOf), current: summary))
            return true
        case .seg(.birthdays): app.push(BirthdaysView(app: app)); return true
        case .seg(.health): app.push(HealthView(app: app)); return true
        case .reload: watch(app: app); return true   // on screen: a fresh subscription reads once
        case .std(let a): return cursor.apply(a)
        default: return false
        }
    }

    /// Enter: the members of the segment, lifecycle group or grid cell under the cursor.
    private func drill(app: ConsoleApp) {
        guard summary != nil else { return }
        let l = app.labels
        switch cursor.spot {
        case .segment(let i):
            let seg = rowsOrder[i]
            app.push(MemberListView(app: app, set: .segment(seg), title: l.segmentName(seg)))
        case .lifecycle(let i):
            let stage = Lifecycle.allCases[i]
            app.push(MemberListView(app: app, set: .lifecycle(stage), title: l.lifecycleName(stage)))
        case .grid(let r, let f):
            app.push(MemberListView(app: app, set: .grid(r: r, f: f), title: "R\(r)×F\(f)"))
        }
    }

    func draw(on canvas: Canvas, app: ConsoleApp) {
        let l = app.labels
        guard let s = summary else {
            canvas.put(error ?? (computing ? l.computingRFM : l.loading), x: 1, y: 1, role: error == nil ? .muted : .error)
            return
        }
        let window = s.settings.windowDays.map { l.days($0) } ?? l.windowAll
        let title = l.segmentsTitle(s.settings.asOf.description, window, s.scoredCount, s.memberCount) + " · " + l.seg.modeName(s.settings.mode)
        canvas.put(title, x: 1, y: 0, role: .title)
        drawSegmentTable(s, on: canvas, app: app)
        var y = rowsOrder.count + 2
        drawLifecycle(s, on: canvas, y: y, labels: l)
        y += 2
        SegmentsGrid(summary: s, cursor: cursor.spot).draw(on: canvas, y: y, labels: l)
        drawControls(on: canvas, x: 54, y: y, labels: l)
    }

    private func drawSegmentTable(_ s: RFMSummary, on canvas: Canvas, app: ConsoleApp) {
        let l = app.labels
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
        let maxCount = Double(rowsOrder.map { s.segments[$0]?.count ?? 0 }.max() ?? 0)
        let barWidth = table.layout(totalWidth: canvas.width).last ?? 0
        let utf8 = app.host?.isUTF8 ?? true
        for (i, seg) in rowsOrder.enumerated() {
            let row = s.segments[seg] ?? RFMSummary.Row()
            let selected = cursor.spot == .segment(i)
            table.drawRow(on: region, y: i + 1, cells: [
                selected ? ">" : " ", l.segmentName(seg), Self.count(row.count),
                String(format: "%.1f%%", s.share(seg) * 100), Money.display(row.monetary), Money.display(row.averageFen),
                Chart.bar(Double(row.count), maxValue: maxCount, width: barWidth, utf8: utf8),
            ], cellRoles: [selected ? .selection : nil, selected ? .selection : (seg == .none ? .muted : nil), nil, .muted, nil, .muted, .chartBar])
        }
    }

    /// 生命周期  新客 3 · 活跃 20 … · 老客 25 (62.5%): each group is a drill-down target.
    private func drawLifecycle(_ s: RFMSummary, on canvas: Canvas, y: Int, labels l: Labels) {
        canvas.put(l.lifecycleTitle, x: 1, y: y, role: .header)
        var x = 1 + displayWidth(l.lifecycleTitle) + 1
        for (i, stage) in Lifecycle.allCases.enumerated() {
            let selected = cursor.spot == .lifecycle(i)
            let text = (selected ? ">" : " ") + "\(l.lifecycleName(stage)) \(Self.count(s.lifecycle[stage] ?? 0))"
            // A whole group or none: a clipped "老客 16,8" reads as a wrong number.
            guard x + displayWidth(text) <= canvas.width else { return }
            x = canvas.put(text, x: x, y: y, role: selected ? .selection : .text) + 1
        }
        let buyers = s.memberCount - (s.lifecycle[Lifecycle.none] ?? 0)
        let share = buyers == 0 ? 0 : Double(s.returningCount) / Double(buyers) * 100
        let returning = "· \(l.returning) \(Self.count(s.returningCount)) (\(String(format: "%.1f%%", share)))"
        if x + displayWidth(returning) <= canvas.width { canvas.put(returning, x: x, y: y, role: .muted) }
    }

    private func drawControls(on canvas: Canvas, x: Int, y: Int, labels l: Labels) {
        guard canvas.width >= x + 20 else { return }
        for (i, line) in l.seg.controls.enumerated() where y + i < canvas.height {
            canvas.put(line, x: x, y: y + i, role: i == 0 ? .header : .muted, maxWidth: canvas.width - x - 1)
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
