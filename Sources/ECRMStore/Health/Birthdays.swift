import Foundation
import GRDB
import ECRMDomain

/// Members whose birthday comes up in the next few days, soonest first.
public enum Birthdays {
    public struct Entry: Sendable, Equatable, Codable {
        public var memberId: Int64
        public var buyerId: String
        public var nick: String
        public var name: String
        /// As stored, YYYY-MM-DD.
        public var birthday: String
        /// The day it is celebrated (Feb 29 → Feb 28 in a non-leap year).
        public var date: Day
        /// 0 = today.
        public var daysUntil: Int
        /// Age reached that day, when the birth year is plausible.
        public var turning: Int?
        public var tier: Int
        /// Masked (138****5678): reminders go to staff.
        public var phone: String
    }

    /// Birthdays celebrated from `from` through `from + days − 1` (days = 7: today and the next six).
    static func upcoming(_ db: Database, from: Day = Clock.today(), days: Int = 7) throws -> [Entry] {
        guard days > 0 else { return [] }
        let keys = BirthdayCalendar.monthDayKeys(from: from, days: min(days, 366))
        let list = Set(keys).map { "'\($0)'" }.joined(separator: ",")
        let rows = try Row.fetchAll(db, sql: """
            SELECT id, buyer_id, nick, name, birthday, tier, phone FROM member
            WHERE birthday IS NOT NULL AND substr(birthday, 6, 5) IN (\(list))
            """)
        var out: [Entry] = []
        for row in rows {
            let text: String = row[4]
            guard let born = Day.parse(text) else { continue }
            let (y, m, d) = born.components
            guard let date = BirthdayCalendar.next(month: m, day: d, from: from) else { continue }
            let until = date - from
            guard until < days else { continue }
            let age = date.components.year - y
            out.append(Entry(memberId: row[0], buyerId: row[1], nick: row[2], name: row[3], birthday: text, date: date,
                             daysUntil: until, turning: (0...120).contains(age) ? age : nil, tier: row[5], phone: Phone.masked(row[6])))
        }
        return out.sorted { ($0.daysUntil, $0.nick, $0.memberId) < ($1.daysUntil, $1.nick, $1.memberId) }
    }
}
