import Foundation
import GRDB
import ECRMDomain

/// The channels the lists' channel key cycles through (PRODUCT.md: lists filter by channel); the
/// narrowed list itself is the list's set with `MemberRule.channels` (MemberSetSQL).
public enum ChannelFilter {
    /// The channels some member has an identity in, in Channel order.
    public static func present(_ store: Store) throws -> [Channel] {
        try store.read(.require(.lookUp)) { db in try present(db) }
    }

    static func present(_ db: Database) throws -> [Channel] {
        var set = Set(try String.fetchAll(db, sql: "SELECT DISTINCT channel FROM member_identity"))
        if try Int.fetchOne(db, sql: "SELECT 1 FROM member WHERE channel IS NULL LIMIT 1") != nil { set.insert(Channel.taobao.rawValue) }
        return Channel.allCases.filter { set.contains($0.rawValue) }
    }

    /// Of `listed` (a search result), in their order, the members with an identity in `channel`.
    public static func narrowed(_ store: Store, _ listed: [Int64], to channel: Channel) throws -> [Int64] {
        try store.read(.require(.lookUp)) { db in try narrowed(db, listed, to: channel) }
    }

    static func narrowed(_ db: Database, _ listed: [Int64], to channel: Channel) throws -> [Int64] {
        let kept = Set(try MemberSetSQL.allIds(db, MemberSet.ids(listed).narrowed(to: channel)))
        return listed.filter(kept.contains)
    }

    /// The channel key's next stop after `current` (nil: every channel): the next channel present,
    /// and after the last one (or one no longer present) every channel again.
    public static func next(after current: Channel?, in present: [Channel]) -> Channel? {
        guard let current else { return present.first }
        guard let i = present.firstIndex(of: current) else { return nil }
        return i + 1 < present.count ? present[i + 1] : nil
    }
}

/// One press of the lists' channel key, read in one snapshot: the channel it moved to (nil: every
/// channel again) and the list that channel shows.
public struct ChannelStep: Sendable, Equatable {
    public let channel: Channel?
    public let page: MemberListPage
}

/// The channel one channel-step observation chose on its first read, and the list it shows
/// (touched on the feed's queue).
private final class ChosenStep: @unchecked Sendable {
    private let lock = NSLock()
    private var chosen: (channel: Channel?, source: MemberListSource)?

    var value: (channel: Channel?, source: MemberListSource)? {
        get { lock.lock(); defer { lock.unlock() }; return chosen }
        set { lock.lock(); chosen = newValue; lock.unlock() }
    }
}

extension Store {
    /// The lists' channel key: its first value reads, in one snapshot, which channels some member
    /// has, picks the one after `current` (`ChannelFilter.next`) and reads the list `source` gives
    /// for it (its count and the rows in `window`); after every commit that changes that list, the
    /// list again, with the channel it chose (as `observeMemberList`).
    public func observeChannelStep(after current: Channel?, source: @escaping @Sendable (Channel?) -> MemberListSource,
                                   window: ListWindow, onError: @escaping @Sendable (Error) -> Void,
                                   onChange: @escaping @Sendable (ChannelStep) -> Void) -> StoreObservation {
        observeChannelStep(after: current, pick: { _, channel in source(channel) }, window: window, onError: onError, onChange: onChange)
    }

    /// The channel key on listed members in a given order (a search result): as above, the list
    /// for a channel being `listed` in its order, narrowed in the same snapshot to the members with
    /// an identity in that channel (`.ordered`); for every channel again, `unfiltered`. After a
    /// commit the narrowed members' rows are read again (the members kept are not re-chosen).
    public func observeChannelStep(after current: Channel?, listed: [Int64], unfiltered: MemberListSource,
                                   window: ListWindow, onError: @escaping @Sendable (Error) -> Void,
                                   onChange: @escaping @Sendable (ChannelStep) -> Void) -> StoreObservation {
        observeChannelStep(after: current, pick: { db, channel in
            guard let channel else { return unfiltered }
            return .ordered(try ChannelFilter.narrowed(db, listed, to: channel))
        }, window: window, onError: onError, onChange: onChange)
    }

    /// One snapshot: the channels present, the next one and the list `pick` makes for it (read
    /// in the same snapshot); later values re-read that list.
    private func observeChannelStep(after current: Channel?, pick: @escaping @Sendable (Database, Channel?) throws -> MemberListSource,
                                    window: ListWindow, onError: @escaping @Sendable (Error) -> Void,
                                    onChange: @escaping @Sendable (ChannelStep) -> Void) -> StoreObservation {
        let chosen = ChosenStep()
        return observe({ [self] in
            let range = window.range
            return try read { db in
                let step: (channel: Channel?, source: MemberListSource)
                if let c = chosen.value { step = c } else {
                    let channel = ChannelFilter.next(after: current, in: try ChannelFilter.present(db))
                    step = (channel, try pick(db, channel))
                }
                let page = try MemberListPage.read(db, store: self, source: step.source, window: range)
                chosen.value = step
                return ChannelStep(channel: step.channel, page: page)
            }
        }, onError: onError, onChange: onChange)
    }
}
