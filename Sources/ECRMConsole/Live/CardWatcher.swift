import Foundation
import GRDB
import TerminalKit
import ECRMStore
import ECRMDomain

/// Keeps an open card current. A GRDB ValueObservation re-reads the member (member, member_tag,
/// member_note, member_stats and whatever else the card reads) after every commit that touches
/// those tables, on a private queue — never the main queue, which does not drain while the key
/// loop waits in poll() — and posts the new value into the mailbox, which wakes the loop.
/// Commits by other processes are invisible to GRDB; StoreChangeWatcher notices them and tells
/// the pool (notifyChanges), which makes this observation fetch again.
final class CardWatcher {
    private var cancellable: AnyDatabaseCancellable?
    private static let queue = DispatchQueue(label: "ecrm.console.card-observation")

    init(store: Store, memberId: Int64, asOf: Day, mailbox: Mailbox<ConsoleMessage>, labels: Labels, changes: StoreChangeWatcher?) {
        let observation = ValueObservation
            .tracking { db in try MemberQueries.detail(db, id: memberId, asOf: asOf) }
            .removeDuplicates()
        cancellable = observation.start(
            in: store.pool,
            scheduling: .async(onQueue: Self.queue),
            onError: { error in mailbox.post(.toast(labels.describe(error), .error)) },
            onChange: { detail in mailbox.post(.card(memberId: memberId, detail: detail)) })
    }

    func stop() { cancellable?.cancel(); cancellable = nil }
    deinit { cancellable?.cancel() }
}
