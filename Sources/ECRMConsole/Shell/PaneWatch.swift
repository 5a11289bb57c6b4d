import Foundation
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
    /// A member list's channel key: the channel chosen and the list narrowed to it.
    case channelStep(ChannelStep)
    case channels(ChannelOverview)
    case duplicates(MergeService.Candidates)
    /// The open card's member (nil: the member is gone).
    case card(MemberDetail?)
}

/// One view's subscription to the store's change feed. The app starts it when the view comes on
/// screen and cancels it when the view is left or closed (`ConsoleApp.updateWatch`), so only the
/// open pane is re-read after a commit. The store reads on its own queue; the value reaches the key
/// loop through the mailbox, tagged with this subscription's token, and the view only applies it.
///
/// The subscription's first value is the view's load: a view whose load is the same read as its
/// subscription (duplicates, channels, health, birthdays) does not read on its own when it opens or
/// comes back on screen, which read everything twice. `reload` re-reads once when the view is on
/// screen; off screen it waits for the watch that brings the view back, which reads anyway. The
/// app starts the watch of the view on screen before a key acts on it, right after the key that
/// brought it, and before each frame draws it.
final class PaneWatch {
    typealias Make = (Store, _ post: @escaping @Sendable (PaneValue) -> Void, _ fail: @escaping @Sendable (Error) -> Void) -> StoreObservation
    nonisolated(unsafe) private static var lastToken = 0
    private(set) var token = 0
    private var observation: StoreObservation?
    private var make: Make?

    var isActive: Bool { observation != nil }

    /// (Re)subscribes: `make` calls one `observe…` with `post` for values and `fail` for a failed read.
    func start(_ app: ConsoleApp, _ make: @escaping Make) { subscribe(app, make, gate: nil) }

    /// What a subscription's first read brought (`startAndLoad`).
    enum First {
        case value(PaneValue)
        case failed(String)
    }

    /// Starts the subscription and waits for its first value on this thread, returning it instead
    /// of posting it: a view that must not draw an empty first frame (its golden screens show the
    /// figures at once) gets its figures from the subscription's own first read, not a read of its
    /// own as well. That read runs after the subscription started, so a commit after it brings a
    /// fresh value as usual. When the first value takes longer than `timeout` (the feed's queue
    /// busy with another read), nil: the value arrives through the mailbox like any other.
    func startAndLoad(_ app: ConsoleApp, timeout: TimeInterval = 10, _ make: @escaping Make) -> First? {
        let gate = FirstValueGate()
        subscribe(app, make, gate: gate)
        return gate.take(timeout: timeout)
    }

    /// A new subscription replacing the old one; its values go to the mailbox, except the first
    /// when `gate` has a waiter for it.
    private func subscribe(_ app: ConsoleApp, _ make: @escaping Make, gate: FirstValueGate?) {
        stop()
        self.make = make
        Self.lastToken += 1
        let t = Self.lastToken, box = app.mailbox, labels = app.labels
        token = t
        observation = make(app.store,
                           { v in if gate?.offer(.value(v)) != true { box.post(.observed(token: t, v)) } },
                           { e in
                               let text = labels.describe(e)
                               if gate?.offer(.failed(text)) != true { box.post(.observedFailed(token: t, text)) }
                           })
    }

    /// A fresh read of what the view shows (reload, another language): a new subscription, whose
    /// first value is the read, when the view is on screen; nothing when it is not.
    func reload(_ app: ConsoleApp) {
        guard isActive, let make else { return }
        start(app, make)
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

    /// Why this subscription's read failed (it has ended), when `message` says so.
    func failure(_ message: ConsoleMessage) -> String? {
        guard case .observedFailed(let t, let text) = message, observation != nil, t == token else { return nil }
        return text
    }
}

/// Hands a subscription's first value to the thread waiting for it (`PaneWatch.startAndLoad`), or
/// tells the feed to post it once nobody waits any more.
private final class FirstValueGate: @unchecked Sendable {
    private let lock = NSLock()
    private let ready = DispatchSemaphore(value: 0)
    private var waiting = true
    private var first: PaneWatch.First?

    /// True when the waiter takes `value`; false when nobody waits (post it instead).
    func offer(_ value: PaneWatch.First) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard waiting else { return false }
        waiting = false
        first = value
        ready.signal()
        return true
    }

    func take(timeout: TimeInterval) -> PaneWatch.First? {
        if ready.wait(timeout: .now() + timeout) == .timedOut {
            lock.lock()
            if waiting { waiting = false; lock.unlock(); return nil }
            lock.unlock()
            ready.wait()   // offered just as the wait ran out
        }
        lock.lock()
        defer { lock.unlock() }
        return first
    }
}
