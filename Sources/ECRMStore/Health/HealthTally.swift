import ECRMDomain

/// A share: how many of how many. `value` is nil for 0 of 0 (shown as "—", not 0%).
public struct Rate: Sendable, Equatable, Codable {
    public var part: Int64
    public var whole: Int64
    public init(_ part: Int64, of whole: Int64) { self.part = part; self.whole = whole }
    public var value: Double? { whole == 0 ? nil : Double(part) / Double(whole) }
}

/// Month number (year × 12 + month − 1), so cohorts and "k months later" are plain integers.
public enum MonthIndex {
    public static func of(_ day: Day) -> Int { let c = day.components; return c.year * 12 + c.month - 1 }
    public static func label(_ index: Int) -> String {
        let m = index % 12 + 1
        return "\(index / 12)-\(m < 10 ? "0" : "")\(m)"
    }
}

/// Folds every member's paid days (ascending, as `member_stats.paid_days` holds them) into the
/// member-based health figures: repurchase, reactivation and cohort retention. Pure and
/// allocation-free per member, so a million members take one pass over the blobs.
public struct HealthTally: Sendable {
    public let asOf: Int32
    public let reactivationStart: Int32
    public let reactivationEnd: Int32
    public let windows: LifecycleWindows
    /// Month index of the oldest cohort shown; cohorts run from here to as-of's month.
    public let firstCohort: Int
    public let lastMonth: Int
    public static let cohortCount = 12

    public private(set) var buyers = 0
    public private(set) var repeaters = 0
    public private(set) var sleepingAtStart = 0
    public private(set) var lostAtStart = 0
    public private(set) var reactivated = 0
    /// cohortSize[c] members first bought in month firstCohort + c.
    public private(set) var cohortSize = [Int](repeating: 0, count: cohortCount)
    /// cohortActive[c][k]: of those, how many bought in month firstCohort + c + k.
    public private(set) var cohortActive = [[Int]](repeating: [Int](repeating: 0, count: cohortCount), count: cohortCount)

    // Per-member state.
    private var count = 0
    private var first = Int32.max
    private var lastBeforeStart = Int32.min
    private var firstBeforeStart = Int32.max
    private var boughtInWindow = false
    private var cohort = -1
    private var monthsSeen: UInt16 = 0

    public init(asOf: Day, reactivationStart: Day, reactivationEnd: Day, windows: LifecycleWindows = .init()) {
        self.asOf = asOf.number
        self.reactivationStart = reactivationStart.number
        self.reactivationEnd = min(reactivationEnd.number, asOf.number)
        self.windows = windows
        lastMonth = MonthIndex.of(asOf)
        firstCohort = lastMonth - HealthTally.cohortCount + 1
    }

    /// One paid order of the current member; days must come in ascending order.
    public mutating func add(day: Int32) {
        guard day <= asOf else { return }
        count += 1
        if count == 1 {
            first = day
            let c = MonthIndex.of(Day(number: day)) - firstCohort
            cohort = (0..<HealthTally.cohortCount).contains(c) ? c : -1
        }
        if day <= reactivationStart {
            if firstBeforeStart == Int32.max { firstBeforeStart = day }
            lastBeforeStart = day
        } else if day <= reactivationEnd {
            boughtInWindow = true
        }
        if cohort >= 0 {
            let k = MonthIndex.of(Day(number: day)) - firstCohort - cohort
            if k >= 0 && k < HealthTally.cohortCount { monthsSeen |= 1 << UInt16(k) }
        }
    }

    /// Closes the current member and starts the next.
    public mutating func endMember() {
        if count >= 1 { buyers += 1 }
        if count >= 2 { repeaters += 1 }
        if lastBeforeStart != Int32.min {
            // Lifecycle at the start day, by the domain's rule.
            let stage = Lifecycle.of(daysSinceFirst: Int(reactivationStart - firstBeforeStart),
                                     daysSinceLast: Int(reactivationStart - lastBeforeStart), windows: windows)
            if stage == .sleeping || stage == .lost {
                if stage == .sleeping { sleepingAtStart += 1 } else { lostAtStart += 1 }
                if boughtInWindow { reactivated += 1 }
            }
        }
        if cohort >= 0 {
            cohortSize[cohort] += 1
            for k in 0..<HealthTally.cohortCount where monthsSeen & (1 << UInt16(k)) != 0 { cohortActive[cohort][k] += 1 }
        }
        count = 0; first = .max; lastBeforeStart = .min; firstBeforeStart = .max
        boughtInWindow = false; cohort = -1; monthsSeen = 0
    }

    /// Members with ≥ 2 paid orders of those with ≥ 1.
    public var repurchase: Rate { Rate(Int64(repeaters), of: Int64(buyers)) }
    /// Sleeping-or-lost members at the start who bought again by the end.
    public var reactivation: Rate { Rate(Int64(reactivated), of: Int64(sleepingAtStart + lostAtStart)) }

    /// Cohort rows, oldest first; months after as-of are nil (not yet observable).
    public var cohorts: [CohortRetention] {
        (0..<HealthTally.cohortCount).map { c in
            let month = firstCohort + c
            let observable = lastMonth - month + 1
            let active: [Int?] = (0..<HealthTally.cohortCount).map { k in k < observable ? cohortActive[c][k] : nil }
            return CohortRetention(month: MonthIndex.label(month), size: cohortSize[c], active: active)
        }
    }
}

/// One joining cohort: members whose first paid order fell in `month`, and for k = 0…11 how many
/// bought in month k after it (k = 0 is the joining month, always the whole cohort).
public struct CohortRetention: Sendable, Equatable, Codable {
    public var month: String
    public var size: Int
    public var active: [Int?]
    public var shares: [Double?] { active.map { a in a.flatMap { size == 0 ? nil : Double($0) / Double(size) } } }
}
