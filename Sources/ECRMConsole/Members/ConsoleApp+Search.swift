import TerminalKit
import ECRMStore

extension ConsoleApp {
    func openSearchPrompt(initial: String) {
        // From a member list (a segment, a tag) the result goes on that list's stack, so q comes
        // back to it; from elsewhere (a paste in Tiers) to the Members pane.
        if !topView.typeToSearch && !panes[paneIndex].contains(where: { $0.typeToSearch }) { switchPane(0) }
        while !topView.typeToSearch && panes[paneIndex].count > 1 { pop(quitAtRoot: false) }
        // A new search replaces the previous one (and the cards opened from it).
        if let i = panes[paneIndex].lastIndex(where: { ($0 as? MemberListView)?.isSearchResult == true }) {
            while panes[paneIndex].count > i { pop(quitAtRoot: false) }
        }
        search.pane = paneIndex
        search.depth = panes[paneIndex].count
        prompt = Prompt(kind: .search, field: TextField(initial))
        if !initial.isEmpty { runSearch(initial) }
    }

    /// A bracketed paste (a nick, phone or order number copied from the chat window) searches at
    /// once and opens the card when exactly one member matches.
    func pasteSearch(_ text: String) {
        let q = text.split(whereSeparator: \.isNewline).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !q.isEmpty else { return }
        openSearchPrompt(initial: "")
        prompt?.field.text = q
        search.openIfSingle = true
        runSearch(q)
    }

    func runSearch(_ text: String) {
        let q = text.trimmingCharacters(in: .whitespaces)
        // What the last query said ("no match for 1524182845") no longer holds.
        toast = nil
        search.generation += 1
        search.query = q
        guard !q.isEmpty else {
            search.pending = false
            dropSearchList()
            return
        }
        search.pending = true
        searcher.submit(generation: search.generation, query: q)
    }

    func handlePrompt(_ event: InputEvent) {
        guard var p = prompt else { return }
        switch event {
        case .key(.ctrl("c")): quit(); return
        case .key(.escape), .key(.ctrl("g")):
            prompt = nil
            if p.kind == .search {
                search.generation += 1   // drop anything still in flight
                search.clear()
                dropSearchList()
            }
            return
        case .key(.enter):
            prompt = nil
            if p.kind == .command { runCommand(p.field.text); return }
            if search.pending { search.openIfSingle = true; return }
            if let list = searchList, list.count == 1 { list.openSelected(app: self) }
            return
        case .key(.up), .key(.down), .key(.pageUp), .key(.pageDown):
            // Move in the live results without leaving the prompt.
            if p.kind == .search, case .key(let k) = event, case .action(let a) = keys.resolve(k, contexts: ["scroll"]) {
                _ = topView.perform(a, app: self)
            }
            return
        default:
            let before = p.field.text
            guard p.field.handle(event) else { return }
            prompt = p
            if p.kind == .search && p.field.text != before {
                if case .paste = event { search.openIfSingle = true }
                runSearch(p.field.text)
            }
            return
        }
    }

    func applySearchResults(generation: Int, query: String, results: [MemberSummary], error: String?) {
        guard generation == search.generation else { return }   // an outdated query: superseded
        search.pending = false
        if let error { show(error, .error); return }
        ensurePane(search.pane)
        if let list = searchList {
            list.setResults(query: query, results)
        } else if panes[search.pane].count == search.depth {
            panes[search.pane].append(MemberListView(app: self, query: query, results: results))
        } else {
            return   // the operator moved on (a card is open); do not yank the screen
        }
        if results.isEmpty { show(labels.noMatches(query), .warning) }
        if search.openIfSingle {
            search.openIfSingle = false
            if results.count == 1, let list = searchList {
                prompt = nil
                paneIndex = search.pane
                list.openSelected(app: self)
            }
        }
    }

    /// The search's result list while it is the top of the stack it was opened on.
    var searchList: MemberListView? {
        guard panes[search.pane].count == search.depth + 1, let list = panes[search.pane].last as? MemberListView,
              list.isSearchResult else { return nil }
        return list
    }

    private func dropSearchList() {
        guard let list = searchList else { return }
        panes[search.pane].removeLast()
        list.closed()
        search.clear()
        panes[search.pane].last?.shown(app: self)
    }
}
