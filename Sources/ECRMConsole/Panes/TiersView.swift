import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

/// Tiers pane (等级): the live ladder with members per level, read-only for now (editing and
/// publishing come later; `e` says why it is unavailable). Enter lists a level's members.
final class TiersView: ConsoleView {
    private var counts: BrowseStats.TierCounts?
    private var viewport = ListViewport(count: 5, height: 5)
    private var error: String?

    init(app: ConsoleApp) { shown(app: app) }

    var contexts: [String] { ["tiers", "list", "scroll"] }
    var title: String { "" }
    var position: String? { "\(viewport.selected + 1)/5" }

    /// Counting members per level scans the member table (0.5 s at a million): in the background.
    func shown(app: ConsoleApp) {
        let store = app.store, box = app.mailbox
        DispatchQueue.global(qos: .userInitiated).async {
            do { box.post(.tiers(try store.pool.read { db in try BrowseStats.tierCounts(db) }, error: nil)) } catch {
                box.post(.tiers(nil, error: "\(error)"))
            }
        }
        app.tierNamesNeedReload()
    }

    func receive(_ message: ConsoleMessage, app: ConsoleApp) {
        guard case .tiers(let c, let e) = message else { return }
        if let c { counts = c }
        error = e
    }

    func perform(_ action: ConsoleAction, app: ConsoleApp) -> Bool {
        switch action {
        case .std(.open):
            guard let c = counts else { return true }
            let level = viewport.selected
            app.push(MemberListView(app: app, scope: .tier(level), title: app.labels.scopeTier(c.ladder.name(of: level))))
            return true
        case .editTiers: app.show(app.labels.tierEditComing); return true
        case .reload: shown(app: app); return true
        case .std(let s): return viewport.apply(s)
        default: return false
        }
    }

    func draw(on canvas: Canvas, app: ConsoleApp) {
        let l = app.labels
        guard let c = counts else { canvas.put(error ?? l.loading, x: 1, y: 1, role: error == nil ? .muted : .error); return }
        canvas.put(l.tiersTitle + "  " + l.tiersPublished(c.publishedVersion), x: 1, y: 0, role: .title)
        let table = Table([
            TableColumn("", .fixed(1)), TableColumn(l.colLevel, .fixed(3), align: .right), TableColumn(l.colTier, .fixed(12)),
            TableColumn(l.colEnabled, .fixed(4)), TableColumn(l.colThreshold, .fixed(14), align: .right),
            TableColumn(l.colDiscount, .fixed(12)), TableColumn(l.colMembers, .fixed(9), align: .right),
        ])
        let region = canvas.region(Rect(x: 0, y: 1, width: canvas.width, height: 7))
        table.drawHeader(on: region, y: 0)
        for level in 0...4 {
            let selected = level == viewport.selected
            let t: TierLevel? = level == 0 ? nil : c.ladder[level]
            let discount = c.ladder.discount(of: level)
            let cells = [
                selected ? ">" : " ", String(level), c.ladder.name(of: level),
                t.map { $0.enabled ? l.yes : l.no } ?? "",
                t.map { l.tierThreshold(c.ladder.metric, $0.threshold) } ?? "",
                l.language == .zh ? discountLabel(discount) : CardText.discountEnglish(discount),
                SegmentsView.count(c.members[level]),
            ]
            let tierRole: StyleRole = [StyleRole.text, .tier1, .tier2, .tier3, .tier4][level]
            table.drawRow(on: region, y: level + 1, cells: cells,
                          cellRoles: [selected ? .selection : nil, nil, selected ? .selection : tierRole, t?.enabled == false ? .muted : nil, nil, nil, nil])
        }
        var y = 8
        canvas.put(l.blacklistCount(c.blacklisted), x: 1, y: y, role: .muted)
        if let floor = c.ladder.distributorFloor {
            y += 1
            canvas.put((l.language == .zh ? "分销价保护 " : "distributor floor ") + discountLabel(floor), x: 1, y: y, role: .muted)
        }
        y += 2
        canvas.put(app.role == .owner ? l.tiersReadOnlyOwner : l.tiersReadOnlyStaff, x: 1, y: y, role: .warning)
    }
}
