import Testing
@testable import ECRMDomain

@Suite("Day and LocalTime: civil dates without Foundation")
struct DayTests {
    @Test func epochIsDayZero() {
        #expect(Day(year: 1970, month: 1, day: 1)?.number == 0)
        #expect(Day(number: 0).description == "1970-01-01")
        #expect(Day(year: 1969, month: 12, day: 31)?.number == -1)
    }

    @Test("leap years: divisible by 4, except centuries not divisible by 400",
          arguments: [(2024, true), (2023, false), (2000, true), (1900, false), (2100, false), (2400, true)])
    func leapYears(year: Int, leap: Bool) {
        #expect((Day(year: year, month: 2, day: 29) != nil) == leap)
        #expect(Day.daysIn(month: 2, year: year) == (leap ? 29 : 28))
    }

    @Test("invalid calendar dates are rejected",
          arguments: [(2026, 2, 30), (2026, 13, 1), (2026, 0, 10), (2026, 4, 31), (2026, 1, 0), (2026, 1, 32), (1899, 12, 31), (3000, 1, 1)])
    func invalidDates(y: Int, m: Int, d: Int) {
        #expect(Day(year: y, month: m, day: d) == nil)
    }

    @Test("differences are calendar days")
    func arithmetic() {
        #expect(day("2024-03-01") - day("2024-02-28") == 2)
        #expect(day("2026-03-01") - day("2026-02-28") == 1)
        #expect(day("2025-01-01") - day("2024-01-01") == 366)
        #expect(day("2026-01-01") - day("2025-01-01") == 365)
        #expect(day("2026-01-05") - day("2026-01-05") == 0)
        #expect(day("2024-02-28").adding(days: 1) == day("2024-02-29"))
        #expect(day("2024-02-29").adding(days: 1) == day("2024-03-01"))
        #expect(day("2024-12-31").adding(days: 1) == day("2025-01-01"))
        #expect(day("2026-03-01").adding(days: -1) == day("2026-02-28"))
        #expect(day("2026-06-30").adding(days: -30) == day("2026-05-31"))
        #expect(day("2026-01-05") < day("2026-01-06"))
    }

    @Test("every day 1900…2100 survives number → components → Day")
    func componentsRoundTrip() {
        guard let start = Day(year: 1900, month: 1, day: 1), let end = Day(year: 2100, month: 12, day: 31) else {
            Issue.record("range ends must exist"); return
        }
        var previous: (year: Int, month: Int, day: Int)?
        for n in start.number...end.number {
            let c = Day(number: n).components
            #expect(Day(year: c.year, month: c.month, day: c.day)?.number == n)
            if let p = previous {
                // consecutive numbers are consecutive dates
                let next = p.day < Day.daysIn(month: p.month, year: p.year) ? (p.year, p.month, p.day + 1)
                    : p.month < 12 ? (p.year, p.month + 1, 1) : (p.year + 1, 1, 1)
                #expect(c == next)
            }
            previous = c
        }
    }

    @Test("parse accepts the shapes shop exports write",
          arguments: [
              ("2026-01-05", "2026-01-05", 0), ("2026/1/5", "2026-01-05", 0), ("2026-1-5", "2026-01-05", 0),
              ("2026/01/05", "2026-01-05", 0), (" 2026-01-05", "2026-01-05", 0), ("2024-02-29", "2024-02-29", 0),
              ("2026-01-05 23:59:59", "2026-01-05", 86_399), ("2026-01-05 08:30", "2026-01-05", 30_600),
              ("2026-01-05T08:30:15", "2026-01-05", 30_615), ("2026/1/5 0:00:01", "2026-01-05", 1),
              ("2026-01-05 ", "2026-01-05", 0), ("2026-01-05 08:30:00 ", "2026-01-05", 30_600),
          ] as [(String, String, Int32)])
    func parsesValid(text: String, date: String, seconds: Int32) {
        let t = LocalTime.parse(text)
        #expect(t?.day.description == date)
        #expect(t?.secondOfDay == seconds)
        #expect(Day.parse(text)?.description == date)
    }

    @Test("parse rejects impossible dates, times and shapes",
          arguments: ["2026-02-30", "2026-13-01", "2023-02-29", "2026-00-01", "2026/01-05", "20260105", "2026-01",
                      "", "abc", "2026-01-05 24:00:00", "2026-01-05 23:60", "2026-01-05 23:59:60", "2026-01-05 8",
                      "2026-01-05 12:00:00:00", "2026-01-05-", "2026-01-05/", "2026-01-05T", "2026-01-05 08:30:",
                      "2026.01.05", "1899-12-31", "2026-01-05x"])
    func rejectsInvalid(text: String) {
        #expect(LocalTime.parse(text) == nil)
    }

    @Test func localTimeDescriptionAndOrder() {
        let a = LocalTime.parse("2026-01-05 08:03:09")
        #expect(a?.description == "2026-01-05 08:03:09")
        if let a, let b = LocalTime.parse("2026-01-05 08:03:10"), let c = LocalTime.parse("2026-01-04 23:59:59") {
            #expect(a < b)
            #expect(c < a)
        } else {
            Issue.record("times must parse")
        }
    }

    @Test("a stamp orders moments like LocalTime and converts back exactly")
    func stampRoundTrip() {
        let times = ["1970-01-01 00:00:00", "2024-02-29 23:59:59", "2026-01-05 08:03:09", "2026-01-05 08:03:10"].compactMap(LocalTime.parse)
        #expect(times.count == 4)
        for t in times { #expect(LocalTime(stamp: t.stamp) == t) }
        #expect(times.map(\.stamp) == times.map(\.stamp).sorted())
        #expect(times[3].stamp - times[2].stamp == 1)
    }
}
