import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

/// Duplicate candidates (疑似重复会员), reached with `D` from the Members pane: one pair a row with
/// its evidence; Enter compares the two side by side. Found off the UI thread (a pass over every
/// member: about a second at 1M), as the first value of its change-feed subscription (PaneWatch).
final class DuplicatesView: ConsoleView {
    private(set) var found: MergeService.Candidates?
    private var error: String?
    private var viewport = ListViewport()
    private let feed = PaneWatch()

    init(app: ConsoleApp) { lastZh = app.labels.language == .zh }

    var contexts: [String] { ["duplicates", "list", "scroll"] }
    var title: String { MergeLabels(zh: lastZh).title }
    private var lastZh = true
    var position: String? { found.map { "\(viewport.count == 0 ? 0 : viewport.selected + 1)/\($0.pairs.count)" } }

    /// The watch that brings the view on screen reads the candidates; on screen, a reload reads again.
    func shown(app: ConsoleApp) {
        lastZh = app.labels.language == .zh
        feed.reload(app)
    }

    func receive(_ message: ConsoleMessage, app: ConsoleApp) {
        if case .duplicates(let c)? = feed.value(message) { adopt(c, error: nil); return }
        if let e = feed.failure(message) { adopt(nil, error: e) }
    }

    /// Fresh candidates: the cursor stays on the same pair wherever it now is; when that pair left
    /// (merged, dismissed), on the same line.
    private func adopt(_ c: MergeService.Candidates?, error e: String?) {
        let current = selected.map { [$0.a.id, $0.b.id] }
        let keep = viewport.selected
        found = c; error = e
        viewport.setCount(c?.pairs.count ?? 0)
        if let current, let i = c?.pairs.firstIndex(where: { [$0.a.id, $0.b.id] == current }) {
            viewport.select(i)
        } else if keep > 0 {
            viewport.select(min(keep, max(0, viewport.count - 1)))
        }
    }

    /// On screen, the list follows the store's change feed: another operator's merge or dismiss,
    /// or an import that adds a candidate, shows without a key.
    func watch(app: ConsoleApp) {
        feed.start(app) { store, post, fail in store.observeDuplicates(onError: fail) { post(.duplicates($0)) } }
    }

    func unwatch() { feed.stop() }

    private var selected: MergeService.Candidate? {
        guard let f = found, viewport.selected >= 0, viewport.selected < f.pairs.count else { return nil }
        return f.pairs[viewport.selected]
    }

    func perform(_ action: ConsoleAction, app: ConsoleApp) -> Bool {
        switch action {
        case .std(.open):
            if let c = selected { app.push(PairReviewView(app: app, candidate: c)) }
        case .reload: shown(app: app)
        case .std(let a): return viewport.apply(a)
        default: return false
        }
        return true
    }

    func draw(on canvas: Canvas, app: ConsoleApp) {
        let l = app.labels.merge
        lastZh = app.labels.language == .zh
        var head = l.title
        if let f = found { head += "  " + l.count(CampaignFormat.grouped(f.pairs.count)) }
        canvas.put(head, x: 1, y: 0, role: .title, maxWidth: canvas.width - 2)
        defer { canvas.put(l.listHelp, x: 1, y: canvas.height - 1, role: .muted, maxWidth: canvas.width - 2) }
        if let error { canvas.put(error, x: 1, y: 2, role: .error, maxWidth: canvas.width - 2); return }
        guard let f = found else { canvas.put(l.computing, x: 1, y: 2, role: .muted); return }
        if f.pairs.isEmpty { canvas.put(l.none, x: 1, y: 2, role: .muted, maxWidth: canvas.width - 2) }
        let language = app.labels.language
        let side = max(16, (canvas.width - 4) / 3)
        let table = Table([TableColumn("", .fixed(1)), TableColumn(l.colA, .fixed(side)), TableColumn(l.colB, .fixed(side)),
                           TableColumn(l.colEvidence, .flex(min: 10))])
        let crowdedRows = min(f.crowded.count, 2)
        let region = canvas.region(Rect(x: 0, y: 1, width: canvas.width, height: canvas.height - 2 - crowdedRows))
        table.drawHeader(on: region, y: 0)
        let body = region.region(Rect(x: 0, y: 1, width: region.width, height: region.height - 1))
        func who(_ m: MemberSummary) -> String { [m.buyerId, m.nick, m.name, m.maskedPhone].filter { !$0.isEmpty }.joined(separator: " ") }
        ListView.draw(on: body, viewport: &viewport, source: ArrayRowSource(f.pairs)) { c, p, y, isSelected in
            table.drawRow(on: c, y: y, cells: [isSelected ? ">" : " ", who(p.a), who(p.b), p.evidence.map { $0.describe(language) }.joined(separator: "; ")],
                          cellRoles: [isSelected ? .selection : nil, isSelected ? .selection : nil, isSelected ? .selection : nil, .muted])
        }
        for (i, c) in f.crowded.prefix(crowdedRows).enumerated() {
            canvas.put(l.crowded(c.evidence.describe(language), CampaignFormat.grouped(c.members)), x: 1, y: canvas.height - 2 - crowdedRows + i,
                       role: .muted, maxWidth: canvas.width - 2)
        }
    }
}

/// Two members side by side (compact cards, phones masked) with the evidence: the owner merges the
/// right one into the left (`m`, after the preview and a y/n), swaps which one stays (`s`) or says
/// they are two people (`d`). Staff may look; the owner's keys refuse them in one line.
final class PairReviewView: ConsoleView {
    private var left: MergeService.Card?
    private var right: MergeService.Card?
    private var candidate: MergeService.Candidate
    private var error: String?

    init(app: ConsoleApp, candidate: MergeService.Candidate) {
        self.candidate = candidate
        load(app: app)
    }

    var contexts: [String] { ["duplicate_pair"] }
    var title: String { "\(candidate.a.buyerId) · \(candidate.b.buyerId)" }

    private func load(app: ConsoleApp) {
        let service = MergeService(store: app.store, language: app.labels.language)
        do {
            left = try service.card(candidate.a.id, asOf: app.asOf)
            right = try service.card(candidate.b.id, asOf: app.asOf)
            error = nil
        } catch { self.error = app.labels.describe(error) }
    }

    func shown(app: ConsoleApp) { load(app: app) }

    func perform(_ action: ConsoleAction, app: ConsoleApp) -> Bool {
        let l = app.labels.merge
        switch action {
        case .merge(.swap):
            swap(&left, &right)
            candidate = MergeService.Candidate(a: candidate.b, b: candidate.a, evidence: candidate.evidence)
        case .merge(.merge):
            let keep = candidate.a.buyerId, other = candidate.b.buyerId
            let service = MergeService(store: app.store, language: app.labels.language)
            let p: MergeService.MergePreview
            do { p = try service.preview(keep: keep, other: other) } catch { app.show(app.labels.describe(error), .error); return true }
            let m = p.merged
            var lines = [l.mergeQuestion(keep, other), "",
                         l.mergedCard(m.measure?.frequency ?? 0, Money.display(m.measure?.monetary ?? 0),
                                      app.tierNames[min(max(m.summary.tier, 0), 4)], l.discount(m.discount),
                                      m.tags.isEmpty ? "—" : m.tags.joined(separator: "、")),
                         l.moves(p.ordersMoving, p.notesMoving, p.identitiesMoving)]
            if p.raisedByTotal { lines.append(l.raised) }
            if p.blacklistCarried { lines.append(l.blacklistCarried(p.keep.summary.isBlacklisted ? keep : other)) }
            app.push(ConfirmView(title: l.mergeTitle, message: lines.joined(separator: "\n"), under: self) { app in
                do {
                    try service.merge(keep: keep, other: other)
                    app.pop(quitAtRoot: false)   // back to the list, which looks again
                    app.show(l.merged(other, keep), .success)
                } catch { app.show(app.labels.describe(error), .error) }
            })
        case .merge(.dismiss):
            let a = candidate.a.buyerId, b = candidate.b.buyerId
            app.push(ConfirmView(title: l.dismissTitle, message: l.dismissQuestion(a, b), under: self) { app in
                do {
                    try MergeService(store: app.store, language: app.labels.language).dismiss(a, b)
                    app.pop(quitAtRoot: false)
                    app.show(l.dismissed(a, b), .success)
                } catch { app.show(app.labels.describe(error), .error) }
            })
        default: return false
        }
        return true
    }

    func draw(on canvas: Canvas, app: ConsoleApp) {
        let l = app.labels.merge
        defer { canvas.put(l.pairHelp, x: 1, y: canvas.height - 1, role: .muted, maxWidth: canvas.width - 2) }
        if let error { canvas.put(error, x: 1, y: 1, role: .error, maxWidth: canvas.width - 2); return }
        guard let left, let right else { canvas.put(app.labels.loading, x: 1, y: 1, role: .muted); return }
        let half = (canvas.width - 3) / 2
        let a = lines(left, l, app), b = lines(right, l, app)
        canvas.put(l.keep, x: 1, y: 0, role: .title, maxWidth: half)
        canvas.put(l.mergedIn, x: half + 2, y: 0, role: .title, maxWidth: half)
        for (i, line) in a.enumerated() where 1 + i < canvas.height - 3 {
            canvas.put(line.0, x: 1, y: 1 + i, role: line.1, maxWidth: half)
        }
        for (i, line) in b.enumerated() where 1 + i < canvas.height - 3 {
            canvas.put(line.0, x: half + 2, y: 1 + i, role: line.1, maxWidth: half)
        }
        let y = min(canvas.height - 3, 2 + max(a.count, b.count))
        let evidence = l.evidence(candidate.evidence.map { $0.describe(app.labels.language) })
        for (i, text) in wrapToWidth(evidence, canvas.width - 2).prefix(max(0, canvas.height - 1 - y)).enumerated() {
            canvas.put(text, x: 1, y: y + i, role: .warning, maxWidth: canvas.width - 2)
        }
    }

    /// A compact card: one fact a line, phones masked.
    private func lines(_ c: MergeService.Card, _ l: MergeLabels, _ app: ConsoleApp) -> [(String, StyleRole)] {
        let d = c.detail, s = d.summary
        var out: [(String, StyleRole)] = [(s.buyerId, .header)]
        out.append(("\(l.nick) \(s.nick)", .text))
        if !s.name.isEmpty { out.append(("\(l.name) \(s.name)", .text)) }
        if !s.phone.isEmpty { out.append(("\(l.phone) \(s.phone)", .text)) }
        let place = s.province + s.city
        if !place.isEmpty { out.append(("\(l.place) \(place)", .text)) }
        if let b = d.birthday { out.append(("\(l.birthday) \(b)", .text)) }
        var tier = "\(l.tier) \(d.tierName)（\(l.discount(d.discount))）"
        if s.isBlacklisted { tier += " · " + l.blacklisted }
        out.append((tier, s.isBlacklisted ? .warning : .text))
        out.append(("\(l.orders) \(l.spend(s.paidCount, Money.display(s.paidSum)))", .text))
        if let last = s.lastPaidAt { out.append(("\(l.lastPaid) \(last.prefix(10))", .muted)) }
        out.append(("\(l.tags) \(d.tags.isEmpty ? "—" : d.tags.joined(separator: "、"))", .text))
        out.append(("\(l.identities) \(c.identities.map { "\($0.channel):\($0.externalId)" }.joined(separator: ", "))", .muted))
        return out
    }
}
