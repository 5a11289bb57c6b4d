/// Everything that parameterises an RFM computation (PRODUCT.md: RFM).
public struct RFMSettings: Sendable, Equatable, Codable {
    /// Orders after this day are ignored, so history can be replayed.
    public var asOf: Day
    /// F and M count paid orders with paid day in (asOf − windowDays, asOf]; nil = no window (`all`).
    public var windowDays: Int?
    public var mode: ScoringMode
    public var lifecycle: LifecycleWindows

    public init(asOf: Day, windowDays: Int? = 365, mode: ScoringMode = .auto, lifecycle: LifecycleWindows = .init()) {
        self.asOf = asOf
        self.windowDays = windowDays
        self.mode = mode
        self.lifecycle = lifecycle
    }
}

public enum ScoringMode: Sendable, Equatable, Codable {
    /// 智能模板: quintiles over the scored members.
    case auto
    /// 自定义: four edges per dimension set by the owner.
    case custom(CustomEdges)
}

/// Four ascending edges per dimension. R: ≤e1 → 5 … ≤e4 → 2, else 1. F and M: ≤e1 → 1 … ≤e4 → 4, else 5.
public struct CustomEdges: Sendable, Equatable, Codable {
    public var recencyDays: [Int]
    public var frequency: [Int]
    public var monetary: [Fen]

    public init(recencyDays: [Int] = [30, 90, 180, 365], frequency: [Int] = [1, 2, 3, 4], monetary: [Fen]) {
        self.recencyDays = recencyDays
        self.frequency = frequency
        self.monetary = monetary
    }

    /// Why the edges are unusable, or nil when they are fine: exactly four strictly ascending non-negative edges.
    public func problem() -> String? {
        for (name, edges) in [("R", recencyDays.map(Int64.init)), ("F", frequency.map(Int64.init)), ("M", monetary)] {
            if edges.count != 4 { return "\(name) needs exactly 4 edges, got \(edges.count)" }
            if edges.contains(where: { $0 < 0 }) { return "\(name) edges must not be negative" }
            for i in 1..<4 where edges[i] <= edges[i - 1] {
                return "\(name) edges must strictly increase (\(edges[i - 1]) then \(edges[i]))"
            }
        }
        return nil
    }
}

/// Lifecycle windows in days, configurable per shop (defaults from PRODUCT.md).
public struct LifecycleWindows: Sendable, Equatable, Codable {
    /// First paid order ever at most this many days before as-of → new.
    public var newDays: Int
    /// Last paid order at most this many days before as-of → active.
    public var activeDays: Int
    /// … at most this many → sleeping; beyond → lost.
    public var sleepingDays: Int

    public init(newDays: Int = 30, activeDays: Int = 90, sleepingDays: Int = 180) {
        self.newDays = newDays
        self.activeDays = activeDays
        self.sleepingDays = sleepingDays
    }
}
