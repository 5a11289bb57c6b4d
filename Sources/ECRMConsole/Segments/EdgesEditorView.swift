import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

/// Custom RFM edges editor (owner only): a form with the four R, F and M edges over a live
/// preview of how the segment counts would move. Each change of the form (seen at the next
/// frame) starts a background RFMEngine.compute with the edited edges; a newer edit supersedes
/// an older one. Submitting saves the config and recomputes through the Segments pane.
final class EdgesEditorView: ConsoleView {
    private let base: RFMSettings
    private let before: RFMSummary?
    private weak var owner: SegmentsView?
    private var preview: RFMSummary?
    private var problem: String?
    private var lastValues: [String] = []
    private var generation = 0
    private var pendingGeneration = 0
    private let runner = LatestOnlyRunner(label: "ecrm.rfm.preview")
    private var seeded: CustomEdges?

    init(app: ConsoleApp, owner: SegmentsView?, base: RFMSettings, current: RFMSummary?) {
        self.base = base; self.before = current; self.owner = owner
        if case .custom(let e) = base.mode { seeded = e; openForm(app: app) } else { seed(app: app) }
    }

    var contexts: [String] { ["edges"] }
    var title: String { "" }

    /// Auto mode has no edges yet: seed M from this shop's quintiles off the UI thread.
    private func seed(app: ConsoleApp) {
        let store = app.store, box = app.mailbox, b = base
        DispatchQueue.global(qos: .userInitiated).async {
            let e = (try? RFMRequest.defaultEdges(store, asOf: b.asOf, windowDays: b.windowDays)) ?? CustomEdges(monetary: [10_000, 30_000, 60_000, 100_000])
            box.post(.segmentsUI(.edgesSeeded(e)))
        }
    }

    func openForm(app: ConsoleApp) {
        let l = app.labels.seg
        let values = lastValues.count == 3 ? lastValues : EdgesText.format(seeded ?? CustomEdges(monetary: [10_000, 30_000, 60_000, 100_000]))
        let fields = zip([l.edgeR, l.edgeF, l.edgeM], values).map { FormField($0.0, TextField($0.1)) }
        app.overlay = .form(FormOverlay(title: l.edgesTitle, form: Form(fields), submit: { [weak self] v in
            switch EdgesText.parse(v, words: l) {
            case .failure(let e): return l.edgesInvalid(e.message)
            case .success(let edges):
                self?.owner?.request({ $0.mode = .edges(edges) }, app: app)
                app.pop(quitAtRoot: false)
                return nil
            }
        }, onCancel: { [weak self] app in
            if let self, app.topView === self { app.pop(quitAtRoot: false) }
        }))
    }

    func receive(_ message: ConsoleMessage, app: ConsoleApp) {
        switch message {
        case .segmentsUI(.edgesSeeded(let e)):
            guard seeded == nil else { return }
            seeded = e
            if app.topView === self { openForm(app: app) }
        case .segmentsUI(.edgesPreview(let gen, let s, let err)):
            guard gen == generation else { return }
            pendingGeneration = gen
            preview = s
            if let err { problem = err }
        default: break
        }
    }

    func perform(_ action: ConsoleAction, app: ConsoleApp) -> Bool {
        switch action {
        case .seg(.editEdges): if seeded != nil { openForm(app: app) }; return true
        default: return false
        }
    }

    /// Starts a preview when the form's text changed since the last frame.
    private func followForm(app: ConsoleApp) {
        guard case .form(let f)? = app.overlay else { return }
        let values = f.form.fields.map(\.value)
        guard values != lastValues else { return }
        lastValues = values
        switch EdgesText.parse(values, words: app.labels.seg) {
        case .failure(let e): problem = app.labels.seg.edgesInvalid(e.message)
        case .success(let edges):
            problem = nil
            generation += 1
            var settings = base
            settings.mode = .custom(edges)
            let gen = generation, store = app.store, box = app.mailbox, edited = settings, labels = app.labels
            runner.submit {
                do {
                    let s = try RFMEngine.compute(store, settings: edited).summary
                    box.post(.segmentsUI(.edgesPreview(generation: gen, s, error: nil)))
                } catch { box.post(.segmentsUI(.edgesPreview(generation: gen, nil, error: labels.describe(error)))) }
            }
        }
    }

    func draw(on canvas: Canvas, app: ConsoleApp) {
        followForm(app: app)
        let l = app.labels
        canvas.put(l.seg.previewTitle + (pendingGeneration == generation ? "" : "  " + l.seg.previewing), x: 1, y: 0, role: .title)
        // Three segments per row so the preview stays visible above the centred form.
        let segs = Segment.allCases
        let colWidth = max(20, (canvas.width - 2) / 3)
        for (i, seg) in segs.enumerated() {
            let old = before?.segments[seg]?.count ?? 0
            let new = preview?.segments[seg]?.count
            let delta = new.map { $0 - old } ?? 0
            let nums = new.map { "\(SegmentsView.count(old))→\(SegmentsView.count($0))" } ?? SegmentsView.count(old)
            let name = truncateWithEllipsis(l.segmentName(seg), colWidth - displayWidth(nums) - 2)
            let x = 1 + (i % 3) * colWidth, y = 1 + i / 3
            let nx = canvas.put(name, x: x, y: y, role: seg == .none ? .muted : .text)
            canvas.put(nums, x: max(nx + 1, x + colWidth - 1 - displayWidth(nums)), y: y, role: delta > 0 ? .positive : (delta < 0 ? .warning : .muted))
        }
        let bottom = canvas.height - 4
        if let p = problem { canvas.put(p, x: 1, y: bottom, role: .error, maxWidth: canvas.width - 2) }
        for (i, line) in l.seg.edgesHelp.enumerated() { canvas.put(line, x: 1, y: bottom + 1 + i, role: .muted, maxWidth: canvas.width - 2) }
    }
}
