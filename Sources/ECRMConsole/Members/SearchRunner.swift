import Foundation
import TerminalKit
import ECRMStore

/// Search-as-you-type off the UI thread: each keystroke submits a query with a new generation;
/// a queued query that is already outdated when its turn comes is skipped, and the UI drops any
/// result whose generation is not the newest. Typing never waits for the database.
final class SearchRunner: @unchecked Sendable {
    private let store: Store
    private let mailbox: Mailbox<ConsoleMessage>
    /// Words a failed search in the interface language (a store error, never SQLite's text).
    private let labels: Labels
    private let queue = DispatchQueue(label: "ecrm.console.search", qos: .userInitiated)
    private let lock = NSLock()
    private var latest = 0
    static let limit = 200

    init(store: Store, mailbox: Mailbox<ConsoleMessage>, labels: Labels) {
        self.store = store; self.mailbox = mailbox; self.labels = labels
    }

    func submit(generation: Int, query: String) {
        lock.lock(); latest = generation; lock.unlock()
        queue.async { [self] in
            lock.lock(); let stale = latest != generation; lock.unlock()
            guard !stale else { return }
            do {
                let results = try MemberSearch.search(store, query, limit: SearchRunner.limit)
                mailbox.post(.searchResults(generation: generation, query: query, results: results, error: nil))
                // A full first page may not be all: count every match (ids only) unless typing moved on.
                guard results.count >= SearchRunner.limit else { return }
                lock.lock(); let outdated = latest != generation; lock.unlock()
                guard !outdated else { return }
                let ids = try MemberSearch.allIds(store, query)
                mailbox.post(.searchAllIds(generation: generation, query: query, ids: ids))
            } catch {
                mailbox.post(.searchResults(generation: generation, query: query, results: [], error: labels.describe(error)))
            }
        }
    }
}

/// The UI side of the current search.
struct SearchState {
    var generation = 0
    var query = ""
    var pending = false
    /// A paste (or Enter) asked to open the card directly when exactly one member matches.
    var openIfSingle = false
    /// The pane and stack depth the search was opened on: its result list goes just above.
    var pane = 0
    var depth = 1
    mutating func clear() { query = ""; pending = false; openIfSingle = false }
}
