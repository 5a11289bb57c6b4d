import Foundation
import GRDB
import ECRMDomain

/// What the console's panes show, on the one change feed (ChangeFeed.swift): each call hands a
/// plain value now and again after every commit, by this process or another, that changes it,
/// on the feed's private queue (never the caller's thread). Each value is read in one snapshot
/// through `Store.read`, so the operator is checked inside it; a refused read ends the observation.
extension Store {
    /// The Tags pane: every tag with its member count, by name.
    public func observeTags(onError: @escaping @Sendable (Error) -> Void,
                            onChange: @escaping @Sendable ([TagService.TagInfo]) -> Void) -> StoreObservation {
        observe({ [self] in try TagService(store: self).list() }, onError: onError, onChange: onChange)
    }

    /// The Segments pane: the last stored RFM computation (nil: none stored yet).
    public func observeSegmentSummary(onError: @escaping @Sendable (Error) -> Void,
                                      onChange: @escaping @Sendable (RFMSummary?) -> Void) -> StoreObservation {
        observe({ [self] in try BrowseStats.storedSegmentSummary(self) }, onError: onError, onChange: onChange)
    }

    /// The Tiers pane: live ladder, draft and members per level (a scan of the member table).
    public func observeTiers(onError: @escaping @Sendable (Error) -> Void,
                             onChange: @escaping @Sendable (TierOverview) -> Void) -> StoreObservation {
        observe({ [self] in
            try read { db in
                TierOverview(live: try TierStore.live(db), draft: try TierStore.draft(db), counts: try BrowseStats.tierCounts(db))
            }
        }, onError: onError, onChange: onChange)
    }

    /// The Campaigns pane: every campaign, newest first, with its last remembered headline.
    public func observeCampaigns(onError: @escaping @Sendable (Error) -> Void,
                                 onChange: @escaping @Sendable ([CampaignInfo]) -> Void) -> StoreObservation {
        observe({ [self] in try CampaignService(store: self).list() }, onError: onError, onChange: onChange)
    }

    /// Birthday reminders from `from` through `from + days − 1`.
    public func observeBirthdays(from: Day, days: Int = 7, onError: @escaping @Sendable (Error) -> Void,
                                 onChange: @escaping @Sendable ([Birthdays.Entry]) -> Void) -> StoreObservation {
        observe({ [self] in try Birthdays.upcoming(self, from: from, days: days) }, onError: onError, onChange: onChange)
    }

    /// Shop health as of `asOf` (a pass over every member's paid days: fine on the feed's queue).
    public func observeHealth(asOf: Day, onError: @escaping @Sendable (Error) -> Void,
                              onChange: @escaping @Sendable (ShopHealth) -> Void) -> StoreObservation {
        observe({ [self] in try ShopHealth.compute(self, asOf: asOf) }, onError: onError, onChange: onChange)
    }

    /// The Audit pane: the count of entries (matching `filter`) and the entries in the rows the
    /// list shows now (`window`, read when the feed reads), newest first.
    public func observeAudit(filter: String?, window: ListWindow, onError: @escaping @Sendable (Error) -> Void,
                             onChange: @escaping @Sendable (AuditPage) -> Void) -> StoreObservation {
        observe({ [self] in
            let log = AuditLog(unread: self, filter: filter)
            let range = window.range
            return try read { db in try log.page(db, window: range) }
        }, onError: onError, onChange: onChange)
    }

    /// The duplicates view: every candidate pair with its evidence (a pass over every member, on the
    /// feed's queue), again after a merge, a dismiss or an import that adds or settles a candidate.
    /// Any other commit (a tag, a note, an audit line) costs one read of MemberVersion: the pass runs
    /// again only when that moved.
    public func observeDuplicates(onError: @escaping @Sendable (Error) -> Void,
                                  onChange: @escaping @Sendable (MergeService.Candidates) -> Void) -> StoreObservation {
        let last = LastCandidates()
        return observe({ [self] in
            try read { db in
                let version = try MemberVersion.current(db)
                if let kept = last.value(at: version) { return kept }
                let fresh = try MergeService.candidates(db, self)
                last.keep(fresh, at: version)
                return fresh
            }
        }, onError: onError, onChange: onChange)
    }

    /// A member list: its count and the rows in `window` (the rows on screen, read when the feed
    /// reads), from one snapshot. The list's pager or set list adopts the page as it is.
    public func observeMemberList(_ source: MemberListSource, window: ListWindow, onError: @escaping @Sendable (Error) -> Void,
                                  onChange: @escaping @Sendable (MemberListPage) -> Void) -> StoreObservation {
        observe({ [self] in
            let range = window.range
            return try read { db in try MemberListPage.read(db, store: self, source: source, window: range) }
        }, onError: onError, onChange: onChange)
    }
}

/// The candidates one duplicates observation last read, and the MemberVersion they were read at.
final class LastCandidates: @unchecked Sendable {
    private let lock = NSLock()
    private var version: Int64?
    private var candidates: MergeService.Candidates?

    func value(at v: Int64) -> MergeService.Candidates? {
        lock.lock(); defer { lock.unlock() }
        return version == v ? candidates : nil
    }

    func keep(_ c: MergeService.Candidates, at v: Int64) {
        lock.lock(); version = v; candidates = c; lock.unlock()
    }
}

/// The rows a list shows now, set by the console as it draws and read by the feed's queue when it
/// refreshes a list observation.
public final class ListWindow: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Range<Int>

    public init(_ range: Range<Int> = 0..<0) { value = range }

    public var range: Range<Int> {
        get { lock.lock(); defer { lock.unlock() }; return value }
        set { lock.lock(); value = newValue; lock.unlock() }
    }
}

/// The Tiers pane's figures from one snapshot.
public struct TierOverview: Sendable, Equatable {
    public var live: TierLive?
    public var draft: TierDraft
    public var counts: BrowseStats.TierCounts
}

/// Which members a list observation reads.
public enum MemberListSource: Sendable, Equatable {
    /// A member set in a sort order (MemberPager: keyset runs or listed ids, as the set needs).
    case paged(MemberSort, MemberSet)
    /// Listed members in the given order (a search result): only their rows are re-read.
    case ordered([Int64])
}

/// One refresh of a member list: how many members it has and the rows at `start...`.
public struct MemberListPage: Sendable, Equatable {
    public let source: MemberListSource
    public let count: Int
    public let start: Int
    public let rows: [MemberSummary]
    /// What the list's pager adopts (its counts or ids, and cached pages).
    let state: State

    enum State: Sendable, Equatable {
        case runs(runs: [MemberRun], runCounts: [Int], pages: [MemberPager.PageKey: MemberPager.Page])
        case listed(ids: [Int64], pages: [Int: [MemberSummary]])
    }

    static func read(_ db: Database, store: Store, source: MemberListSource, window: Range<Int>) throws -> MemberListPage {
        switch source {
        case .paged(let sort, let set):
            let p = MemberPager(unread: store, sort: sort, set: set, pageSize: 100)
            try p.load(db)
            if p.listed { return try listedPage(db, source: source, ids: p.ids, window: window) }
            let r = window.clamped(to: 0..<p.count)
            // The pages under the window, in order, so each after the first is a keyset seek.
            var keys: [MemberPager.PageKey] = []
            for i in r {
                let (run, local) = p.locate(i)
                let key = MemberPager.PageKey(run: run, page: local / p.pageSize)
                if keys.last != key { keys.append(key) }
            }
            for key in keys { p.pages[key] = try p.fetch(key, in: db) }
            return MemberListPage(source: source, count: p.count, start: r.lowerBound, rows: p.rows(in: r),
                                  state: .runs(runs: p.runs, runCounts: p.runCounts, pages: p.pages))
        case .ordered(let ids):
            return try listedPage(db, source: source, ids: ids, window: window)
        }
    }

    private static func listedPage(_ db: Database, source: MemberListSource, ids: [Int64], window: Range<Int>) throws -> MemberListPage {
        let size = 100
        let r = window.clamped(to: 0..<ids.count)
        var pages: [Int: [MemberSummary]] = [:]
        var rows: [MemberSummary] = []
        if !r.isEmpty {
            for p in (r.lowerBound / size)...((r.upperBound - 1) / size) {
                let page = try MemberQueries.summaries(db, ids: Array(ids[(p * size)..<min(ids.count, (p + 1) * size)]))
                pages[p] = page
                for (k, m) in page.enumerated() where r.contains(p * size + k) { rows.append(m) }
            }
        }
        return MemberListPage(source: source, count: ids.count, start: r.lowerBound, rows: rows, state: .listed(ids: ids, pages: pages))
    }
}

extension MemberPager {
    /// What the change feed re-reads for this list.
    public var source: MemberListSource { keepsOrder ? .ordered(ids) : .paged(sort, set) }

    /// Takes a refresh of this list (same order and set) as it is: counts or ids, and cached pages.
    public func adopt(_ page: MemberListPage) {
        guard page.source == source else { return }
        switch page.state {
        case .runs(let freshRuns, let counts, let fresh):
            guard !listed else { return }
            // The runs too: an unread pager has none, and a tag's id or the RFM scale may have moved.
            runs = freshRuns
            runCounts = counts
            count = counts.reduce(0, +)
            pages = fresh
            recent = Array(fresh.keys)
        case .listed(let fresh, let rows):
            guard listed, rows.values.allSatisfy({ $0.count <= pageSize }) else { return }
            ids = fresh
            count = fresh.count
            listPages = rows
        }
    }
}

/// One refresh of the audit list: how many entries match and those in the window, newest first.
public struct AuditPage: Sendable, Equatable {
    public let filter: String?
    /// The newest entry counted: later ones wait for the next refresh.
    public let newestId: Int64
    public let count: Int
    public let start: Int
    public let entries: [Audit.Entry]
    let pages: [Int: [Audit.Entry]]
}

extension AuditLog {
    func page(_ db: Database, window: Range<Int>) throws -> AuditPage {
        let newest = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM audit") ?? 0
        let (clause, args) = condition(newest)
        let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit " + clause, arguments: StatementArguments(args)) ?? 0
        let r = window.clamped(to: 0..<total)
        var fresh: [Int: [Audit.Entry]] = [:]
        var entries: [Audit.Entry] = []
        if !r.isEmpty {
            for p in (r.lowerBound / pageSize)...((r.upperBound - 1) / pageSize) {
                let rows = try Audit.entries(db, sql: clause + " ORDER BY id DESC LIMIT ? OFFSET ?",
                                             arguments: StatementArguments(args + [pageSize, p * pageSize]))
                fresh[p] = rows
                for (k, e) in rows.enumerated() where r.contains(p * pageSize + k) { entries.append(e) }
            }
        }
        return AuditPage(filter: filter, newestId: newest, count: total, start: r.lowerBound, entries: entries, pages: fresh)
    }

    /// Takes a refresh of this log (same filter) as it is.
    public func adopt(_ page: AuditPage) {
        guard page.filter == filter else { return }
        newestId = page.newestId
        count = page.count
        pages = page.pages
    }
}
