/// One member's raw R, F, M (before scoring) plus the all-time facts lifecycle needs.
public struct RFMMeasure: Sendable, Equatable, Codable {
    /// Days from the last paid order on or before as-of to as-of; nil when the member never bought by then.
    public var recencyDays: Int?
    /// Paid orders in the window.
    public var frequency: Int
    /// Their amount.
    public var monetary: Fen
    /// Paid orders on or before as-of, whatever the window.
    public var paidCount: Int
    public var firstPaid: Day?
    public var lastPaid: Day?

    public init(recencyDays: Int?, frequency: Int, monetary: Fen, paidCount: Int, firstPaid: Day?, lastPaid: Day?) {
        self.recencyDays = recencyDays
        self.frequency = frequency
        self.monetary = monetary
        self.paidCount = paidCount
        self.firstPaid = firstPaid
        self.lastPaid = lastPaid
    }

    /// A member is scored when F ≥ 1.
    public var isScored: Bool { frequency >= 1 }
    public var isReturning: Bool { paidCount >= 2 }

    public func lifecycle(asOf: Day, windows: LifecycleWindows) -> Lifecycle {
        guard let first = firstPaid, let last = lastPaid else { return .none }
        return Lifecycle.of(daysSinceFirst: asOf - first, daysSinceLast: asOf - last, windows: windows)
    }
}

/// Folds a member's paid orders (any order, any count) into an RFMMeasure.
/// A value type with plain integer state so the store's 1M-member recompute stays allocation-free.
public struct RFMAccumulator: Sendable {
    public let asOf: Int32
    /// Exclusive lower bound of the window; Int32.min when the window is `all`.
    public let windowStartExclusive: Int32
    private var frequency = 0
    private var monetary: Fen = 0
    private var paidCount = 0
    private var first = Int32.max
    private var last = Int32.min
    /// Day of the earliest counted (in-window) order; Int32.max when none.
    private var firstInWindow = Int32.max
    /// W, nil for `all`.
    private let windowDays: Int32?

    public init(settings: RFMSettings) {
        asOf = settings.asOf.number
        if let w = settings.windowDays {
            // In Int64 then clamped: a huge window on an early as-of day must mean "all", not trap.
            windowStartExclusive = Int32(clamping: Int64(settings.asOf.number) - Int64(Int32(clamping: w)))
            windowDays = Int32(clamping: w)
        } else {
            windowStartExclusive = Int32.min
            windowDays = nil
        }
    }

    /// Adds one paid order. Orders after as-of are ignored.
    public mutating func add(day: Int32, amount: Fen) {
        guard day <= asOf else { return }
        paidCount += 1
        if day < first { first = day }
        if day > last { last = day }
        if day > windowStartExclusive {
            frequency += 1
            monetary += amount
            if day < firstInWindow { firstInWindow = day }
        }
    }

    /// The first as-of day on which one of the counted orders leaves the window (the earliest
    /// one's day + W: a day e counts while e > as-of − W); Int32.max when none ever does (no
    /// window, or nothing in it). Until then, with no new order on or before the later as-of,
    /// F and M stay as they are: a later as-of need not fold this member's history again.
    public var windowExit: Int32 {
        guard let w = windowDays, firstInWindow != .max else { return .max }
        return Int32(clamping: Int64(firstInWindow) + Int64(w))
    }

    /// The measure so far; the accumulator can then be `reset()` for the next member.
    public func measure() -> RFMMeasure {
        guard paidCount > 0 else {
            return RFMMeasure(recencyDays: nil, frequency: 0, monetary: 0, paidCount: 0, firstPaid: nil, lastPaid: nil)
        }
        return RFMMeasure(recencyDays: Int(asOf - last), frequency: frequency, monetary: monetary,
                          paidCount: paidCount, firstPaid: Day(number: first), lastPaid: Day(number: last))
    }

    public mutating func reset() {
        frequency = 0; monetary = 0; paidCount = 0; first = .max; last = .min; firstInWindow = .max
    }
}
