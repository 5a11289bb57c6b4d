/// The shop-wide picture that `ecrm rfm` prints and the Segments pane shows.
public struct RFMSummary: Sendable, Equatable, Codable {
    public struct Row: Sendable, Equatable, Codable {
        public var count: Int
        public var monetary: Fen
        public init(count: Int = 0, monetary: Fen = 0) { self.count = count; self.monetary = monetary }
        public var averageFen: Fen { count == 0 ? 0 : monetary / Fen(count) }
    }

    public var settings: RFMSettings
    public var memberCount: Int = 0
    public var scoredCount: Int = 0
    public var segments: [Segment: Row] = [:]
    public var lifecycle: [Lifecycle: Int] = [:]
    public var returningCount: Int = 0
    /// R score (row, 1...5) × F score (column, 1...5) member counts: grid[r-1][f-1].
    public var grid: [[Int]] = Array(repeating: Array(repeating: 0, count: 5), count: 5)
    public var meanR: Double = 0, meanF: Double = 0, meanM: Double = 0

    public init(settings: RFMSettings) { self.settings = settings }

    public mutating func add(measure: RFMMeasure, score: RFMScore, lifecycle stage: Lifecycle) {
        memberCount += 1
        segments[score.segment, default: Row()].count += 1
        segments[score.segment, default: Row()].monetary += measure.monetary
        lifecycle[stage, default: 0] += 1
        if measure.isReturning { returningCount += 1 }
        if score.segment != .none {
            scoredCount += 1
            grid[Int(score.r) - 1][Int(score.f) - 1] += 1
        }
    }

    /// Share of all members, 0...1.
    public func share(_ segment: Segment) -> Double {
        memberCount == 0 ? 0 : Double(segments[segment]?.count ?? 0) / Double(memberCount)
    }
}
