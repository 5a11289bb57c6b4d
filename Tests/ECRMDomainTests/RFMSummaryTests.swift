import Testing
@testable import ECRMDomain

@Suite("RFM summary: counts, money per segment, R×F grid")
struct RFMSummaryTests {
    @Test("add counts members, scored members, segments, lifecycle, returning and the R×F grid")
    func add() {
        var s = RFMSummary(settings: RFMSettings(asOf: day("2026-06-30")))
        let a = RFMMeasure(recencyDays: 1, frequency: 1, monetary: 1_000, paidCount: 1, firstPaid: nil, lastPaid: nil)
        let b = RFMMeasure(recencyDays: 2, frequency: 3, monetary: 2_500, paidCount: 4, firstPaid: nil, lastPaid: nil)
        let c = RFMMeasure(recencyDays: 400, frequency: 0, monetary: 0, paidCount: 2, firstPaid: nil, lastPaid: nil)
        s.add(measure: a, score: RFMScore(r: 5, f: 1, m: 2, segment: .importantDevelop), lifecycle: .new)
        s.add(measure: a, score: RFMScore(r: 5, f: 1, m: 2, segment: .importantDevelop), lifecycle: .new)
        s.add(measure: b, score: RFMScore(r: 4, f: 5, m: 5, segment: .importantValue), lifecycle: .active)
        s.add(measure: c, score: .unscored, lifecycle: .lost)
        #expect(s.memberCount == 4)
        #expect(s.scoredCount == 3)
        #expect(s.segments[.importantDevelop] == RFMSummary.Row(count: 2, monetary: 2_000))
        #expect(s.segments[.importantValue] == RFMSummary.Row(count: 1, monetary: 2_500))
        #expect(s.segments[.none] == RFMSummary.Row(count: 1, monetary: 0))
        #expect(s.segments[.generalWinback] == nil)
        #expect(s.lifecycle == [.new: 2, .active: 1, .lost: 1])
        #expect(s.returningCount == 2)
        #expect(s.grid[4][0] == 2)
        #expect(s.grid[3][4] == 1)
        #expect(s.grid.joined().reduce(0, +) == 3)
        #expect(s.share(.importantDevelop) == 0.5)
        #expect(s.share(.generalRetain) == 0)
        #expect(s.segments[.importantDevelop]?.averageFen == 1_000)
    }

    @Test("an empty summary: shares are 0, average of an empty row is 0")
    func empty() {
        let s = RFMSummary(settings: RFMSettings(asOf: day("2026-06-30")))
        #expect(s.share(.importantValue) == 0)
        #expect(RFMSummary.Row().averageFen == 0)
        #expect(s.grid.count == 5 && s.grid.allSatisfy { $0 == [0, 0, 0, 0, 0] })
    }

    @Test("orders → measures → scores → summary, end to end on a four-member shop")
    func pipeline() {
        let settings = RFMSettings(asOf: day("2026-06-30"), windowDays: 365)
        let shop: [[(String, Fen, OrderStatus)]] = [
            [("2026-06-30", 50_000, .paid), ("2026-06-01", 30_000, .paid), ("2026-05-01", 20_000, .paid)], // recent, frequent, big
            [("2026-06-25", 1_000, .paid)],                                                                  // recent, once, small
            [("2025-08-01", 90_000, .paid), ("2026-06-29", 5_000, .refunded)],                              // old, once, big
            [("2024-01-01", 9_000, .paid)],                                                                  // outside the window
        ]
        let measures = shop.map { orders in
            RFM.measure(orders: orders.map { (day: day($0.0), amount: $0.1, status: $0.2) }, settings: settings)
        }
        let scoring = RFM.score(measures, mode: settings.mode)
        // n = 3 scored. R: 333 → 1, 5 → 2, 0 → 4 (mean 7/3). F: 1,1 → 1, 3 → 4 (mean 2). M: 1000 → 1, 90000 → 2, 100000 → 4 (mean 7/3).
        #expect(scoring.scores[0] == RFMScore(r: 4, f: 4, m: 4, segment: .importantValue))
        #expect(scoring.scores[1] == RFMScore(r: 2, f: 1, m: 1, segment: .generalWinback))
        #expect(scoring.scores[2] == RFMScore(r: 1, f: 1, m: 2, segment: .generalWinback))
        #expect(scoring.scores[3] == .unscored)
        var summary = RFMSummary(settings: settings)
        for (m, s) in zip(measures, scoring.scores) {
            summary.add(measure: m, score: s, lifecycle: m.lifecycle(asOf: settings.asOf, windows: settings.lifecycle))
        }
        #expect(summary.segments[.generalWinback] == RFMSummary.Row(count: 2, monetary: 91_000))
        #expect(summary.lifecycle == [.new: 1, .active: 1, .lost: 2]) // member 2 first bought 5 days ago
        #expect(summary.returningCount == 1)
        #expect(summary.scoredCount == 3 && summary.memberCount == 4)
    }
}
