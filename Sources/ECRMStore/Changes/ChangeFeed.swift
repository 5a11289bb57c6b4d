import Foundation
import GRDB
import ECRMDomain

/// The store's one change feed: `observe…` calls hand a caller fresh values after every commit
/// that may change them, whether this process wrote it or another one did (another `ecrm` on the
/// same file). Two sources feed it:
/// - commits of this process through GRDB, at once (a region observation on the writer);
/// - every commit to the file, by anyone, including raw writes GRDB does not track (StoreFileWatch,
///   inotify on the WAL, 30-60 ms after a burst ends).
/// A change re-reads every observed value on one private serial queue, in order, and calls back
/// only when a value differs from the last one handed out. Nothing runs on the caller's thread
/// (the console's key loop waits in get_wch and never drains the main queue), and nothing polls:
/// both sources sleep until a commit happens. The sources start with the first observer and stop
/// with the last.
final class ChangeFeed: @unchecked Sendable {
    private let lock = NSLock()
    private var observers: [Int: any FeedObserver] = [:]
    private var nextId = 0
    private var refreshQueued = false
    private var files: StoreFileWatch?
    private var commits: AnyDatabaseCancellable?
    /// Bumped by every start and stop, so a late start of the commit observation after a stop is dropped.
    private var generation = 0
    private let queue = DispatchQueue(label: "ecrm.store.changes")

    func add(_ observer: any FeedObserver, store: Store) -> Int {
        lock.lock()
        let id = nextId
        nextId += 1
        observers[id] = observer
        if observers.count == 1 { startLocked(store) }
        lock.unlock()
        queue.async { observer.refresh() }   // the first value
        return id
    }

    /// Observations not yet cancelled (the sources run while this is above zero).
    var observerCount: Int { lock.lock(); defer { lock.unlock() }; return observers.count }

    func remove(_ id: Int) {
        lock.lock()
        defer { lock.unlock() }
        guard observers.removeValue(forKey: id) != nil, observers.isEmpty else { return }
        stopLocked()
    }

    /// Something was committed: re-read every observed value once (a burst of commits while a
    /// refresh is queued costs one refresh).
    func changed() {
        lock.lock()
        let queued = refreshQueued
        refreshQueued = true
        lock.unlock()
        guard !queued else { return }
        queue.async { [self] in
            lock.lock()
            refreshQueued = false
            let current = Array(observers.values)
            lock.unlock()
            for o in current { o.refresh() }
        }
    }

    private func startLocked(_ store: Store) {
        generation += 1
        let started = generation
        files = StoreFileWatch(storePath: store.path) { [weak self] in self?.changed() }
        guard !store.isReadOnly else { return }   // this process cannot write it
        // Adding a transaction observer waits for the writer connection (an import of this process
        // may hold it for seconds): never on the caller's thread.
        let pool = store.pool
        DispatchQueue.global(qos: .userInitiated).async { [weak self] in
            let observation = DatabaseRegionObservation(tracking: .fullDatabase)
                .start(in: pool, onError: { _ in }, onChange: { [weak self] _ in self?.changed() })
            guard let self else { observation.cancel(); return }
            self.lock.lock()
            defer { self.lock.unlock() }
            if self.generation == started { self.commits = observation } else { observation.cancel() }
        }
    }

    private func stopLocked() {
        generation += 1
        files?.stop()
        files = nil
        commits?.cancel()
        commits = nil
    }
}

/// One observed value: re-read on the feed's queue, handed out when it changed.
protocol FeedObserver: AnyObject, Sendable {
    func refresh()
}

final class ValueFeed<Value: Equatable & Sendable>: FeedObserver, @unchecked Sendable {
    private let fetch: @Sendable () throws -> Value
    private let onChange: @Sendable (Value) -> Void
    private let onError: @Sendable (Error) -> Void
    /// Touched on the feed's queue only.
    private var last: Value?
    private var hasLast = false
    private let lock = NSLock()
    private var cancelled = false

    init(fetch: @escaping @Sendable () throws -> Value, onError: @escaping @Sendable (Error) -> Void,
         onChange: @escaping @Sendable (Value) -> Void) {
        self.fetch = fetch; self.onError = onError; self.onChange = onChange
    }

    func cancel() { lock.lock(); cancelled = true; lock.unlock() }
    private var isCancelled: Bool { lock.lock(); defer { lock.unlock() }; return cancelled }

    func refresh() {
        guard !isCancelled else { return }
        do {
            let value = try fetch()
            if hasLast, last == value { return }
            last = value
            hasLast = true
            guard !isCancelled else { return }
            onChange(value)
        } catch {
            // A failed read ends the observation, as GRDB's observations end: a refused read is
            // logged, which is a commit, which would refresh and be refused again, for ever.
            lock.lock()
            let wasLive = !cancelled
            cancelled = true
            lock.unlock()
            if wasLive { onError(error) }
        }
    }
}

/// One `observe…` call: the callbacks stop after `cancel()`, or once this is released.
public final class StoreObservation: @unchecked Sendable {
    private let lock = NSLock()
    private var onCancel: (() -> Void)?

    init(onCancel: @escaping () -> Void) { self.onCancel = onCancel }

    public func cancel() {
        lock.lock()
        let run = onCancel
        onCancel = nil
        lock.unlock()
        run?()
    }

    deinit { cancel() }
}

extension Store {
    /// Calls `onChange` with `fetch`'s value now and after every commit (of this process or another)
    /// that changes it, on the feed's private queue; `onError` once if a read fails, which ends it.
    func observe<Value: Equatable & Sendable>(_ fetch: @escaping @Sendable () throws -> Value,
                                              onError: @escaping @Sendable (Error) -> Void,
                                              onChange: @escaping @Sendable (Value) -> Void) -> StoreObservation {
        let observer = ValueFeed(fetch: fetch, onError: onError, onChange: onChange)
        let id = feed.add(observer, store: self)
        let feed = self.feed
        return StoreObservation { observer.cancel(); feed.remove(id) }
    }

    /// The member card: the member's detail (nil: the member is gone) now and after every commit
    /// that changes it (a tag, a note, an order, a tier, a recompute), by anyone.
    public func observeMember(_ id: Int64, asOf: Day, onError: @escaping @Sendable (Error) -> Void,
                              onChange: @escaping @Sendable (MemberDetail?) -> Void) -> StoreObservation {
        observe({ [self] in try MemberQueries.detail(self, id: id, asOf: asOf) }, onError: onError, onChange: onChange)
    }
}
