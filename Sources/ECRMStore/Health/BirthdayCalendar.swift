import ECRMDomain

/// Calendar math for birthday reminders (生日提醒), pure so the edge cases are easy to pin:
/// windows that cross the year end, and Feb 29 birthdays, celebrated on Feb 28 in other years.
public enum BirthdayCalendar {
    /// The day a month/day birthday is celebrated in `year`.
    public static func celebration(month: Int, day: Int, year: Int) -> Day? {
        if month == 2 && day == 29 && Day.daysIn(month: 2, year: year) == 28 { return Day(year: year, month: 2, day: 28) }
        return Day(year: year, month: month, day: day)
    }

    /// The first celebration on or after `from`.
    public static func next(month: Int, day: Int, from: Day) -> Day? {
        let y = from.components.year
        if let d = celebration(month: month, day: day, year: y), d >= from { return d }
        return celebration(month: month, day: day, year: y + 1)
    }

    /// The stored "MM-DD" keys whose celebration falls in the `days` days starting at `from`
    /// (today and the next days - 1). A non-leap Feb 28 also brings "02-29".
    public static func monthDayKeys(from: Day, days: Int) -> [String] {
        var keys: [String] = []
        for i in 0..<max(0, days) {
            let c = from.adding(days: i).components
            keys.append(key(c.month, c.day))
            if c.month == 2 && c.day == 28 && Day.daysIn(month: 2, year: c.year) == 28 { keys.append("02-29") }
        }
        return keys
    }

    static func key(_ month: Int, _ day: Int) -> String {
        (month < 10 ? "0" : "") + String(month) + "-" + (day < 10 ? "0" : "") + String(day)
    }
}
