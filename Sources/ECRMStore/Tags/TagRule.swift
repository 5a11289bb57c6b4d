import Foundation
import ECRMDomain

/// A rule tag's condition (the `tag.rule` column, JSON). Every condition given must hold; a list
/// condition holds when any of its values matches. Example:
/// `{"provinces":["浙江"],"gender":"F","birthdayMonths":[3,4],"tiers":[2,3],"lifecycles":["active"],
///   "segments":["important_value"],"spendMin":"100","spendMax":"2000.50","ordersMin":2}`
/// Provinces and cities match by prefix ("浙江" matches "浙江省"). Spend is all-time paid amount in
/// yuan (a string or a number), orders the all-time paid order count; both ranges are inclusive.
/// Lifecycle and segment come from the last stored RFM computation.
public struct TagRule: Codable, Sendable, Equatable {
    public var provinces: [String]?
    public var cities: [String]?
    /// F, M or U (女/男 accepted and normalised).
    public var gender: String?
    public var birthdayMonths: [Int]?
    public var tiers: [Int]?
    public var lifecycles: [Lifecycle]?
    public var segments: [Segment]?
    public var spendMin: Yuan?
    public var spendMax: Yuan?
    public var ordersMin: Int?
    public var ordersMax: Int?

    public init(provinces: [String]? = nil, cities: [String]? = nil, gender: String? = nil, birthdayMonths: [Int]? = nil,
                tiers: [Int]? = nil, lifecycles: [Lifecycle]? = nil, segments: [Segment]? = nil,
                spendMin: Fen? = nil, spendMax: Fen? = nil, ordersMin: Int? = nil, ordersMax: Int? = nil) {
        self.provinces = provinces; self.cities = cities; self.gender = gender; self.birthdayMonths = birthdayMonths
        self.tiers = tiers; self.lifecycles = lifecycles; self.segments = segments
        self.spendMin = spendMin.map(Yuan.init); self.spendMax = spendMax.map(Yuan.init)
        self.ordersMin = ordersMin; self.ordersMax = ordersMax
    }

    /// Whether any condition needs the last RFM computation (`member_rfm`).
    var usesRFM: Bool { lifecycles != nil || segments != nil }
    var usesStats: Bool { spendMin != nil || spendMax != nil || ordersMin != nil || ordersMax != nil }

    /// Parses and checks rule JSON; the message names the field that is wrong.
    public static func parse(_ json: String) throws -> TagRule {
        var rule: TagRule
        do { rule = try JSONDecoder().decode(TagRule.self, from: Data(json.utf8)) } catch {
            throw StoreError.invalid("tag rule is not valid JSON for a rule: \(TagRule.describe(error)); fields: provinces, cities, gender, birthdayMonths, tiers, lifecycles, segments, spendMin, spendMax, ordersMin, ordersMax")
        }
        try rule.normalise()
        return rule
    }

    public var json: String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? enc.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// Trims values, normalises gender, and refuses empty or impossible conditions.
    mutating func normalise() throws {
        func clean(_ xs: [String]?, _ field: String) throws -> [String]? {
            guard let xs else { return nil }
            let out = xs.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if out.isEmpty { throw StoreError.invalid("tag rule: \(field) is empty") }
            return out
        }
        provinces = try clean(provinces, "provinces")
        cities = try clean(cities, "cities")
        if let g = gender {
            switch g.trimmingCharacters(in: .whitespaces).lowercased() {
            case "f", "female", "女": gender = "F"
            case "m", "male", "男": gender = "M"
            case "u", "unknown", "未知": gender = "U"
            default: throw StoreError.invalid("tag rule: gender must be F, M or U, not '\(g)'")
            }
        }
        if let ms = birthdayMonths, ms.isEmpty || ms.contains(where: { !(1...12).contains($0) }) {
            throw StoreError.invalid("tag rule: birthdayMonths must be months 1 to 12")
        }
        if let ts = tiers, ts.isEmpty || ts.contains(where: { !(0...4).contains($0) }) {
            throw StoreError.invalid("tag rule: tiers must be levels 0 to 4")
        }
        if lifecycles?.isEmpty == true { throw StoreError.invalid("tag rule: lifecycles is empty") }
        if segments?.isEmpty == true { throw StoreError.invalid("tag rule: segments is empty") }
        if let a = spendMin, let b = spendMax, a.fen > b.fen { throw StoreError.invalid("tag rule: spendMin is above spendMax") }
        if let a = ordersMin, let b = ordersMax, a > b { throw StoreError.invalid("tag rule: ordersMin is above ordersMax") }
        if (ordersMin ?? 0) < 0 || (ordersMax ?? 0) < 0 { throw StoreError.invalid("tag rule: order counts cannot be negative") }
        if self == TagRule() { throw StoreError.invalid("tag rule has no condition; give at least one field") }
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c), DecodingError.dataCorrupted(let c):
            let path = c.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? c.debugDescription : "\(path): \(c.debugDescription)"
        case DecodingError.keyNotFound(let k, _): return "missing \(k.stringValue)"
        default: return "\(error)"
        }
    }
}

/// An amount in yuan in rule JSON: "100", "100.5" or 100.5 in, "100.50" out; held as fen so no
/// floating point reaches the comparison.
public struct Yuan: Codable, Sendable, Equatable {
    public var fen: Fen
    public init(_ fen: Fen) { self.fen = fen }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text: String
        if let s = try? c.decode(String.self) { text = s } else { text = "\(try c.decode(Decimal.self))" }
        guard let fen = Money.parseYuan(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an amount in yuan: \(text)")
        }
        self.fen = fen
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(Money.yuanString(fen))
    }
}
