import Foundation
import ECRMStore
import ECRMDomain

/// One "recompute with these settings" request from the Segments pane (window, as-of, mode).
struct RFMRequest: Sendable {
    enum Mode: Sendable { case keep, auto, custom, edges(CustomEdges) }
    var asOf: Day
    var windowDays: Int?
    var mode: Mode = .keep
    /// Only the owner's choices become the shop's saved configuration.
    var saveConfig: Bool

    /// Recomputes and stores (so drill-downs list what the pane shows); custom mode uses the
    /// saved edges, or edges seeded from this shop's quintiles when none are saved yet.
    func run(_ store: Store) throws -> RFMSummary {
        var config = try RFMEngine.loadConfig(store)
        config.windowDays = windowDays
        switch mode {
        case .keep: break
        case .auto: config.mode = .auto
        case .custom:
            if case .custom = config.mode { break }
            config.mode = .custom(try Self.defaultEdges(store, asOf: asOf, windowDays: windowDays))
        case .edges(let e): config.mode = .custom(e)
        }
        // Saving the owner's choice and recomputing with it are one transaction.
        return try RFMEngine.recompute(store, settings: config.settings(asOf: asOf), saving: saveConfig ? config : nil)
    }

    /// PRODUCT.md defaults: R 30/90/180/365, F 1/2/3/4, M seeded from the quintiles.
    static func defaultEdges(_ store: Store, asOf: Day, windowDays: Int?) throws -> CustomEdges {
        let measures = try RFMEngine.compute(store, settings: RFMSettings(asOf: asOf, windowDays: windowDays)).measures
        return CustomEdges(monetary: RFM.seedMonetaryEdges(measures))
    }

    /// The window after `current` in the `w` cycle.
    static func nextWindow(after current: Int?) -> Int? {
        let cycle: [Int?] = [30, 90, 180, 365, nil]
        let i = cycle.firstIndex(where: { $0 == current }) ?? 3
        return cycle[(i + 1) % cycle.count]
    }
}
