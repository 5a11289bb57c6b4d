import TerminalKit
import ECRMStore
import ECRMDomain

/// Results of background work, posted into the TerminalKit mailbox and applied on the UI thread.
public enum ConsoleMessage: Sendable {
    /// A search finished; dropped unless `generation` is still the newest query.
    case searchResults(generation: Int, query: String, results: [MemberSummary], error: String?)
    /// Every match of a search whose first page was full, in list order (the true count).
    case searchAllIds(generation: Int, query: String, ids: [Int64])
    /// Segment figures: stored (`live` false) or computed because none were stored.
    case segments(RFMSummary?, live: Bool, error: String?)
    /// Tier ladder and members per level (a full member scan: off the UI thread).
    case tiers(BrowseStats.TierCounts?, error: String?)
    /// Publish preview (diff, review, impact: a member scan) for the Tiers pane; dropped unless
    /// `generation` is the preview view's newest request.
    case tierPreview(generation: Int, TierPreview?, error: String?)
    /// A publish finished: the new version, or why the store refused (TierServiceError) or failed.
    case tierPublished(TierService.PublishResult?, refused: TierServiceError?, failure: String?)
    /// The first typed confirmation was given; the preview view asks the second (distributor floor).
    case tierConfirmFloor
    /// Segments pane recompute, edges preview, health, birthdays, tag changes (Segments/SegmentAction.swift).
    case segmentsUI(SegmentsMessage)
    case toast(String, Toast.Kind)
    /// A campaign's outcome, computed off the UI thread; dropped unless `generation` is the detail view's newest.
    case campaignReport(generation: Int, CampaignReport?, error: String?)
    /// The campaigns list with every headline brought up to date (stale ones recomputed off the UI
    /// thread); dropped unless `generation` is the list's newest.
    case campaignHeadlines(generation: Int, [CampaignInfo])
    /// A write of this console waits for another session's (nil: it got its turn).
    case writeWait(WriteHolder?)
    /// A fresh value from the store's change feed for the view whose subscription has `token` (PaneWatch).
    case observed(token: Int, PaneValue)
    /// That subscription's read failed, which ended it: the message line shows why, and so may the view.
    case observedFailed(token: Int, String)
}

/// What the console needs from the real terminal (a fake in tests).
public protocol ConsoleHost: AnyObject {
    func requestFullRepaint()
    func setTheme(_ theme: Theme)
    var isUTF8: Bool { get }
}

/// One screen on a pane's view stack (list, card, segment table...).
protocol ConsoleView: AnyObject {
    /// Key contexts, most specific first ("global" is implied).
    var contexts: [String] { get }
    /// Short title for the breadcrumb.
    var title: String { get }
    /// "12/20000" for lists.
    var position: String? { get }
    /// Sort, scope or search shown in the status line.
    var statusText: String? { get }
    /// Whether typing a printable character here starts a member search.
    var typeToSearch: Bool { get }
    /// A question that keeps the keys until it is answered (no pane switch, no search).
    var isModal: Bool { get }
    func draw(on canvas: Canvas, app: ConsoleApp)
    /// Handles an action; false when it does not apply here.
    func perform(_ action: ConsoleAction, app: ConsoleApp) -> Bool
    func receive(_ message: ConsoleMessage, app: ConsoleApp)
    /// Called when the view leaves the stack (stop observations).
    func closed()
    /// Called when the view becomes visible again (refresh cheap data).
    func shown(app: ConsoleApp)
    /// The view is on screen: subscribe to what it shows (the store's change feed).
    func watch(app: ConsoleApp)
    /// The view left the screen: cancel that subscription.
    func unwatch()
}

extension ConsoleView {
    var position: String? { nil }
    var statusText: String? { nil }
    var typeToSearch: Bool { false }
    var isModal: Bool { false }
    func receive(_ message: ConsoleMessage, app: ConsoleApp) {}
    func closed() {}
    func shown(app: ConsoleApp) {}
    func watch(app: ConsoleApp) {}
    func unwatch() {}
}
