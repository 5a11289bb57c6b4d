import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

/// Tiers pane (等级): the live ladder (metric, thresholds, discounts, floor), members per level,
/// which version is live and who published it, and whether the draft differs. The owner edits
/// the draft from here (`e`), previews and publishes (`p`); anyone sees the history (`v`).
/// Enter lists a level's members.
final class TiersView: ConsoleView {
    private var counts: BrowseStats.TierCounts?
    private var live: TierLive?
    private var draft: TierDraft?
    private var viewport = ListViewport(count: 5, height: 5)
    private var error: String?
    /// Fresh ladder and counts after anyone's commit, while the pane is on screen.
    private let feed = PaneWatch()

    init(app: ConsoleApp) { shown(app: app) }

    var contexts: [String] { ["tiers", "list", "scroll"] }
    var title: String { "" }
    var position: String? { "\(viewport.selected + 1)/5" }

    /// Live and draft are one row each (read here, for the first frame); counting members scans
    /// the member table (0.5 s at a million): that is the first value of the pane's change-feed
    /// subscription (PaneWatch), read once in the background when the pane comes on screen.
    func shown(app: ConsoleApp) {
        do {
            (live, draft) = try TierService.liveAndDraft(app.store)
            error = nil
        } catch { self.error = app.labels.describe(error) }
        feed.reload(app)
        app.tierNamesNeedReload()
    }

    func receive(_ message: ConsoleMessage, app: ConsoleApp) {
        if case .tiers(let o)? = feed.value(message) {
            if o.live != live { app.tierNamesNeedReload() }
            live = o.live; draft = o.draft; counts = o.counts; error = nil
            return
        }
        if let e = feed.failure(message) { error = e; return }
        guard case .tiers(let c, let e) = message else { return }
        if let c { counts = c }
        if let e { error = e }
    }

    func watch(app: ConsoleApp) {
        feed.start(app) { store, post, fail in store.observeTiers(onError: fail) { post(.tiers($0)) } }
    }

    func unwatch() { feed.stop() }

    func perform(_ action: ConsoleAction, app: ConsoleApp) -> Bool {
        switch action {
        case .std(.open):
            let ladder = live?.ladder ?? .initial
            let level = viewport.selected
            app.push(MemberListView(app: app, set: .tier(level), title: app.labels.scopeTier(ladder.name(of: level))))
            return true
        case .editTiers:
            app.push(TierEditView(app: app, members: counts?.members))
            return true
        case .previewTiers: app.push(TierPreviewView(app: app)); return true
        case .tierHistory: app.push(TierHistoryView(app: app)); return true
        case .reload: shown(app: app); return true
        case .std(let s): return viewport.apply(s)
        default: return false
        }
    }

    func draw(on canvas: Canvas, app: ConsoleApp) {
        let l = app.labels, t = l.tierUI, zh = l.language == .zh
        if let error { canvas.put(error, x: 1, y: 1, role: .error); return }
        // One screen once the counts are in (0.5 s at a million members), not a table of "…".
        guard let draft, let counts else { canvas.put(l.loading, x: 1, y: 1, role: .muted); return }
        let ladder = live?.ladder ?? .initial
        canvas.put(l.tiersTitle + "  " + TierText.live(live, l), x: 1, y: 0, role: .title)
        TierText.ladderLine(ladder, t, zh: zh, on: canvas, y: 1)
        var y = TierLadderTable(ladder: ladder, members: counts.members, selectedLevel: viewport.selected)
            .draw(on: canvas, y: 2, app: app)
        y += 1
        canvas.put(l.blacklistCount(counts.blacklisted), x: 1, y: y, role: .muted)
        y += 1
        let differs = draft.ladder != live?.ladder
        canvas.put(differs ? t.draftDiffers : t.draftSame, x: 1, y: y, role: differs ? .warning : .muted)
        y += 2
        // Staff: the reason comes from the key table, the same words the hint bar and `e` give.
        if let reason = app.keys.binding(named: "edit_tiers")?.disabledReason?() {
            canvas.put((zh ? "只读：" : "read-only: ") + reason, x: 1, y: y, role: .warning)
        } else {
            canvas.put(t.ownerHint, x: 1, y: y, role: .muted)
        }
    }
}

/// Member counts per level in the background; the answer is broadcast as `.tiers` to every view.
enum TierCounting {
    static func start(_ app: ConsoleApp) {
        let store = app.store, box = app.mailbox, labels = app.labels
        DispatchQueue.global(qos: .userInitiated).async {
            do { box.post(.tiers(try BrowseStats.tierCounts(store), error: nil)) } catch {
                box.post(.tiers(nil, error: labels.describe(error)))
            }
        }
    }
}

/// Lines the tier views share.
enum TierText {
    /// "已发布 v3 · alice · 2026-11-20 10:00" (to the minute: seconds add nothing here).
    static func live(_ l: TierLive?, _ labels: Labels) -> String {
        labels.tiersPublished(l?.version) + (l.map { " · \($0.publishedBy) · \($0.publishedAt.prefix(16))" } ?? "")
    }

    /// "升级指标 累计消费金额   分销价保护 8.5折 (850)"
    static func ladderLine(_ ladder: TierLadder, _ t: TierLabels, zh: Bool, on canvas: Canvas, y: Int) {
        let floor = ladder.distributorFloor.map { TierProblemText.discount($0, zh: zh) } ?? t.noFloor
        canvas.put("\(t.metricLabel) \(t.metric(ladder.metric))   \(t.floorLabel) \(floor)", x: 1, y: y, role: .muted)
    }
}
