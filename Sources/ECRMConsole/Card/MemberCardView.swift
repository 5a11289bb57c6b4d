import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

/// The member card (会员名片): everything customer service needs while chatting with a buyer.
/// Stays live while on screen: the store's change feed (`observeMember`, through PaneWatch)
/// refreshes it when anyone, in this process or another, changes this member. The subscription's
/// first value is the card's load, taken before the frame that shows it: one read when the card
/// opens, on reload, on n/N and when it comes back on screen.
final class MemberCardView: ConsoleView {
    private(set) var memberId: Int64
    private(set) var detail: MemberDetail?
    private var revealedPhone: String?
    private var scroll = 0
    private var pageHeight = 20
    private var lineCount = 0
    private weak var list: MemberListView?
    private let feed = PaneWatch()

    /// Nothing is read here: the watch that brings the card on screen reads the member, once.
    init(app: ConsoleApp, memberId: Int64, list: MemberListView?) {
        self.memberId = memberId
        self.list = list
    }

    /// Subscribes to this member and takes the subscription's first value before the frame.
    func watch(app: ConsoleApp) {
        let asOf = app.asOf, id = memberId
        let make: PaneWatch.Make = { store, post, fail in store.observeMember(id, asOf: asOf, onError: fail) { post(.card($0)) } }
        switch feed.startAndLoad(app, make) {
        case .value(.card(let d?))?: detail = d
        case .failed(let e)?: app.show(e, .error)
        default: break
        }
    }

    func unwatch() { feed.stop() }

    /// A fresh read (reload, another member, an identity linked): the watch again, when on screen;
    /// off screen the watch that brings the card back reads anyway.
    private func load(app: ConsoleApp) {
        if feed.isActive { watch(app: app) }
    }

    var contexts: [String] { ["card", "scroll"] }
    var title: String { detail?.summary.nick ?? "#\(memberId)" }
    var position: String? { lineCount > pageHeight ? "\(scroll + 1)-\(min(lineCount, scroll + pageHeight))/\(lineCount)" : nil }
    var statusText: String? { list?.statusText }

    func closed() { feed.stop() }

    func draw(on canvas: Canvas, app: ConsoleApp) {
        guard let d = detail else { canvas.put(app.labels.loading, x: 1, y: 0, role: .muted); return }
        let text = CardText(d: d, labels: app.labels, asOf: app.asOf, revealedPhone: revealedPhone, utf8: app.host?.isUTF8 ?? true)
        pageHeight = canvas.height
        if canvas.width >= 120 {
            // Two columns: profile and notes on the left, orders on the right.
            let leftW = canvas.width / 2
            let left = text.profile() + [[]] + text.notes(width: leftW - 2)
            let right = text.orders()
            lineCount = max(left.count, right.count)
            clamp()
            drawLines(left, on: canvas.region(Rect(x: 1, y: 0, width: leftW - 2, height: canvas.height)))
            drawLines(right, on: canvas.region(Rect(x: leftW + 1, y: 0, width: canvas.width - leftW - 1, height: canvas.height)))
        } else {
            let lines = text.profile() + [[]] + text.orders() + [[]] + text.notes(width: canvas.width - 2)
            lineCount = lines.count
            clamp()
            drawLines(lines, on: canvas.region(Rect(x: 1, y: 0, width: canvas.width - 2, height: canvas.height)))
        }
    }

    private func drawLines(_ lines: [CardLine], on canvas: Canvas) {
        for row in 0..<canvas.height {
            let i = scroll + row
            guard i < lines.count else { break }
            var x = 0
            for span in lines[i] { x = canvas.put(span.text, x: x, y: row, role: span.role) }
        }
    }

    private func clamp() { scroll = max(0, min(scroll, lineCount - pageHeight)) }

    func perform(_ action: ConsoleAction, app: ConsoleApp) -> Bool {
        switch action {
        case .std(.moveDown): scroll += 1
        case .std(.moveUp): scroll -= 1
        case .std(.pageDown), .std(.halfPageDown): scroll += pageHeight / 2
        case .std(.pageUp), .std(.halfPageUp): scroll -= pageHeight / 2
        case .std(.top): scroll = 0
        case .std(.bottom): scroll = lineCount
        case .std(.nextMatch), .std(.prevMatch):
            guard let list, list.isSearchResult, let id = list.step(action == .std(.nextMatch) ? 1 : -1) else {
                app.show(app.labels.noSearch); return true
            }
            memberId = id; revealedPhone = nil; scroll = 0; detail = nil
            load(app: app)
        case .revealPhone: askReveal(app)
        case .addTag: askTag(app, add: true)
        case .removeTag: askTag(app, add: false)
        case .addNote: askNote(app)
        case .linkIdentity: askIdentity(app, link: true)
        case .unlinkIdentity: askIdentity(app, link: false)
        case .reload: load(app: app)
        default: return false
        }
        clamp()
        return true
    }

    func receive(_ message: ConsoleMessage, app: ConsoleApp) {
        guard case .card(let d?)? = feed.value(message), d != detail else { return }
        let first = detail == nil
        detail = d
        if !first, app.topView === self { app.show(app.labels.cardRefreshed, .info) }
    }

    // MARK: actions (forms in a modal; each write is one short transaction)

    private func askReveal(_ app: ConsoleApp) {
        let l = app.labels, store = app.store, id = memberId
        let required = l.required
        app.overlay = .form(FormOverlay(title: l.revealTitle, form: Form([FormField(l.reasonLabel, validate: { $0.trimmingCharacters(in: .whitespaces).isEmpty ? required : nil })]),
            submit: { [weak self, weak app] values in
                do {
                    self?.revealedPhone = try MemberActions.revealPhone(store, memberId: id, reason: values[0])
                    app?.show(l.phoneRevealed, .success)
                    return nil
                } catch { return l.describe(error) }
            }))
    }

    private func askTag(_ app: ConsoleApp, add: Bool) {
        let l = app.labels, store = app.store, id = memberId
        let tags = detail?.tags ?? []
        let required = l.required, noSuch = l.noSuchTag
        let initial = !add && tags.count == 1 ? tags[0] : ""
        let field = FormField(l.tagLabel, TextField(initial), validate: { v in
            let t = v.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { return required }
            return !add && !tags.contains(t) ? noSuch + " (" + tags.joined(separator: ", ") + ")" : nil
        })
        app.overlay = .form(FormOverlay(title: add ? l.addTagTitle : l.removeTagTitle, form: Form([field]),
            submit: { [weak app] values in
                let t = values[0].trimmingCharacters(in: .whitespaces)
                do {
                    // The store refuses in English for the command line; say it in the console's words.
                    if (try? TagService(store: store).list())?.first(where: { $0.name == t })?.isRuleTag == true { return l.ruleTagByHand(t) }
                    if add { try MemberActions.addTag(store, memberId: id, tag: t) } else { try MemberActions.removeTag(store, memberId: id, tag: t) }
                    app?.show(add ? l.tagAdded(t) : l.tagRemoved(t), .success)
                    return nil
                } catch { return l.describe(error) }
            }))
    }

    /// Link (or unlink) an identity: its channel and its id, e.g. `offline` and the card's number.
    private func askIdentity(_ app: ConsoleApp, link: Bool) {
        let l = app.labels, il = app.labels.ident, store = app.store
        guard let buyer = detail?.summary.buyerId else { return }
        let required = l.required
        let others = (detail?.identities ?? []).filter { !$0.home }
        // Unlinking the only other identity: its fields come filled in.
        let initial = !link && others.count == 1 ? others[0] : nil
        let channelField = FormField(il.channelField, TextField(initial?.channel ?? (link ? Channel.offline.rawValue : "")), validate: { v in
            let t = v.trimmingCharacters(in: .whitespaces).lowercased()
            if t.isEmpty { return required }
            return Channel(rawValue: t) == nil ? il.unknownChannel(t) : nil
        })
        let idField = FormField(il.idField, TextField(initial?.externalId ?? ""), validate: { $0.trimmingCharacters(in: .whitespaces).isEmpty ? required : nil })
        app.overlay = .form(FormOverlay(title: link ? il.linkTitle : il.unlinkTitle, form: Form([channelField, idField]),
            submit: { [weak self, weak app] values in
                guard let channel = Channel(rawValue: values[0].trimmingCharacters(in: .whitespaces).lowercased()) else { return il.unknownChannel(values[0]) }
                let shown = "\(channel.rawValue):\(values[1].trimmingCharacters(in: .whitespaces))"
                do {
                    if link {
                        _ = try Identities.link(store, member: buyer, channel: channel, externalId: values[1])
                        app?.show(il.linked(shown), .success)
                    } else {
                        let r = try Identities.unlink(store, member: buyer, channel: channel, externalId: values[1])
                        app?.show(il.unlinked(shown, r.newMember), .success)
                    }
                    if let app { self?.load(app: app) }
                    return nil
                } catch { return l.describe(error) }
            }))
    }

    private func askNote(_ app: ConsoleApp) {
        let l = app.labels, store = app.store, id = memberId
        let required = l.required
        app.overlay = .form(FormOverlay(title: l.noteTitle, form: Form([FormField(l.noteLabel, validate: { $0.trimmingCharacters(in: .whitespaces).isEmpty ? required : nil })]),
            submit: { [weak app] values in
                do {
                    try MemberActions.addNote(store, memberId: id, body: values[0])
                    app?.show(l.noteAdded, .success)
                    return nil
                } catch { return l.describe(error) }
            }))
    }
}
