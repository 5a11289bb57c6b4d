import Testing
@testable import ECRMDomain

/// R, F, M and lifecycle from orders (PRODUCT.md: RFM). As-of is 2026-06-30 throughout.
@Suite("RFM measure: as-of, window, status filter, lifecycle")
struct RFMMeasureTests {
    let asOf = day("2026-06-30")

    func measure(_ orders: [(String, Fen, OrderStatus)], window: Int? = 365,
                 lifecycle: LifecycleWindows = .init()) -> RFMMeasure {
        let settings = RFMSettings(asOf: asOf, windowDays: window, lifecycle: lifecycle)
        return RFM.measure(orders: orders.map { (day: day($0.0), amount: $0.1, status: $0.2) }, settings: settings)
    }

    @Test("an order on the as-of day has R = 0")
    func sameDay() {
        let m = measure([("2026-06-30", 1_000, .paid)])
        #expect(m.recencyDays == 0)
        #expect(m.frequency == 1)
        #expect(m.monetary == 1_000)
        #expect(m.isScored)
    }

    @Test("R counts calendar days from the last counted order")
    func recency() {
        let m = measure([("2026-05-01", 100, .paid), ("2026-06-20", 100, .paid), ("2026-03-01", 100, .paid)])
        #expect(m.recencyDays == 10)
        #expect(m.firstPaid == day("2026-03-01"))
        #expect(m.lastPaid == day("2026-06-20"))
    }

    @Test("orders after the as-of day are ignored entirely (history can be replayed)")
    func afterAsOf() {
        let only = measure([("2026-07-01", 5_000, .paid)])
        #expect(only == RFMMeasure(recencyDays: nil, frequency: 0, monetary: 0, paidCount: 0, firstPaid: nil, lastPaid: nil))
        let mixed = measure([("2026-06-01", 100, .paid), ("2026-07-01", 5_000, .paid), ("2027-01-01", 5_000, .paid)])
        #expect(mixed.frequency == 1)
        #expect(mixed.monetary == 100)
        #expect(mixed.paidCount == 1)
        #expect(mixed.recencyDays == 29)
        #expect(mixed.lastPaid == day("2026-06-01"))
    }

    @Test("refunded, closed and unpaid orders never count, whatever their date")
    func statusFilter() {
        let m = measure([("2026-01-10", 100, .paid), ("2026-06-29", 200, .refunded),
                         ("2026-06-30", 300, .closed), ("2026-06-28", 400, .unpaid), ("2025-01-01", 500, .refunded)])
        #expect(m.frequency == 1)
        #expect(m.monetary == 100)
        #expect(m.paidCount == 1)
        #expect(m.recencyDays == asOf - day("2026-01-10"))
        #expect(m.firstPaid == day("2026-01-10"))
        #expect(!m.isReturning)
        var acc = RFMAccumulator(settings: RFMSettings(asOf: asOf))
        for s in [OrderStatus.refunded, .closed, .unpaid] { acc.add(day: asOf.number, amount: 999, status: s) }
        #expect(acc.measure().paidCount == 0)
    }

    @Test("window 30: (asOf − 30, asOf], the edge day asOf − 30 is excluded, asOf included")
    func window30() {
        let m = measure([("2026-05-31", 1, .paid), ("2026-06-01", 10, .paid), ("2026-06-30", 100, .paid), ("2026-07-01", 1_000, .paid)],
                        window: 30)
        #expect(m.frequency == 2)
        #expect(m.monetary == 110)
        #expect(m.paidCount == 3)
        #expect(m.firstPaid == day("2026-05-31"))
    }

    @Test("window 365: 2025-06-30 is out, 2025-07-01 is in")
    func window365() {
        let m = measure([("2025-06-30", 1, .paid), ("2025-07-01", 10, .paid)], window: 365)
        #expect(m.frequency == 1)
        #expect(m.monetary == 10)
        #expect(m.recencyDays == 364)
    }

    @Test("window all (nil) counts every paid order up to as-of")
    func windowAll() {
        let m = measure([("2001-01-01", 1, .paid), ("2025-06-30", 10, .paid), ("2026-06-30", 100, .paid), ("2026-07-01", 1_000, .paid)],
                        window: nil)
        #expect(m.frequency == 3)
        #expect(m.monetary == 111)
    }

    @Test("a huge window on an early as-of day does not overflow")
    func hugeWindow() {
        let settings = RFMSettings(asOf: day("1950-01-01"), windowDays: Int.max)
        var acc = RFMAccumulator(settings: settings)
        acc.add(day: day("1900-01-01").number, amount: 5, status: .paid)
        #expect(acc.measure().frequency == 1)
    }

    @Test("F = 0 in the window but older orders: not scored, yet lifecycle and returning use all-time orders")
    func unscoredWithHistory() {
        let m = measure([("2025-12-01", 100, .paid), ("2025-12-20", 200, .paid)], window: 30)
        #expect(m.frequency == 0)
        #expect(m.monetary == 0)
        #expect(!m.isScored)
        #expect(m.paidCount == 2)
        #expect(m.isReturning)
        #expect(m.recencyDays == 192)
        #expect(m.lifecycle(asOf: asOf, windows: .init()) == .lost)
        let s = RFM.score([m, measure([("2026-06-30", 1, .paid)], window: 30)], mode: .auto)
        #expect(s.scores[0] == .unscored)
        #expect(s.scores[0].segment == .none)
        #expect(s.scoredCount == 1)
    }

    @Test("lifecycle boundaries: new ≤ 30 days since the first order, active ≤ 90, sleeping 91–180, lost > 180",
          arguments: [
              (0, 0, Lifecycle.new), (30, 0, .new), (30, 30, .new), (31, 31, .active), (400, 0, .active),
              (400, 90, .active), (400, 91, .sleeping), (400, 180, .sleeping), (400, 181, .lost), (900, 800, .lost),
          ])
    func lifecycle(firstDaysAgo: Int, lastDaysAgo: Int, expected: Lifecycle) {
        let m = RFMMeasure(recencyDays: lastDaysAgo, frequency: 1, monetary: 0, paidCount: 2,
                           firstPaid: asOf.adding(days: -firstDaysAgo), lastPaid: asOf.adding(days: -lastDaysAgo))
        #expect(m.lifecycle(asOf: asOf, windows: .init()) == expected)
    }

    @Test("never bought → lifecycle none")
    func neverBought() {
        #expect(measure([]).lifecycle(asOf: asOf, windows: .init()) == Lifecycle.none)
        #expect(measure([("2026-06-01", 1, .refunded)]).lifecycle(asOf: asOf, windows: .init()) == Lifecycle.none)
    }

    @Test("lifecycle windows are configurable")
    func customWindows() {
        let w = LifecycleWindows(newDays: 7, activeDays: 30, sleepingDays: 60)
        #expect(measure([("2026-06-23", 1, .paid)]).lifecycle(asOf: asOf, windows: w) == .new)
        #expect(measure([("2026-06-22", 1, .paid)]).lifecycle(asOf: asOf, windows: w) == .active)
        #expect(measure([("2026-05-31", 1, .paid)]).lifecycle(asOf: asOf, windows: w) == .active)
        #expect(measure([("2026-05-30", 1, .paid)]).lifecycle(asOf: asOf, windows: w) == .sleeping)
        #expect(measure([("2026-05-01", 1, .paid)]).lifecycle(asOf: asOf, windows: w) == .sleeping)
        #expect(measure([("2026-04-30", 1, .paid)]).lifecycle(asOf: asOf, windows: w) == .lost)
    }

    @Test("returning = 2 or more paid orders (same day counts twice); refunds do not make a returner")
    func returning() {
        #expect(!measure([("2026-06-01", 1, .paid)]).isReturning)
        #expect(measure([("2026-06-01", 1, .paid), ("2026-06-01", 1, .paid)]).isReturning)
        #expect(!measure([("2026-06-01", 1, .paid), ("2026-06-02", 1, .refunded)]).isReturning)
        #expect(measure([("2020-06-01", 1, .paid), ("2026-06-02", 1, .paid)], window: 30).isReturning)
    }

    @Test("an accumulator reset starts the next member from nothing")
    func reset() {
        var acc = RFMAccumulator(settings: RFMSettings(asOf: asOf))
        acc.add(day: asOf.number, amount: 5)
        acc.reset()
        #expect(acc.measure().paidCount == 0)
        acc.add(day: asOf.number - 3, amount: 7)
        #expect(acc.measure() == RFMMeasure(recencyDays: 3, frequency: 1, monetary: 7, paidCount: 1,
                                            firstPaid: asOf.adding(days: -3), lastPaid: asOf.adding(days: -3)))
    }
}
