import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

/// Shop health (效果评估): repurchase, reactivation and refund rates, and a 12-month cohort
/// retention table with a sparkline per cohort. Computed off the UI thread (a pass over every
/// member's paid days plus one orders aggregate), as of the console's day.
final class HealthView: ConsoleView {
    private var health: ShopHealth?
    private var error: String?
    /// Fresh figures after anyone's commit, while the view is on screen.
    private let feed = PaneWatch()

    init(app: ConsoleApp) {}

    var contexts: [String] { ["health"] }
    var title: String { "" }

    /// The watch that brings the view on screen reads the figures (PaneWatch); on screen, a reload reads again.
    func shown(app: ConsoleApp) { feed.reload(app) }

    func receive(_ message: ConsoleMessage, app: ConsoleApp) {
        if case .health(let h)? = feed.value(message) { health = h; error = nil; return }
        if let e = feed.failure(message) { error = e }
    }

    func watch(app: ConsoleApp) {
        let asOf = app.asOf
        feed.start(app) { store, post, fail in store.observeHealth(asOf: asOf, onError: fail) { post(.health($0)) } }
    }

    func unwatch() { feed.stop() }

    func perform(_ action: ConsoleAction, app: ConsoleApp) -> Bool {
        if action == .reload { shown(app: app); return true }
        return false
    }

    static func percent(_ r: Rate) -> String { r.value.map { String(format: "%.1f%%", $0 * 100) } ?? "-" }

    func draw(on canvas: Canvas, app: ConsoleApp) {
        let l = app.labels.seg
        guard let h = health else {
            canvas.put(error ?? app.labels.loading, x: 1, y: 1, role: error == nil ? .muted : .error)
            return
        }
        canvas.put(l.healthTitle(h.asOf.description), x: 1, y: 0, role: .title)
        canvas.put(l.repurchase(Self.percent(h.repurchase), h.repurchase.part, h.repurchase.whole), x: 1, y: 1)
        let r = h.reactivation
        canvas.put(l.reactivation(Self.percent(r.rate), r.reactivated, r.sleepingAtStart + r.lostAtStart, r.start.description), x: 1, y: 2)
        canvas.put(l.refunds(Self.percent(h.refunds.byCount), h.refunds.refundedOrders, Self.percent(h.refunds.byAmount)), x: 1, y: 3)
        drawCohorts(h.cohorts, asOf: h.asOf, on: canvas, y: 5, app: app)
    }

    /// 首购月 人数 M0…M11 (percent of the cohort buying k months after joining), then a sparkline.
    private func drawCohorts(_ cohorts: [CohortRetention], asOf: Day, on canvas: Canvas, y: Int, app: ConsoleApp) {
        // The as-of month is not over: its share is marked "*" and left out of the trend, where
        // it would look like a drop.
        let current = String(asOf.description.prefix(7))
        func isCurrent(_ month: String, plus k: Int) -> Bool {
            let parts = month.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 2 else { return false }
            let m = parts[0] * 12 + (parts[1] - 1) + k
            return String(format: "%04d-%02d", m / 12, m % 12 + 1) == current
        }
        let l = app.labels.seg
        canvas.put(padToWidth(l.cohortMonth, 8) + rightAlign(l.cohortSize, 5), x: 1, y: y, role: .header)
        for k in 0..<12 { canvas.put(rightAlign("M\(k)", 4), x: 15 + k * 4, y: y, role: .header) }
        canvas.put(l.cohortTrend, x: 64, y: y, role: .header)
        let utf8 = app.host?.isUTF8 ?? true
        for (i, c) in cohorts.enumerated() where y + 1 + i < canvas.height {
            let row = y + 1 + i
            canvas.put(padToWidth(c.month, 8) + rightAlign(SegmentsView.count(c.size), 5), x: 1, y: row, role: c.size == 0 ? .muted : .text)
            var partialAt: Int?
            for (k, share) in c.shares.enumerated() {
                let partial = share != nil && isCurrent(c.month, plus: k)
                if partial { partialAt = k }
                let text = share.map { String(Int(($0 * 100).rounded())) + (partial ? "*" : "") } ?? ""
                canvas.put(rightAlign(text, 4), x: 15 + k * 4, y: row,
                           role: partial || k == 0 ? .muted : ((share ?? 0) >= 0.2 ? .positive : .text))
            }
            let later = c.shares.enumerated().dropFirst().filter { $0.offset != partialAt }.compactMap(\.element)
            if c.size > 0, !later.isEmpty {
                canvas.put(Chart.sparkline(later, width: 11, utf8: utf8), x: 64, y: row, role: .chartBar)
            }
        }
        canvas.put(l.cohortNote + "  " + l.partialMonth, x: 1, y: min(canvas.height - 1, y + 2 + cohorts.count), role: .muted, maxWidth: canvas.width - 2)
    }
}
