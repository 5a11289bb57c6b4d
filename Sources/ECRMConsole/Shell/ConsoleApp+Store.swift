import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

/// Store-wide bits the views share, cached on the app.
final class AppCaches {
    var tierNames: [String]?
}

extension ConsoleApp {
    /// Display names of tiers 0...4 from the live ladder (loaded once; C-r reloads).
    var tierNames: [String] {
        if let t = caches.tierNames { return t }
        let ladder = try? TierService.liveLadder(store)
        let names = (0...4).map { (ladder ?? .initial).name(of: $0) }
        caches.tierNames = names
        return names
    }

    func tierNamesNeedReload() { caches.tierNames = nil }

    var storeFileName: String { URL(fileURLWithPath: store.path).lastPathComponent }
}
