import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

/// Tags pane (标签): every tag with its member count. Enter lists a tag's members; Space marks
/// tags and `a`/`o` list members with all / any of the marked tags. `n` creates a tag (anyone);
/// `r` renames and `D` deletes (owner; staff see why not); `u` undoes the last bulk tag action, or right after a delete restores the tag.
final class TagsView: ConsoleView {
    private(set) var tags: [TagService.TagInfo] = []
    private(set) var marked: Set<String> = []
    private var viewport = ListViewport()
    private var error: String?
    /// The tag deleted by the last action here: `u` restores it instead of undoing a bulk action.
    var justDeleted: String?
    /// Fresh counts after anyone's commit, while the pane is on screen.
    private let feed = PaneWatch()

    /// The watch that brings the pane on screen reads the tags.
    init(app: ConsoleApp) {}

    var contexts: [String] { ["tags", "list", "scroll"] }
    var title: String { "" }
    var position: String? { "\(max(0, viewport.selected + 1))/\(tags.count)" }
    var statusText: String? { marked.isEmpty ? nil : "✓ \(marked.count)" }
    private var selected: TagService.TagInfo? { viewport.selected >= 0 && viewport.selected < tags.count ? tags[viewport.selected] : nil }

    /// On screen (reload, tags changed, another language) a fresh subscription reads the tags once;
    /// off screen nothing: the watch that brings the pane back reads them.
    func shown(app: ConsoleApp) {
        if feed.isActive { watch(app: app) }
    }

    /// The cursor stays on the same tag wherever it now sorts.
    private func adopt(_ fresh: [TagService.TagInfo]) {
        let current = selected?.id
        tags = fresh
        error = nil
        marked = marked.intersection(tags.map(\.name))
        viewport.setCount(tags.count)
        if let current, let i = tags.firstIndex(where: { $0.id == current }) { viewport.select(i) }
    }

    func receive(_ message: ConsoleMessage, app: ConsoleApp) {
        if case .segmentsUI(.tagsChanged) = message { shown(app: app) }
        if case .tags(let fresh)? = feed.value(message) { adopt(fresh) }
        if let e = feed.failure(message) { error = e }
    }

    /// The subscription's first value is the pane's load, taken here before the frame that shows
    /// the pane (read once, after the subscription started: no commit falls between).
    func watch(app: ConsoleApp) {
        switch feed.startAndLoad(app, { store, post, fail in store.observeTags(onError: fail) { post(.tags($0)) } }) {
        case .value(.tags(let fresh))?: adopt(fresh)
        case .failed(let e)?: error = e
        default: break
        }
    }

    func unwatch() { feed.stop() }

    func perform(_ action: ConsoleAction, app: ConsoleApp) -> Bool {
        let s = app.labels.seg
        if action == .seg(.undoBulk), let name = justDeleted {
            justDeleted = nil
            TagForms.restore(app: app, tag: name, view: self)
            return true
        }
        if action != .reload { justDeleted = nil }
        switch action {
        case .std(.open):
            guard let t = selected else { return true }
            app.push(MemberListView(app: app, set: .tags([t.name], .any), title: app.labels.scopeTag(t.name)))
        case .seg(.markTag):
            guard let t = selected else { return true }
            if marked.contains(t.name) { marked.remove(t.name) } else { marked.insert(t.name) }
            viewport.move(by: 1)
        case .seg(.tagsAll), .seg(.tagsAny):
            let names = marked.isEmpty ? selected.map { [$0.name] } ?? [] : tags.map(\.name).filter(marked.contains)
            guard !names.isEmpty else { app.show(s.markFirst, .warning); return true }
            let mode: TagMatch = action == .seg(.tagsAll) ? .all : .any
            app.push(MemberListView(app: app, set: .tags(names, mode), title: s.tagsFilter(names, mode == .all)))
        case .seg(.newTag):
            TagForms.create(app: app, view: self)
        case .seg(.renameTag):
            if let t = selected { TagForms.rename(app: app, tag: t.name, view: self) }
        case .seg(.deleteTag):
            if let t = selected { TagForms.delete(app: app, tag: t, view: self) }
        case .seg(.undoBulk): ListActions.undo(app: app)
        case .reload: shown(app: app)
        case .std(let a): return viewport.apply(a)
        default: return false
        }
        return true
    }

    func draw(on canvas: Canvas, app: ConsoleApp) {
        let l = app.labels
        canvas.put(l.tagsTitle, x: 1, y: 0, role: .title)
        if let error { canvas.put(error, x: 1, y: 2, role: .error); return }
        if tags.isEmpty { canvas.put(l.seg.noTagsYet, x: 1, y: 2, role: .muted); return }
        let table = Table([TableColumn("", .fixed(3)), TableColumn(l.colTag, .flex(min: 16)), TableColumn(l.seg.colKind, .fixed(6)),
                           TableColumn(l.colMembers, .fixed(9), align: .right)])
        let region = canvas.region(Rect(x: 0, y: 1, width: min(canvas.width, 60), height: canvas.height - 1))
        table.drawHeader(on: region, y: 0)
        let body = region.region(Rect(x: 0, y: 1, width: region.width, height: region.height - 2))
        let marks = marked
        ListView.draw(on: body, viewport: &viewport, source: ArrayRowSource(tags)) { c, t, y, selected in
            let mark = (selected ? ">" : " ") + (marks.contains(t.name) ? "✓" : " ")
            table.drawRow(on: c, y: y, cells: [mark, t.name, t.isRuleTag ? l.seg.ruleTag : "", SegmentsView.count(t.members)],
                          cellRoles: [selected ? .selection : .positive, selected ? .selection : nil, .muted, nil])
        }
        canvas.put(l.seg.tagsHelp, x: 1, y: canvas.height - 1, role: .muted, maxWidth: canvas.width - 2)
    }
}
