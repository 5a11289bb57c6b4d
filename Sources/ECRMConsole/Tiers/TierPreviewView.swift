import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

/// The publish preview: what changes from live to draft, who moves up to each tier, what the
/// deeper discounts would have cost over the last 30 days, and what blocks publishing. The
/// preview scans every member (TierService.preview), so it is computed in the background and
/// shows "计算中…" meanwhile. `P` publishes (TierPublishFlow) what this preview showed.
final class TierPreviewView: ConsoleView {
    nonisolated(unsafe) private static var lastGeneration = 0
    private(set) var generation = 0
    private(set) var preview: TierPreview?
    private var error: String?
    /// A refusal or a stale-publish explanation, kept on screen (a toast goes with the next key).
    var banner: (text: String, kind: Toast.Kind)?
    var publishing = false
    /// Set while this view's first confirmation is being followed by the floor confirmation.
    var awaitingFloorConfirmation = false
    private var top = 0
    private var lastHeight = 10
    private(set) var title = ""

    init(app: ConsoleApp) { refresh(app) }

    var contexts: [String] { ["tier_preview", "scroll"] }

    /// Recomputes in the background; an older computation's answer is dropped.
    func refresh(_ app: ConsoleApp) {
        title = app.labels.tierUI.previewTitle
        Self.lastGeneration += 1
        generation = Self.lastGeneration
        preview = nil
        error = nil
        let store = app.store, box = app.mailbox, gen = generation, asOf = app.asOf, lang = app.labels.language, labels = app.labels
        DispatchQueue.global(qos: .userInitiated).async {
            do { box.post(.tierPreview(generation: gen, try TierService.preview(store, asOf: asOf), error: nil)) } catch let e as TierServiceError {
                box.post(.tierPreview(generation: gen, nil, error: e.message(lang)))
            } catch {
                box.post(.tierPreview(generation: gen, nil, error: labels.describe(error)))
            }
        }
    }

    func shown(app: ConsoleApp) { title = app.labels.tierUI.previewTitle }

    func receive(_ message: ConsoleMessage, app: ConsoleApp) {
        switch message {
        case .tierPreview(let gen, let p, let e) where gen == generation:
            preview = p
            error = e
        case .tierConfirmFloor where awaitingFloorConfirmation:
            awaitingFloorConfirmation = false
            askFloorConfirmation(app)
        case .tierPublished(let result, let refused, let failure) where publishing:
            publishing = false
            finished(result, refused: refused, failure: failure, app: app)
        default: break
        }
    }

    func perform(_ action: ConsoleAction, app: ConsoleApp) -> Bool {
        switch action {
        case .publishTiers: startPublish(app)
        case .reload: banner = nil; refresh(app)
        case .std(.moveDown): top += 1
        case .std(.moveUp): top = max(0, top - 1)
        case .std(.pageDown), .std(.halfPageDown): top += max(1, lastHeight / 2)
        case .std(.pageUp), .std(.halfPageUp): top = max(0, top - max(1, lastHeight / 2))
        case .std(.top): top = 0
        case .std(.bottom): top = Int.max / 2
        default: return false
        }
        return true
    }

    func draw(on canvas: Canvas, app: ConsoleApp) {
        let t = app.labels.tierUI
        canvas.put(t.previewTitle, x: 1, y: 0, role: .title)
        var y = 1
        if let b = banner {
            for line in wrapToWidth(b.text, canvas.width - 2).prefix(4) {
                canvas.put(line, x: 1, y: y, role: Toast(b.text, kind: b.kind).role); y += 1
            }
        }
        if let error { canvas.put(error, x: 1, y: y, role: .error); return }
        guard let p = preview else { canvas.put(t.computing, x: 1, y: y, role: .muted); return }
        let lines = TierPreviewLines.make(p, app: app, width: canvas.width - 2)
        lastHeight = canvas.height - y
        top = min(top, max(0, lines.count - lastHeight))
        for (text, role) in lines.dropFirst(top) {
            guard y < canvas.height else { break }
            canvas.put(text, x: 1, y: y, role: role, maxWidth: canvas.width - 2)
            y += 1
        }
    }
}

/// The preview as lines of text (wrapped to `width`), in the order people check it.
enum TierPreviewLines {
    static func make(_ p: TierPreview, app: ConsoleApp, width: Int) -> [(String, StyleRole)] {
        let l = app.labels, t = l.tierUI, zh = l.language == .zh
        var out: [(String, StyleRole)] = [(TierText.live(p.live, l), .muted)]
        func add(_ s: String, _ role: StyleRole = .text) { for line in wrapToWidth(s, width) { out.append((line, role)) } }
        out.append(("", .text))
        out.append((t.changesTitle, .title))
        if p.changes.isEmpty { add(t.noChanges, .muted) }
        for c in p.changes { add("  " + change(c, t, zh: zh)) }
        out.append(("", .text))
        out.append((t.impactTitle, .title))
        for level in 1...4 where p.impact.movesUp[level] > 0 || p.draft.ladder[level].enabled {
            add("  " + t.impactRow(p.draft.ladder.name(of: level), p.membersPerLevel[level], p.impact.movesUp[level]))
        }
        add("  " + t.cost(p.impact.deepenedMembers, p.impact.costFen, p.asOf))
        if !p.review.blocking.isEmpty {
            out.append(("", .text))
            out.append((t.blockedTitle, .error))
            for v in p.review.blocking { add("• " + v.message(l.language), .error) }
        }
        if !p.review.warnings.isEmpty {
            out.append(("", .text))
            out.append((t.warningsTitle, .warning))
            for v in p.review.warnings { add("• " + v.message(l.language), .warning) }
        }
        if p.hasChanges && p.review.canPublish && app.role == .owner {
            out.append(("", .text))
            out.append((t.publishHint, .title))
        }
        return out
    }

    /// "高级会员（2级）折扣  9.5折 (950) → 9.3折 (930)"
    static func change(_ c: TierChange, _ t: TierLabels, zh: Bool) -> String {
        let who = c.level.map { zh ? "\(c.tierName ?? "")（\($0)级）" : "\(c.tierName ?? "") (level \($0))" } ?? ""
        let field = t.fieldName(c.field)
        let from = c.from.map { value($0, t, zh: zh) } ?? "-"
        let to = c.to.map { value($0, t, zh: zh) } ?? "-"
        return (who.isEmpty ? "" : who + " ") + field + "  " + from + " → " + to
    }

    static func value(_ v: TierValue, _ t: TierLabels, zh: Bool) -> String {
        switch v {
        case .discount(let d): return TierProblemText.discount(d, zh: zh)
        case .metric(let m): return t.metric(m)
        default: return TierProblemText.value(v, zh: zh)
        }
    }
}
