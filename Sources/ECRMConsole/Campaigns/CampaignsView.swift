import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

/// Campaigns pane (营销活动): every campaign with its status and last computed uplift. Enter opens
/// the outcome; `c` closes (owner). Campaigns are created with `C` on any member list.
final class CampaignsView: ConsoleView {
    private(set) var campaigns: [CampaignInfo] = []
    private var viewport = ListViewport()
    private var error: String?
    /// Fresh rows after anyone's commit, while the pane is on screen.
    private let feed = PaneWatch()
    private var generation = 0

    /// The watch that brings the pane on screen reads the campaigns.
    init(app: ConsoleApp) {}

    var contexts: [String] { ["campaigns", "list", "scroll"] }
    var title: String { "" }
    var position: String? { "\(max(0, viewport.selected + 1))/\(campaigns.count)" }
    private var selected: CampaignInfo? { viewport.selected >= 0 && viewport.selected < campaigns.count ? campaigns[viewport.selected] : nil }

    /// On screen (reload, another language) a fresh subscription reads the campaigns once; off
    /// screen nothing: the watch that brings the pane back reads them.
    func shown(app: ConsoleApp) {
        if feed.isActive { watch(app: app) }
    }

    private func refreshStaleHeadlines(app: ConsoleApp) {
        generation += 1
        guard campaigns.contains(where: { !$0.headlineCurrent }) else { return }
        let gen = generation, store = app.store, box = app.mailbox, today = app.asOf
        DispatchQueue.global(qos: .utility).async {
            // A failure keeps the remembered headlines (shown as not current): nothing to report.
            if let fresh = try? CampaignService(store: store).refreshHeadlines(today: today) {
                box.post(.campaignHeadlines(generation: gen, fresh))
            }
        }
    }

    func receive(_ message: ConsoleMessage, app: ConsoleApp) {
        let fresh: [CampaignInfo]
        if case .campaigns(let rows)? = feed.value(message) {
            // Anyone's commit (a new campaign, an import that makes headlines stale).
            fresh = rows
        } else if case .campaignHeadlines(let gen, let rows) = message, gen == generation {
            fresh = rows
        } else {
            if let e = feed.failure(message) { error = e }
            return
        }
        adopt(fresh)
        if case .campaigns? = feed.value(message) { refreshStaleHeadlines(app: app) }
    }

    /// Keep the selection on the same campaign (the list may have grown meanwhile).
    private func adopt(_ fresh: [CampaignInfo]) {
        let current = selected?.id
        campaigns = fresh
        error = nil
        viewport.setCount(campaigns.count)
        if let current, let i = campaigns.firstIndex(where: { $0.id == current }) { viewport.select(i) }
    }

    /// One short read with the headlines as last remembered, the subscription's first value, taken
    /// here before the frame that shows the pane (after the subscription started: no commit falls
    /// between). Headlines computed before orders last changed (an import) are recomputed off the
    /// UI thread and replace the rows when ready, so the pane opens at once and its uplift column
    /// is current a moment later.
    func watch(app: ConsoleApp) {
        switch feed.startAndLoad(app, { store, post, fail in store.observeCampaigns(onError: fail) { post(.campaigns($0)) } }) {
        case .value(.campaigns(let rows))?: adopt(rows); refreshStaleHeadlines(app: app)
        case .failed(let e)?: error = e
        default: break
        }
    }

    func unwatch() { feed.stop() }

    func perform(_ action: ConsoleAction, app: ConsoleApp) -> Bool {
        switch action {
        case .std(.open):
            if let c = selected { app.push(CampaignDetailView(app: app, campaign: c)) }
        case .campaign(.close):
            if let c = selected { CampaignForms.close(app: app, campaign: c, under: self) }
        case .reload: shown(app: app)
        case .std(let a): return viewport.apply(a)
        default: return false
        }
        return true
    }

    func draw(on canvas: Canvas, app: ConsoleApp) {
        let l = app.labels.camp
        canvas.put(l.title, x: 1, y: 0, role: .title)
        if let error { canvas.put(error, x: 1, y: 2, role: .error); return }
        if campaigns.isEmpty { canvas.put(l.none, x: 1, y: 2, role: .muted, maxWidth: canvas.width - 2); return }
        let table = Table([TableColumn("", .fixed(1)), TableColumn(l.colName, .flex(min: 12)), TableColumn(l.colStatus, .fixed(8)),
                           TableColumn(l.colStart, .fixed(10)), TableColumn(l.colTarget, .fixed(9), align: .right),
                           TableColumn(l.colUplift, .fixed(7), align: .right), TableColumn(l.colP, .fixed(6), align: .right)])
        let region = canvas.region(Rect(x: 0, y: 1, width: canvas.width, height: canvas.height - 1))
        table.drawHeader(on: region, y: 0)
        let body = region.region(Rect(x: 0, y: 1, width: region.width, height: region.height - 2))
        let today = app.asOf
        ListView.draw(on: body, viewport: &viewport, source: ArrayRowSource(campaigns)) { c, info, y, isSelected in
            let status = info.status(today: today)
            let uplift = info.headlineUplift.map(CampaignFormat.points) ?? "—"
            // A headline from before the last import stays muted until its recomputation arrives.
            let role: StyleRole? = info.headlineUplift.map { $0 > 0 && info.headlineCurrent ? .positive : .muted }
            table.drawRow(on: c, y: y, cells: [isSelected ? ">" : " ", info.name, l.status(status), info.start.description,
                                               CampaignFormat.grouped(info.targetSize), uplift,
                                               info.headlinePValue.map(CampaignFormat.pValue) ?? ""],
                          cellRoles: [isSelected ? .selection : nil, isSelected ? .selection : nil,
                                      status == .running ? .positive : .muted, nil, nil, role, .muted])
        }
        canvas.put(l.listHelp, x: 1, y: canvas.height - 1, role: .muted, maxWidth: canvas.width - 2)
    }
}

/// One campaign's outcome: both groups side by side, uplift and incremental revenue with their
/// intervals, the daily cumulative uplift, overlap; `r`/`R` list the responders of either group,
/// `x` exports the send list.
final class CampaignDetailView: ConsoleView {
    private(set) var info: CampaignInfo
    private(set) var report: CampaignReport?
    private var error: String?
    private var generation = 0

    init(app: ConsoleApp, campaign: CampaignInfo) {
        info = campaign
        shown(app: app)
    }

    var contexts: [String] { ["campaign"] }
    var title: String { info.name }

    /// The outcome reads every target member's paid history: off the UI thread.
    func shown(app: ConsoleApp) {
        generation += 1
        let gen = generation, store = app.store, box = app.mailbox, name = String(info.id), today = app.asOf, labels = app.labels
        DispatchQueue.global(qos: .userInitiated).async {
            do {
                let r = try CampaignService(store: store).report(name, today: today)
                box.post(.campaignReport(generation: gen, r, error: nil))
            } catch { box.post(.campaignReport(generation: gen, nil, error: labels.describe(error))) }
        }
    }

    func receive(_ message: ConsoleMessage, app: ConsoleApp) {
        guard case .campaignReport(let gen, let r, let e) = message, gen == generation else { return }
        report = r; error = e
        if let r { info = r.info }
    }

    func perform(_ action: ConsoleAction, app: ConsoleApp) -> Bool {
        let l = app.labels.camp
        switch action {
        case .campaign(.treatmentResponders), .campaign(.controlResponders):
            guard let r = report else { app.show(l.computing); return true }
            let treated = action == .campaign(.treatmentResponders)
            let ids = treated ? r.treatmentResponders : r.controlResponders
            // The console's member list over exactly these members (Enter opens a card).
            app.push(MemberListView(app: app, set: .ids(ids), title: l.responders(treated ? l.treatment : l.control, info.name)))
        case .campaign(.close):
            CampaignForms.close(app: app, campaign: info, under: self)
        case .campaign(.exportSendList):
            // The member export's dialog; the store's campaign export writes the treatment group
            // with the same phone rules and audits it as `campaign.export`, like the command line.
            let name = info.name, key = String(info.id)
            ListActions.exportForm(app: app, name: "\(l.sendListFile)-\(name)", exported: { n, path in l.exported(name, CampaignFormat.grouped(n), path) }) {
                store, path, settings, reveal, encoding, headers in
                try CampaignService(store: store).exportTreatment(key, to: path, settings: settings, reveal: reveal, encoding: encoding, headers: headers).written
            }
        case .reload: shown(app: app)
        default: return false
        }
        return true
    }

    func draw(on canvas: Canvas, app: ConsoleApp) {
        let l = app.labels.camp
        let status = info.status(today: app.asOf)
        var head = "\(info.name)  \(l.status(status))"
        if status == .running { head += " · " + l.dayOf(min(info.windowDays, max(0, app.asOf - info.start + 1)), info.windowDays) }
        canvas.put(head, x: 1, y: 0, role: .title, maxWidth: canvas.width - 2)
        canvas.put(l.period(info.start, info.end.adding(days: -1), info.windowDays), x: 1, y: 1, role: .muted, maxWidth: canvas.width - 2)
        canvas.put(l.targetLine(CampaignFormat.grouped(info.targetSize), l.target(info.target, info.targetText), CampaignRules.percentText(info.holdoutBasisPoints), info.seed),
                   x: 1, y: 2, maxWidth: canvas.width - 2)
        canvas.put(l.tagLine(info.tag), x: 1, y: 3, role: .muted, maxWidth: canvas.width - 2)
        defer { canvas.put(l.detailHelp, x: 1, y: canvas.height - 1, role: .muted, maxWidth: canvas.width - 2) }
        if let error { canvas.put(error, x: 1, y: 5, role: .error, maxWidth: canvas.width - 2); return }
        guard let r = report else { canvas.put(l.computing, x: 1, y: 5, role: .muted); return }
        // Both groups side by side.
        let table = Table([TableColumn("", .fixed(14)), TableColumn(l.treatment, .fixed(14), align: .right),
                           TableColumn(l.control, .fixed(14), align: .right)])
        let grid = canvas.region(Rect(x: 1, y: 5, width: min(canvas.width - 2, 46), height: 6))
        table.drawHeader(on: grid, y: 0)
        let rows: [(String, (GroupOutcome) -> String)] = [
            (l.members, { CampaignFormat.grouped($0.members) }),
            (l.responders, { CampaignFormat.grouped($0.responders) }),
            (l.rate, { CampaignFormat.percent($0.rate) }),
            (l.revenue, { Money.display($0.revenue) }),
            (l.perMember, { CampaignFormat.yuan($0.revenuePerMember) }),
        ]
        for (i, row) in rows.enumerated() {
            table.drawRow(on: grid, y: 1 + i, cells: [row.0, row.1(r.treatment), row.1(r.control)], cellRoles: [.muted, nil, nil])
        }
        let e = r.effect
        let y = 12
        canvas.put(l.uplift(CampaignFormat.points(e.uplift), CampaignFormat.points(e.upliftLow), CampaignFormat.points(e.upliftHigh),
                            CampaignFormat.pValue(e.pValue)), x: 1, y: y, role: e.upliftLow > 0 ? .positive : .text, maxWidth: canvas.width - 2)
        canvas.put(l.incremental(CampaignFormat.yuan(e.incrementalRevenue), CampaignFormat.yuan(e.incrementalLow), CampaignFormat.yuan(e.incrementalHigh)),
                   x: 1, y: y + 1, maxWidth: canvas.width - 2)
        canvas.put(l.detectable(CampaignFormat.points(info.minDetectableUplift).replacingOccurrences(of: "+", with: "")) + " · " +
                   l.overlap(CampaignFormat.grouped(r.overlap)), x: 1, y: y + 2, role: .muted, maxWidth: canvas.width - 2)
        // The daily cumulative uplift as a one-row chart (one glyph a day, the latest days when the window is wider than the screen).
        guard y + 5 < canvas.height - 1 else { return }
        canvas.put(l.chartTitle, x: 1, y: y + 4, role: .header, maxWidth: canvas.width - 2)
        guard !r.daily.isEmpty else { canvas.put(l.notStarted, x: 1, y: y + 5, role: .muted); return }
        let width = max(1, min(r.daily.count, canvas.width - 24))
        let spark = Chart.sparkline(r.daily, width: width, utf8: app.host?.isUTF8 ?? true)
        let first = info.start.adding(days: r.daily.count - width)
        canvas.put(spark, x: 1, y: y + 5, role: .chartBar)
        let lo = r.daily.min() ?? 0, hi = r.daily.max() ?? 0
        canvas.put("\(CampaignFormat.points(lo)) … \(CampaignFormat.points(hi)) → \(CampaignFormat.points(r.daily.last ?? 0))",
                   x: width + 3, y: y + 5, role: .muted, maxWidth: max(0, canvas.width - width - 4))
        if y + 6 < canvas.height - 1 {
            let left = first.description, right = first.adding(days: width - 1).description
            canvas.put(left, x: 1, y: y + 6, role: .muted)
            if width >= 22 { canvas.put(right, x: 1 + width - right.count, y: y + 6, role: .muted) }
        }
    }
}
