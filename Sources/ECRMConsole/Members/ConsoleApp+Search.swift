import TerminalKit
import ECRMStore

extension ConsoleApp {
    func openSearchPrompt(initial: String) {
        if paneIndex != 0 { switchPane(0) }
        // A new search starts from the full list.
        while panes[0].count > 1 { pop(quitAtRoot: false) }
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
            if let list = panes[0].last as? MemberListView, list.isSearchResult { pop(quitAtRoot: false) }
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
                if let list = panes[0].last as? MemberListView, list.isSearchResult { pop(quitAtRoot: false) }
            }
            return
        case .key(.enter):
            prompt = nil
            if p.kind == .command { runCommand(p.field.text); return }
            if search.pending { search.openIfSingle = true; return }
            if let list = panes[0].last as? MemberListView, list.isSearchResult, list.count == 1 { list.openSelected(app: self) }
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
        ensurePane(0)
        if let list = panes[0].last as? MemberListView, list.isSearchResult {
            list.setResults(query: query, results)
        } else if panes[0].count == 1 {
            panes[0].append(MemberListView(app: self, query: query, results: results))
        } else {
            return   // the operator moved on (a card is open); do not yank the screen
        }
        if results.isEmpty { show(labels.noMatches(query), .warning) }
        if search.openIfSingle {
            search.openIfSingle = false
            if results.count == 1, let list = panes[0].last as? MemberListView {
                prompt = nil
                paneIndex = 0
                list.openSelected(app: self)
            }
        }
    }
}
