import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

/// Store-wide bits the views share, cached on the app.
final class AppCaches {
    var tierNames: [String]?
    var changeWatcher: StoreChangeWatcher??
}

extension ConsoleApp {
    /// Display names of tiers 0...4 from the live ladder (loaded once; C-r reloads).
    var tierNames: [String] {
        if let t = caches.tierNames { return t }
        let ladder = (try? TierService.liveLadder(store)) ?? nil
        let names = (0...4).map { (ladder ?? .initial).name(of: $0) }
        caches.tierNames = names
        return names
    }

    func tierNamesNeedReload() { caches.tierNames = nil }

    /// The one inotify watcher for commits by other processes (started with the first card).
    func storeChanges() -> StoreChangeWatcher? {
        if let w = caches.changeWatcher { return w }
        let w = StoreChangeWatcher(store: store)
        caches.changeWatcher = .some(w)
        return w
    }

    func stopWatchers() {
        if case .some(.some(let w)) = caches.changeWatcher { w.stop() }
        caches.changeWatcher = nil
    }

    var storeFileName: String { URL(fileURLWithPath: store.path).lastPathComponent }
}
