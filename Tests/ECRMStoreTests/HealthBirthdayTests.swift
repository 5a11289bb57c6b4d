import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

@Suite struct HealthBirthdayTests {
    private func day(_ s: String) -> Day { Day.parse(s)! }

    @Test func calendarWrapsTheYearAndMovesFeb29() {
        #expect(BirthdayCalendar.next(month: 1, day: 2, from: day("2026-12-29")) == day("2027-01-02"))
        #expect(BirthdayCalendar.next(month: 12, day: 29, from: day("2026-12-29")) == day("2026-12-29"))
        #expect(BirthdayCalendar.next(month: 12, day: 28, from: day("2026-12-29")) == day("2027-12-28"))
        #expect(BirthdayCalendar.next(month: 2, day: 29, from: day("2027-02-01")) == day("2027-02-28"))
        #expect(BirthdayCalendar.next(month: 2, day: 29, from: day("2028-02-01")) == day("2028-02-29"))
        #expect(BirthdayCalendar.next(month: 2, day: 29, from: day("2027-03-01")) == day("2028-02-29"))
        #expect(BirthdayCalendar.monthDayKeys(from: day("2026-12-30"), days: 3) == ["12-30", "12-31", "01-01"])
        #expect(BirthdayCalendar.monthDayKeys(from: day("2027-02-27"), days: 3) == ["02-27", "02-28", "02-29", "03-01"])
        #expect(BirthdayCalendar.monthDayKeys(from: day("2028-02-27"), days: 3) == ["02-27", "02-28", "02-29"])
    }

    @Test func upcomingBirthdaysAcrossTheYearEnd() throws {
        let shop = try TagShop(recompute: false); defer { shop.cleanup() }
        // a 1990-12-30, b 2000-01-02, c 1992-02-29, d 1985-07-04, e none.
        let list = try shop.store.pool.read { try Birthdays.upcoming($0, from: day("2026-12-29"), days: 7) }
        #expect(list.map(\.buyerId) == ["a", "b"])
        #expect(list.map(\.daysUntil) == [1, 4])
        #expect(list.map(\.date) == [day("2026-12-30"), day("2027-01-02")])
        #expect(list.map(\.turning) == [36, 27])
        #expect(list[0].phone == "138****0001")
        // The window is today plus six: Jan 2 is day 6 from Dec 27, day 7 from Dec 26.
        #expect(try shop.store.pool.read { try Birthdays.upcoming($0, from: day("2026-12-27"), days: 7) }.map(\.buyerId) == ["a", "b"])
        #expect(try shop.store.pool.read { try Birthdays.upcoming($0, from: day("2026-12-26"), days: 7) }.map(\.buyerId) == ["a"])
        #expect(try shop.store.pool.read { try Birthdays.upcoming($0, from: day("2026-12-30"), days: 1) }.map(\.daysUntil) == [0])
    }

    @Test func feb29BirthdaysShowOnFeb28InOtherYears() throws {
        let shop = try TagShop(recompute: false); defer { shop.cleanup() }
        let plain = try shop.store.pool.read { try Birthdays.upcoming($0, from: day("2027-02-25"), days: 7) }
        #expect(plain.map(\.buyerId) == ["c"] && plain[0].date == day("2027-02-28") && plain[0].daysUntil == 3)
        let leap = try shop.store.pool.read { try Birthdays.upcoming($0, from: day("2028-02-25"), days: 7) }
        #expect(leap.map(\.buyerId) == ["c"] && leap[0].date == day("2028-02-29") && leap[0].daysUntil == 4)
        #expect(try shop.store.pool.read { try Birthdays.upcoming($0, from: day("2027-03-01"), days: 7) }.isEmpty)
    }
}

@Suite struct HealthFigureTests {
    /// As of 2026-06-30, reactivation from 2026-04-01 (90 days before):
    /// p lost at the start (last 2025-10-01, 182 days) and back in May; q sleeping (121 days), not back;
    /// s new at the start (first 2026-03-20), 3 orders; t one paid and one refunded in June;
    /// u lost since 2024; v only buys after as-of; w one closed order.
    static let orders = """
        order_id,buyer_id,paid_at,amount,status
        1,p,2025-10-01 10:00:00,100,paid
        2,p,2026-05-10 10:00:00,100,paid
        3,q,2025-12-01 10:00:00,50,paid
        4,s,2026-03-20 10:00:00,10,paid
        5,s,2026-03-25 10:00:00,10,paid
        6,s,2026-04-15 10:00:00,10,paid
        7,t,2026-06-01 10:00:00,100,refunded
        8,t,2026-06-02 10:00:00,300,paid
        9,u,2024-01-01 10:00:00,20,paid
        10,v,2026-07-05 10:00:00,70,paid
        11,w,2026-06-03 10:00:00,80,closed
        """

    @Test func healthFiguresOnAKnownShop() throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try Importer(store: t.store).run(.orders, path: try t.file("o.csv", Self.orders))
        let h = try ShopHealth.compute(t.store, asOf: Day.parse("2026-06-30")!)
        #expect(h.buyers == 5)                                          // p q s t u
        #expect(h.repurchase == Rate(2, of: 5))                         // p and s
        #expect(h.reactivation.start == Day.parse("2026-04-01")!)
        #expect(h.reactivation.sleepingAtStart == 1 && h.reactivation.lostAtStart == 2)
        #expect(h.reactivation.rate == Rate(1, of: 3))                  // p came back
        #expect(h.refunds.paidOrders == 8 && h.refunds.refundedOrders == 1)
        #expect(h.refunds.paidAmount == 60_000 && h.refunds.refundedAmount == 10_000)
        #expect(h.refunds.byCount == Rate(1, of: 9) && h.refunds.byAmount == Rate(10_000, of: 70_000))
        #expect(h.cohorts.map(\.month).first == "2025-07" && h.cohorts.map(\.month).last == "2026-06")
        #expect(h.cohorts.map(\.size) == [0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1])
        let oct = h.cohorts[3]                                          // p: Oct and May (k = 7)
        #expect(oct.active == [1, 0, 0, 0, 0, 0, 0, 1, 0, nil, nil, nil])
        #expect(oct.shares[7] == 1.0 && oct.shares[1] == 0.0 && oct.shares[9] == nil)
        #expect(h.cohorts[8].active.prefix(4).map { $0 } == [1, 1, 0, 0])   // s: March and April
        #expect(h.cohorts[8].active.compactMap { $0 }.count == 4)          // March…June observable
        #expect(h.cohorts[11].active == [1] + Array(repeating: nil, count: 11))
    }

    @Test func emptyShopHasNoRatesRatherThanZero() throws {
        let t = try TempStore(); defer { t.cleanup() }
        let h = try ShopHealth.compute(t.store, asOf: Day.parse("2026-06-30")!)
        #expect(h.repurchase.value == nil && h.refunds.byCount.value == nil && h.cohorts.allSatisfy { $0.size == 0 })
    }

    @Test func tallyIgnoresOrdersAfterAsOfAndCountsANewBuyerAsNotSleeping() {
        var tally = HealthTally(asOf: Day.parse("2026-06-30")!, reactivationStart: Day.parse("2026-04-01")!, reactivationEnd: Day.parse("2026-06-30")!)
        tally.add(day: Day.parse("2026-07-01")!.number); tally.endMember()         // after as-of only
        tally.add(day: Day.parse("2025-12-31")!.number); tally.add(day: Day.parse("2026-07-02")!.number); tally.endMember()
        #expect(tally.buyers == 1 && tally.repeaters == 0)
        #expect(tally.sleepingAtStart == 1 && tally.reactivated == 0)               // the July order is after the end
    }
}
