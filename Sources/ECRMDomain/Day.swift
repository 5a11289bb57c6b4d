/// A calendar day in the shop's local time, as days since 1970-01-01.
/// Pure integer arithmetic (Howard Hinnant's civil-date algorithms) so the domain needs no Foundation
/// calendar, and R (recency) is an exact difference of two Days.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var number: Int32
    public init(number: Int32) { self.number = number }

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year), (1900...2999).contains(year) else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        number = Int32(era * 146097 + doe - 719468)
    }

    public var components: (year: Int, month: Int, day: Int) {
        let z = Int(number) + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Parses "YYYY-MM-DD" or "YYYY/M/D", optionally followed by a time ("YYYY-MM-DD HH:MM:SS").
    public static func parse(_ text: String) -> Day? { LocalTime.parse(text)?.day }

    public func adding(days: Int) -> Day { Day(number: number + Int32(days)) }
    public static func - (a: Day, b: Day) -> Int { Int(a.number - b.number) }
    public static func < (a: Day, b: Day) -> Bool { a.number < b.number }

    /// "2026-11-22"
    public var description: String {
        let c = components
        return String(unsafeUninitializedCapacity: 10) { buf in
            Day.writeDigits(c.year, buf, 0, 4); buf[4] = 45; Day.writeDigits(c.month, buf, 5, 2); buf[7] = 45
            Day.writeDigits(c.day, buf, 8, 2)
            return 10
        }
    }

    static func writeDigits(_ value: Int, _ buf: UnsafeMutableBufferPointer<UInt8>, _ at: Int, _ width: Int) {
        var v = value
        for i in stride(from: at + width - 1, through: at, by: -1) {
            buf[i] = UInt8(48 + v % 10)
            v /= 10
        }
    }

    static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
}

/// A local date-time "YYYY-MM-DD HH:MM:SS" — the one format the store keeps (PRODUCT.md: Data).
public struct LocalTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var day: Day
    public var secondOfDay: Int32

    public init(day: Day, secondOfDay: Int32 = 0) {
        self.day = day
        self.secondOfDay = secondOfDay
    }

    /// Accepts `YYYY-MM-DD`, `YYYY/MM/DD`, single-digit month/day, and an optional ` HH:MM[:SS]`
    /// (or `T` separator), as shop exports and spreadsheets write them. Returns nil otherwise.
    public static func parse(_ text: String) -> LocalTime? {
        parse(bytes: Array(text.utf8))
    }

    /// Inlinable so each caller's byte collection gets a specialized copy: unspecialized, the
    /// generic iteration was ~20% of an import's parsing thread.
    @inlinable
    public static func parse<C: Collection>(bytes: C) -> LocalTime? where C.Element == UInt8 {
        // Hot path of every import: the canonical form, parsed without allocating.
        if let t = parseCanonical(bytes) { return t }
        var nums: [Int] = []
        nums.reserveCapacity(6)
        var cur = -1
        var seps: [UInt8] = []
        for b in bytes {
            if b >= 48 && b <= 57 {
                cur = (cur < 0 ? 0 : cur) * 10 + Int(b - 48)
                if cur > 99999 { return nil }
            } else {
                if cur < 0 {
                    // Blanks may lead, trail or repeat; any other separator needs a number before it.
                    if b == 32 && (nums.isEmpty || seps.last == 32) { continue }
                    return nil
                }
                nums.append(cur)
                seps.append(b)
                cur = -1
            }
        }
        if cur >= 0 {
            nums.append(cur)
        } else if !nums.isEmpty {
            // Text ended on a separator: fine if it is a blank ("2026-01-05 "), not "2026-01-05-" or "08:30:".
            guard seps.last == 32 else { return nil }
            seps.removeLast()
        }
        guard nums.count == 3 || nums.count == 5 || nums.count == 6 else { return nil }
        // Date separators must be '-' or '/', used consistently.
        guard seps.count >= 2, seps[0] == seps[1], seps[0] == UInt8(ascii: "-") || seps[0] == UInt8(ascii: "/") else { return nil }
        if nums.count > 3 {
            guard seps[2] == UInt8(ascii: " ") || seps[2] == UInt8(ascii: "T") else { return nil }
            for i in 3..<seps.count where seps[i] != UInt8(ascii: ":") { return nil }
        }
        guard let day = Day(year: nums[0], month: nums[1], day: nums[2]) else { return nil }
        var secs: Int32 = 0
        if nums.count > 3 {
            let h = nums[3], m = nums[4], s = nums.count == 6 ? nums[5] : 0
            guard h < 24, m < 60, s < 60 else { return nil }
            secs = Int32(h * 3600 + m * 60 + s)
        }
        return LocalTime(day: day, secondOfDay: secs)
    }

    /// "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS" exactly; nil for anything else (the general parser decides).
    @inlinable
    public static func parseCanonical<C: Collection>(_ bytes: C) -> LocalTime? where C.Element == UInt8 {
        let n = bytes.count
        guard n == 10 || n == 19 else { return nil }
        var d: (Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0)
        var i = 0
        var ok = true
        for b in bytes {
            let digit = Int(b) &- 48
            switch i {
            case 4, 7: ok = ok && b == 45
            case 10: ok = ok && b == 32
            case 13, 16: ok = ok && b == 58
            default:
                ok = ok && digit >= 0 && digit <= 9
                switch i {
                case 0...3: d.0 = d.0 * 10 + digit
                case 5, 6: d.1 = d.1 * 10 + digit
                case 8, 9: d.2 = d.2 * 10 + digit
                case 11, 12: d.3 = d.3 * 10 + digit
                case 14, 15: d.4 = d.4 * 10 + digit
                default: d.5 = d.5 * 10 + digit
                }
            }
            i += 1
        }
        guard ok, d.3 < 24, d.4 < 60, d.5 < 60, let day = Day(year: d.0, month: d.1, day: d.2) else { return nil }
        return LocalTime(day: day, secondOfDay: Int32(d.3 * 3600 + d.4 * 60 + d.5))
    }

    public static func < (a: LocalTime, b: LocalTime) -> Bool {
        (a.day.number, a.secondOfDay) < (b.day.number, b.secondOfDay)
    }

    /// "YYYY-MM-DD HH:MM:SS", built from bytes (imports format millions of these).
    public var description: String {
        String(unsafeUninitializedCapacity: 19) { buf in
            write(into: buf)
            return 19
        }
    }

    /// Writes the 19 bytes of "YYYY-MM-DD HH:MM:SS" at the start of `buf` (no String on hot paths).
    public func write(into buf: UnsafeMutableBufferPointer<UInt8>) {
        let c = day.components
        let s = Int(secondOfDay)
        Day.writeDigits(c.year, buf, 0, 4); buf[4] = 45; Day.writeDigits(c.month, buf, 5, 2); buf[7] = 45
        Day.writeDigits(c.day, buf, 8, 2); buf[10] = 32; Day.writeDigits(s / 3600, buf, 11, 2); buf[13] = 58
        Day.writeDigits(s / 60 % 60, buf, 14, 2); buf[16] = 58; Day.writeDigits(s % 60, buf, 17, 2)
    }

    /// Seconds since day 0: one integer that orders moments (the stats keep a member's latest as one).
    public var stamp: Int64 { Int64(day.number) * 86_400 + Int64(secondOfDay) }

    public init(stamp: Int64) {
        self.init(day: Day(number: Int32(stamp / 86_400)), secondOfDay: Int32(stamp % 86_400))
    }
}

/// Days travel as "YYYY-MM-DD" in JSON and settings.
extension Day: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let d = Day.parse(s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a date: \(s)")
        }
        self = d
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
