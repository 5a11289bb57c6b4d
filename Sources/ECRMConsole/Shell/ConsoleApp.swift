import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

/// The console's state and dispatch, independent of the real terminal: it takes input events and
/// mailbox messages and draws on any Canvas, so tests drive it on a ScreenGrid.
public final class ConsoleApp {
    public let store: Store
    public let role: OperatorRole
    public let mailbox: Mailbox<ConsoleMessage>
    /// The day RFM, ages and birthdays are computed for (today; pinned in tests).
    public let asOf: Day
    public private(set) var labels: Labels
    private(set) var keys: KeyMap<ConsoleAction>
    private let keyOverrides: [String: [String]]
    weak var host: ConsoleHost?

    static let paneCount = 6
    var panes: [[ConsoleView]] = Array(repeating: [], count: paneCount)
    public internal(set) var paneIndex = 0
    var overlay: Overlay?
    var prompt: Prompt?
    var toast: Toast?
    public private(set) var quitRequested = false
    /// `q` was pressed at a pane's top: the next `q` quits.
    var quitArmed = false
    let searcher: SearchRunner
    var search = SearchState()
    /// Pieces of the last frame, for tests and the hint bar.
    var lastBodyHeight = 20
    /// The size of the last frame drawn (nil before the first): keys act only when it was usable.
    var lastSize: TermSize?
    /// Whom this console's write is waiting for (shown in the status line), nil when none waits.
    var writeWait: WriteHolder?
    let caches = AppCaches()
    /// The view whose store subscription runs (the one on screen), see `updateWatch`.
    private weak var watched: ConsoleView?

    public init(store: Store, role: OperatorRole, language: MessageLanguage, asOf: Day = Clock.today(),
                mailbox: Mailbox<ConsoleMessage> = Mailbox(), keyOverrides: [String: [String]] = [:]) {
        self.store = store; self.role = role; self.asOf = asOf; self.mailbox = mailbox
        self.keyOverrides = keyOverrides
        labels = .forLanguage(language)
        keys = KeyTable.make(labels: labels, role: role)
        searcher = SearchRunner(store: store, mailbox: mailbox, labels: labels)
        _ = keys.rebind(keyOverrides)
    }

    /// Problems in the user's [keys] overrides, to show once at start.
    public func keyProblems() -> [String] {
        var k = KeyTable.make(labels: labels, role: role)
        return k.rebind(keyOverrides)
    }

    // MARK: panes and views

    var topView: ConsoleView {
        ensurePane(paneIndex)
        return panes[paneIndex].last!
    }

    func ensurePane(_ i: Int) {
        guard panes[i].isEmpty else { return }
        switch i {
        case 0: panes[i] = [MemberListView(app: self, set: .all, title: labels.panes[0])]
        case 1: panes[i] = [SegmentsView(app: self)]
        case 2: panes[i] = [TagsView(app: self)]
        case 3: panes[i] = [TiersView(app: self)]
        case 4: panes[i] = [AuditView(app: self)]
        default: panes[i] = [CampaignsView(app: self)]
        }
    }

    func switchPane(_ i: Int) {
        let target = (i + Self.paneCount) % Self.paneCount
        let wasEmpty = panes[target].isEmpty
        paneIndex = target
        ensurePane(target)
        if !wasEmpty { panes[target].last!.shown(app: self) }
    }

    func push(_ view: ConsoleView) { panes[paneIndex].append(view) }

    /// Back one view; at the root, `quitAtRoot` decides (q quits, Esc does not).
    func pop(quitAtRoot: Bool) {
        if panes[paneIndex].count > 1 {
            let v = panes[paneIndex].removeLast()
            v.closed()
            if let list = v as? MemberListView, list.isSearchResult { search.clear() }
            panes[paneIndex].last!.shown(app: self)
        } else if quitAtRoot {
            // At a pane's top q (labelled "back") asks once instead of closing the console.
            if quitArmed { quitRequested = true } else { quitArmed = true; show(labels.quitAgain, .warning) }
        }
    }

    func replaceTop(_ view: ConsoleView) {
        panes[paneIndex].removeLast().closed()
        panes[paneIndex].append(view)
    }

    public func quit() {
        quitRequested = true
        watched?.unwatch()
        watched = nil
        for stack in panes { for v in stack { v.closed() } }
    }

    /// A key press clears the message line; until then a background notice (.info, e.g. "card
    /// refreshed" after a publish upgraded members) does not replace a result, warning or error.
    func show(_ text: String, _ kind: Toast.Kind = .info) {
        if kind == .info, let t = toast, t.kind != .info { return }
        toast = Toast(text, kind: kind)
    }

    /// Only the view on screen is subscribed to the store's change feed: called before each frame
    /// draws the view and around each key, it cancels the previous view's subscription when another
    /// view has come on screen (pane switch, drill-down, back) and starts the new one's.
    func updateWatch(_ view: ConsoleView) {
        guard watched !== view else { return }
        watched?.unwatch()
        watched = view
        view.watch(app: self)
    }

    // MARK: input

    public func handle(_ event: InputEvent) {
        if case .resize = event { return }
        // Below the minimum size only "too small" is drawn: a key typed blind must not act (a blind
        // B, name, Enter, y would bulk-tag members). Only redraw and quit do.
        if let size = lastSize, TooSmallScreen.isTooSmall(size, minimum: Self.minimumSize) {
            guard case .key(let key) = event else { return }
            switch keys.resolve(key) {
            case .action(.std(.quit)): quit()
            case .action(.std(.redraw)): host?.requestFullRepaint()
            default: if key == .ctrl("c") { quit() }
            }
            return
        }
        // The view on screen listens (and has read its first value: a member list its count and
        // rows) before a key acts on it, also when no frame was drawn yet; the view a key brought
        // on screen listens at once, as the frame that follows would have it do.
        updateWatch(topView)
        defer { if !quitRequested { updateWatch(topView) } }
        if let o = overlay { handleOverlay(o, event); return }
        if prompt != nil { handlePrompt(event); return }
        if case .paste(let text) = event { if !topView.isModal { pasteSearch(text) }; return }
        guard case .key(let key) = event else { return }
        toast = nil
        let armed = quitArmed
        quitArmed = false
        switch keys.resolve(key, contexts: topView.contexts) {
        case .action(let a) where topView.isModal && !Self.answersModal(a):
            show(labels.answerFirst, .warning)
        case .action(let a):
            if a == .std(.back) { quitArmed = armed }
            perform(a)
        case .disabled(let action, let reason):
            // Every disabled key is a role refusal: the audit log has who tried what.
            store.logRefusal("console \(action)", message: reason)
            show(reason, .warning)
        case .unbound:
            if topView.isModal { show(labels.answerFirst, .warning); return }
            if case .char(let c) = key, topView.typeToSearch, !c.isWhitespace {
                openSearchPrompt(initial: String(c))
            }
        }
    }

    /// What may be pressed while a question is open: its answers, help, redraw, quit.
    static func answersModal(_ a: ConsoleAction) -> Bool {
        switch a {
        case .seg(.confirm), .std(.cancel), .std(.back), .std(.quit), .std(.redraw), .std(.help): return true
        default: return false
        }
    }

    func perform(_ action: ConsoleAction) {
        switch action {
        case .std(.nextPane): switchPane(paneIndex + 1)
        case .std(.prevPane): switchPane(paneIndex - 1)
        case .std(.pane1): switchPane(0)
        case .std(.pane2): switchPane(1)
        case .std(.pane3): switchPane(2)
        case .std(.pane4): switchPane(3)
        case .pane5: switchPane(4)
        case .pane6: switchPane(5)
        case .std(.help):
            overlay = .help(HelpOverlay(keyMap: keys, contexts: topView.contexts, contextTitles: labels.allContextTitles,
                                        words: HelpOverlay.Words(scroll: labels.helpScroll, close: labels.helpClose, unavailable: labels.helpUnavailable)))
        case .std(.quit): quit()
        case .std(.back): pop(quitAtRoot: true); if quitRequested { quit() }
        case .std(.cancel): pop(quitAtRoot: false)
        case .std(.command): prompt = Prompt(kind: .command, field: TextField())
        case .std(.redraw): host?.requestFullRepaint()
        // The audit log is not members: `/` there filters its entries.
        case .std(.search): if let audit = topView as? AuditView { audit.askFilter(app: self) } else { openSearchPrompt(initial: "") }
        default:
            if !topView.perform(action, app: self), action == .reload { topView.shown(app: self) }
        }
    }

    private func handleOverlay(_ o: Overlay, _ event: InputEvent) {
        switch o {
        case .help(var help):
            if event == .key(.ctrl("c")) { quit(); return }
            overlay = help.handle(event) == .closed ? nil : .help(help)
        case .form(var form):
            if event == .key(.ctrl("c")) { quit(); return }
            switch form.form.handle(event) {
            case .cancelled:
                overlay = nil
                form.onCancel?(self)
            case .editing: overlay = .form(form)
            case .submitted:
                if let error = form.submit(form.form.fields.map(\.value)) {
                    form.form.fields[form.form.focus].error = error
                    overlay = .form(form)
                } else {
                    overlay = nil
                }
            }
        }
    }

    // MARK: messages

    public func handle(_ message: ConsoleMessage) {
        switch message {
        case .searchResults(let gen, let query, let results, let error):
            applySearchResults(generation: gen, query: query, results: results, error: error)
        case .searchAllIds(let gen, let query, let ids):
            guard gen == search.generation, panes[search.pane].count > search.depth,
                  let list = panes[search.pane][search.depth] as? MemberListView, list.isSearchResult, list.query == query else { return }
            list.setAllIds(ids, app: self)
        case .toast(let text, let kind):
            show(text, kind)
        case .observedFailed(_, let text):
            show(text, .error)
            for stack in panes { for v in stack { v.receive(message, app: self) } }
        case .writeWait(let holder):
            writeWait = holder
        default:
            for stack in panes { for v in stack { v.receive(message, app: self) } }
        }
    }

    // MARK: language and theme

    func setLanguage(_ l: MessageLanguage) {
        labels = .forLanguage(l)
        keys = KeyTable.make(labels: labels, role: role)
        _ = keys.rebind(keyOverrides)
        for stack in panes { for v in stack { v.shown(app: self) } }
    }
}

/// A modal over the screen.
enum Overlay {
    case help(HelpOverlay)
    case form(FormOverlay)
}

/// A one-line prompt on the bottom row (search-as-you-type or a `:` command).
struct Prompt {
    enum Kind { case search, command }
    var kind: Kind
    var field: TextField
}

/// A small form in a modal (reveal reason, tag, note). `submit` returns an error to show, or nil.
struct FormOverlay {
    var title: String
    var form: Form
    var submit: ([String]) -> String?
    /// Cancelling also leaves the view the form belongs to (the edges editor), so one Esc is one step back.
    var onCancel: ((ConsoleApp) -> Void)? = nil
}
