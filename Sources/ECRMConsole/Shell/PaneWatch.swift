import TerminalKit
import ECRMStore
import ECRMDomain

/// A value from the store's change feed (`Store.observe…`) for the view that asked for it.
public enum PaneValue: Sendable {
    case tags([TagService.TagInfo])
    case segments(RFMSummary?)
    case tiers(TierOverview)
    case campaigns([CampaignInfo])
    case birthdays([Birthdays.Entry])
    case health(ShopHealth)
    case audit(AuditPage)
    case members(MemberListPage)
    case channels(ChannelOverview)
    case duplicates(MergeService.Candidates)
}

/// One view's subscription to the store's change feed. The app starts it when the view comes on
/// screen and cancels it when the view is left or closed (`ConsoleApp.updateWatch`), so only the
/// open pane is re-read after a commit. The store reads on its own queue; the value reaches the key
/// loop through the mailbox, tagged with this subscription's token, and the view only applies it.
final class PaneWatch {
    nonisolated(unsafe) private static var lastToken = 0
    private(set) var token = 0
    private var observation: StoreObservation?

    var isActive: Bool { observation != nil }

    /// (Re)subscribes: `make` calls one `observe…` with `post` for values and `fail` for a failed read.
    func start(_ app: ConsoleApp,
               _ make: (Store, _ post: @escaping @Sendable (PaneValue) -> Void, _ fail: @escaping @Sendable (Error) -> Void) -> StoreObservation) {
        stop()
        Self.lastToken += 1
        let t = Self.lastToken, box = app.mailbox, labels = app.labels
        token = t
        observation = make(app.store, { box.post(.observed(token: t, $0)) }, { box.post(.toast(labels.describe($0), .error)) })
    }

    func stop() {
        observation?.cancel()
        observation = nil
        token = 0
    }

    /// The value in `message` when it is for this subscription.
    func value(_ message: ConsoleMessage) -> PaneValue? {
        guard case .observed(let t, let v) = message, observation != nil, t == token else { return nil }
        return v
    }
}
