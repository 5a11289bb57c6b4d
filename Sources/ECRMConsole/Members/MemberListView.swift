import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

/// A member list: the whole store (the Members pane root), a drill-down (segment, grid cell,
/// lifecycle, tags, tier, a campaign's responders), or a search result. Every one is a MemberSet
/// whose rows come from the store's one pager, so only visible rows are ever fetched.
final class MemberListView: ConsoleView {
    private(set) var rows: MemberRows
    private var viewport = ListViewport()
    private(set) var sort: MemberSort = .recency
    /// The members this list shows.
    let set: MemberSet
    private let baseTitle: String
    private(set) var query: String?
    /// False while a search result shows only its first page and every match is being counted.
    private(set) var complete = true
    /// Fresh counts and rows after anyone's commit, while the list is on screen; `window` is the rows drawn.
    private let feed = PaneWatch()
    private let window = ListWindow()
    private var watchedSource: MemberListSource?
    /// The channel key's filter (nil: every channel), and the rows it narrowed (back when it cycles round).
    private(set) var channel: Channel?
    private var unfiltered: (rows: MemberRows, listed: [Int64])?
    /// The channel key's read has not come yet (its first value, `take`).
    private var stepPending = false

    /// Any member set (the whole store, a segment, a grid cell, tags, a tier…), most recent buyers
    /// first. Nothing is read here: the watch that brings the list on screen reads its count and
    /// the rows shown, once, before the first frame (`watch`).
    init(app: ConsoleApp, set: MemberSet, title: String) {
        self.set = set
        baseTitle = title
        rows = .paged(MemberPager(unread: app.store, sort: .recency, set: set))
        viewport = ListViewport(count: 0, height: app.lastBodyHeight - 1)
    }

    /// A search result.
    init(app: ConsoleApp, query: String, results: [MemberSummary]) {
        set = .search(query)
        baseTitle = query
        self.query = query
        rows = .results(results)
        complete = results.count < SearchRunner.limit
        viewport = ListViewport(count: results.count, height: app.lastBodyHeight - 1)
    }

    var isSearchResult: Bool { query != nil }
    var count: Int { rows.count }
    var contexts: [String] { ["members", "member_set", "list", "scroll", "member_channels"] }
    var title: String { query.map { "「\($0)」" } ?? baseTitle }
    var typeToSearch: Bool { true }
    var position: String? {
        let total = SegmentsView.count(viewport.count) + (complete ? "" : "+")
        return viewport.count == 0 ? "0/0" : "\(SegmentsView.count(viewport.selected + 1))/\(total)"
    }

    var statusText: String? {
        let labels = currentLabels
        let filter = channel.map { " · " + labels.ident.channelFilterOn($0) } ?? ""
        if let q = query { return labels.searchStatus(q, SegmentsView.count(rows.count) + (complete ? "" : "+")) + filter }
        return (labels.sortNames[sort] ?? "") + filter
    }
    private var currentLabels: Labels = .zh

    var selectedMember: MemberSummary? {
        viewport.selected >= 0 ? rows.rows(in: viewport.selected..<viewport.selected + 1).first : nil
    }

    func setResults(query: String, _ results: [MemberSummary]) {
        self.query = query
        channel = nil; unfiltered = nil
        rows = .results(results)
        complete = results.count < SearchRunner.limit
        viewport = ListViewport(count: results.count, height: viewport.height)
    }

    /// Every match of the search (its first page was full): rows are then fetched a page at a time,
    /// and the selection stays where it was.
    func setAllIds(_ ids: [Int64], app: ConsoleApp) {
        channel = nil; unfiltered = nil
        rows = .paged(MemberPager(store: app.store, orderedIds: ids))
        complete = true
        viewport.setCount(ids.count)
        // The new id list's subscription reads the rows shown, once, before the frame pages them.
        if feed.isActive { watch(app: app) }
    }

    func draw(on canvas: Canvas, app: ConsoleApp) {
        currentLabels = app.labels
        let table = MemberTable(width: canvas.width, labels: app.labels, tierNames: app.tierNames)
        table.draw(on: canvas, viewport: &viewport, rows: rows)
        // A search's first page is re-read whole (it is what the list holds); other lists the rows on screen.
        if case .results(let r) = rows { window.range = 0..<r.count } else { window.range = viewport.visibleRange }
        // A new order, search or id list since the subscription: subscribe to what is shown now.
        if feed.isActive, watchedSource != source { watch(app: app) }
        if rows.count == 0, canvas.height > 2 {
            canvas.put(query.map { app.labels.noMatches($0) } ?? app.labels.empty, x: 2, y: 2, role: .muted)
        }
    }

    func perform(_ action: ConsoleAction, app: ConsoleApp) -> Bool {
        switch action {
        case .std(.open): openSelected(app: app); return true
        case .std(.nextMatch), .std(.prevMatch):
            guard isSearchResult, rows.count > 0 else { app.show(app.labels.noSearch); return true }
            let step = action == .std(.nextMatch) ? 1 : -1
            viewport.select((viewport.selected + step + rows.count) % rows.count)
            return true
        case .seg(.bulkTag): ListActions.bulkTag(app: app, set: memberSet(app: app), from: self); return true
        case .seg(.exportList): ListActions.exportForm(app: app, set: memberSet(app: app), name: exportName); return true
        case .seg(.undoBulk): ListActions.undo(app: app); return true
        case .campaign(.create): CampaignForms.create(app: app, set: memberSet(app: app)); return true
        case .merge(.openDuplicates): app.push(DuplicatesView(app: app)); return true
        case .cycleChannel: cycleChannel(app: app); return true
        case .channelsView: app.push(ChannelsView(app: app)); return true
        case .sort:
            guard !isSearchResult, channel == nil else { return true }
            if case .paged(let p) = rows, !p.canSort { return true }
            let next = sort.next
            resort(next, app: app)
            return true
        case .reload:
            // A fresh subscription reads the list again, once (off screen: the watch that brings it back).
            if feed.isActive { watch(app: app) }
            app.tierNamesNeedReload()
            return true
        case .std(let s):
            return viewport.apply(s)
        default:
            return false
        }
    }

    /// The same members in another order: the new order's subscription reads it, once.
    private func resort(_ s: MemberSort, app: ConsoleApp) {
        sort = s
        rows = .paged(MemberPager(unread: app.store, sort: s, set: set))
        viewport = ListViewport(count: 0, height: viewport.height)
        if feed.isActive { watch(app: app) }
    }

    /// What the change feed re-reads for this list.
    private var source: MemberListSource { Self.source(of: rows) }

    private static func source(of rows: MemberRows) -> MemberListSource {
        switch rows {
        case .paged(let p): return p.source
        case .results(let r): return .ordered(r.map(\.id))
        }
    }

    /// The subscription's first value is the list's load (its count and the rows shown), taken
    /// here before the frame that shows it: one read, after the subscription started, so no commit
    /// falls between. Before the first frame the rows shown are the top ones (or the viewport's).
    /// A search's first page is already in hand (the search read it): typing does not wait for
    /// its subscription's first value, which arrives through the mailbox as before.
    func watch(app: ConsoleApp) {
        stepPending = false
        let source = self.source, window = self.window
        let make: PaneWatch.Make = { store, post, fail in store.observeMemberList(source, window: window, onError: fail) { post(.members($0)) } }
        watchedSource = source
        if case .results(let r) = rows {
            window.range = 0..<r.count
            feed.start(app, make)
            return
        }
        viewport.setHeight(app.lastBodyHeight - 1)
        let top = viewport.visibleRange.lowerBound
        window.range = top..<top + viewport.height
        switch feed.startAndLoad(app, make) {
        case .value(.members(let page))?: adopt(page)
        case .failed(let e)?: app.show(e, .error)
        default: break
        }
    }

    func unwatch() { feed.stop(); watchedSource = nil }

    /// A refresh keeps the cursor on the same member when it is still among the rows read (it
    /// follows the member up or down), else on the same line; the rows on screen are those read.
    private func adopt(_ page: MemberListPage) {
        guard page.source == source else { return }
        let current = selectedMember?.id
        switch rows {
        case .paged(let p): p.adopt(page)
        case .results: rows = .results(page.rows)
        }
        viewport.setCount(rows.count)
        if let current, let i = page.rows.firstIndex(where: { $0.id == current }) { viewport.select(page.start + i) }
    }

    func receive(_ message: ConsoleMessage, app: ConsoleApp) {
        if case .members(let page)? = feed.value(message) { adopt(page); return }
        if case .channelStep(let step)? = feed.value(message) { take(step, app: app); return }
    }

    /// `c`: the next channel some member has, then every channel again. The list keeps its
    /// members and order, narrowed to those with an identity in that channel. Which channels
    /// exist and the narrowed list are one read: the first value of the list's new subscription
    /// (`observeChannelStep`), taken before the frame. A search result is narrowed by its ids, in
    /// its own order (exact matches first), in that same read.
    private func cycleChannel(app: ConsoleApp) {
        guard feed.isActive else { cycleChannelByIds(app: app); return }
        if unfiltered == nil { unfiltered = (rows, isSearchResult ? memberSet(app: app).memberIds ?? [] : []) }
        guard let base = unfiltered else { return }
        let current = channel, window = self.window
        let make: PaneWatch.Make
        viewport.setHeight(app.lastBodyHeight - 1)
        window.range = 0..<viewport.height
        if isSearchResult {
            let listed = base.listed, whole = Self.source(of: base.rows)
            // A search's first page is read whole when it shows again (it is what the list holds).
            if case .results(let r) = base.rows { window.range = 0..<max(viewport.height, r.count) }
            make = { store, post, fail in
                store.observeChannelStep(after: current, listed: listed, unfiltered: whole, window: window, onError: fail) { post(.channelStep($0)) }
            }
        } else {
            guard case .paged(let p) = base.rows else { return }
            let set = self.set, baseSource = p.source
            let source: @Sendable (Channel?) -> MemberListSource = { c in
                // The narrowed list in recency order, as its pager reads it (sorting waits until every channel shows again).
                c.map { .paged(.recency, set.narrowed(to: $0)) } ?? baseSource
            }
            make = { store, post, fail in
                store.observeChannelStep(after: current, source: source, window: window, onError: fail) { post(.channelStep($0)) }
            }
        }
        stepPending = true
        switch feed.startAndLoad(app, make) {
        case .value(.channelStep(let step))?: take(step, app: app)
        case .failed(let e)?: app.show(e, .error)
        default: break
        }
    }

    /// The channel key's read: the list shows the channel it chose; a later value of the same
    /// subscription is a fresh read of that list.
    private func take(_ step: ChannelStep, app: ConsoleApp) {
        guard stepPending else { adopt(step.page); return }
        stepPending = false
        guard let base = unfiltered else { return }
        if let c = step.channel {
            if case .ordered(let kept) = step.page.source {
                // A search result's matches in that channel, in the result's order.
                rows = .paged(MemberPager(store: app.store, orderedIds: kept))
            } else {
                rows = .paged(MemberPager(unread: app.store, set: set.narrowed(to: c)))
            }
        } else {
            rows = base.rows
            unfiltered = nil
        }
        channel = step.channel
        // Counted by the read below (`adopt`): the cursor goes to the top without asking the new rows for it.
        viewport = ListViewport(count: 0, height: viewport.height)
        watchedSource = source
        adopt(step.page)
        app.show(app.labels.ident.channelFilterOn(step.channel))
    }

    /// The channel key on a list off screen (its feed stopped): the channels present, then (a search
    /// result) the narrowed ids; the watch that brings the list back on screen reads the rows.
    private func cycleChannelByIds(app: ConsoleApp) {
        let present: [Channel]
        do { present = try ChannelFilter.present(app.store) } catch { app.show(app.labels.describe(error), .error); return }
        let next = ChannelFilter.next(after: channel, in: present)
        if unfiltered == nil { unfiltered = (rows, isSearchResult ? memberSet(app: app).memberIds ?? [] : []) }
        guard let base = unfiltered else { return }
        if let next {
            do {
                if isSearchResult {
                    // A search result keeps its own order (exact matches first): its listed ids, narrowed.
                    rows = .paged(MemberPager(store: app.store, orderedIds: try ChannelFilter.narrowed(app.store, base.listed, to: next)))
                } else {
                    // Read once, by the narrowed list's subscription (below).
                    rows = .paged(MemberPager(unread: app.store, set: set.narrowed(to: next)))
                }
            } catch { app.show(app.labels.describe(error), .error); return }
        } else {
            rows = base.rows
            unfiltered = nil
        }
        channel = next
        viewport = ListViewport(count: rows.count, height: viewport.height)
        app.show(app.labels.ident.channelFilterOn(next))
    }

    /// Every member this list shows, for bulk tag, export and a campaign: a search result as the
    /// ids it found, every other list as its set.
    func memberSet(app: ConsoleApp) -> MemberSet {
        switch rows {
        case .results(let r):
            // Only the first page is here yet: act on every match, not on what is loaded.
            if !complete, let q = query, let all = try? MemberSets.allIds(app.store, .search(q)) { return .ids(all) }
            return .ids(r.map(\.id))
        case .paged(let p): return p.set
        }
    }

    /// The default export file name says which list it came from: "R5xF5", "重要价值客户", "search-叶".
    private var exportName: String {
        let raw = query.map { "search-" + $0 } ?? baseTitle
        let safe = raw.replacingOccurrences(of: "×", with: "x").map { c -> Character in
            c.isLetter || c.isNumber || c == "-" ? c : "_"
        }
        return String(safe).trimmingCharacters(in: CharacterSet(charactersIn: "_"))
    }

    func openSelected(app: ConsoleApp) {
        guard let m = selectedMember else { return }
        app.push(MemberCardView(app: app, memberId: m.id, list: self))
    }

    /// For n/N on a card: the neighbouring match's id, moving the selection with it.
    func step(_ delta: Int) -> Int64? {
        guard rows.count > 0 else { return nil }
        viewport.select((viewport.selected + delta + rows.count) % rows.count)
        return selectedMember?.id
    }
}
