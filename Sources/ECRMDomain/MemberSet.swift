import Foundation

/// A member's standing (the `member.status` column): blacklisted members are never upgraded, get
/// no discount and are left out of campaign targets.
public enum MemberStatus: String, Sendable, Codable, CaseIterable {
    case normal, blacklist

    public init(blacklisted: Bool) { self = blacklisted ? .blacklist : .normal }
}

/// Gender as the store keeps it: F, M or U ('' = not given).
public enum Gender {
    /// "F", "M" or "U" for the words a shop's file or a rule may use (女/男/未知, female/male/unknown,
    /// any case); nil for anything else.
    public static func code(_ text: String) -> String? {
        switch text {   // the usual spellings without a copy (an import meets one per member)
        case "F", "女": return "F"
        case "M", "男": return "M"
        case "U", "未知": return "U"
        default: break
        }
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "f", "female", "女": return "F"
        case "m", "male", "男": return "M"
        case "u", "unknown", "未知": return "U"
        default: return nil
        }
    }
}

/// All of a set of tags, or any of them.
public enum TagMatch: String, Sendable, Codable, CaseIterable { case all, any }

/// One cell of the R×F grid: r score and f score, each 1…5.
public struct RFCell: Sendable, Equatable, Hashable, Codable {
    public var r: Int
    public var f: Int
    public init(r: Int, f: Int) { self.r = r; self.f = f }
    public var isValid: Bool { (1...5).contains(r) && (1...5).contains(f) }
}

/// The conditions a member must meet: every condition given must hold; a list condition holds when
/// any of its values matches. Each condition is optional, so a new one (a channel, …) is one more
/// field. It is also a rule tag's rule (the `tag.rule` column, JSON, e.g.
/// `{"provinces":["浙江"],"gender":"F","birthdayMonths":[3,4],"tiers":[2,3],"lifecycles":["active"],
///   "segments":["important_value"],"spendMin":"100","spendMax":"2000.50","ordersMin":2}`).
/// Provinces and cities match by prefix ("浙江" matches "浙江省"). Spend is all-time paid amount in
/// yuan (a string or a number), orders the all-time paid order count; both ranges are inclusive.
/// Segment, lifecycle and R×F cell come from an RFM computation (the last stored one for lists).
public struct MemberRule: Codable, Sendable, Equatable {
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
    /// One cell of the R×F grid (members not scored are in no cell).
    public var cell: RFCell?
    /// Members carrying every one of these tags / any of them.
    public var tagsAll: [String]?
    public var tagsAny: [String]?
    public var status: MemberStatus?
    /// Members a search for this text finds (nick, name, phone, buyer id, order number).
    public var search: String?
    /// Only these members (a marked list, a campaign's responders, a birthday list).
    public var members: [Int64]?
    /// Members with an identity in any of these channels (PRODUCT.md: One member across channels).
    public var channels: [Channel]?

    public init(provinces: [String]? = nil, cities: [String]? = nil, gender: String? = nil, birthdayMonths: [Int]? = nil,
                tiers: [Int]? = nil, lifecycles: [Lifecycle]? = nil, segments: [Segment]? = nil,
                spendMin: Fen? = nil, spendMax: Fen? = nil, ordersMin: Int? = nil, ordersMax: Int? = nil,
                cell: RFCell? = nil, tagsAll: [String]? = nil, tagsAny: [String]? = nil, status: MemberStatus? = nil,
                search: String? = nil, members: [Int64]? = nil, channels: [Channel]? = nil) {
        self.provinces = provinces; self.cities = cities; self.gender = gender; self.birthdayMonths = birthdayMonths
        self.tiers = tiers; self.lifecycles = lifecycles; self.segments = segments
        self.spendMin = spendMin.map(Yuan.init); self.spendMax = spendMax.map(Yuan.init)
        self.ordersMin = ordersMin; self.ordersMax = ordersMax
        self.cell = cell; self.tagsAll = tagsAll; self.tagsAny = tagsAny; self.status = status
        self.search = search; self.members = members; self.channels = channels
    }

    /// No condition at all (every member matches).
    public var isEmpty: Bool { self == MemberRule() }

    /// Whether any condition needs an RFM computation (segment, lifecycle, R×F cell).
    public var usesRFM: Bool { lifecycles != nil || segments != nil || cell != nil }
    /// Whether any condition needs the all-time paid totals.
    public var usesStats: Bool { spendMin != nil || spendMax != nil || ordersMin != nil || ordersMax != nil }

    /// The RFM conditions alone, and every other condition alone.
    public var rfmPart: MemberRule { MemberRule(lifecycles: lifecycles, segments: segments, cell: cell) }
    public var withoutRFM: MemberRule {
        var r = self
        r.lifecycles = nil; r.segments = nil; r.cell = nil
        return r
    }

    /// The RFM conditions judged on one member's computed scores (r and f are 0 when not scored).
    /// Other conditions are the store's to judge.
    public func matchesRFM(segment: Segment, lifecycle: Lifecycle, r: Int, f: Int) -> Bool {
        if let ss = segments, !ss.contains(segment) { return false }
        if let ls = lifecycles, !ls.contains(lifecycle) { return false }
        if let c = cell, segment == .none || c.r != r || c.f != f { return false }
        return true
    }

    /// The conditions a rule tag keeps (a tag's rule reads nothing else; other fields are dropped as
    /// unknown keys always were).
    public var ruleTagConditions: MemberRule {
        MemberRule(provinces: provinces, cities: cities, gender: gender, birthdayMonths: birthdayMonths, tiers: tiers,
                   lifecycles: lifecycles, segments: segments, spendMin: spendMin?.fen, spendMax: spendMax?.fen,
                   ordersMin: ordersMin, ordersMax: ordersMax)
    }

    /// Why a condition is wrong, in one line that names the field.
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Trims values, normalises gender, and refuses empty or impossible conditions (`what` starts
    /// each message: "tag rule" for a rule tag).
    public mutating func normalise(_ what: String = "tag rule") throws {
        func clean(_ xs: [String]?, _ field: String) throws -> [String]? {
            guard let xs else { return nil }
            let out = xs.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if out.isEmpty { throw Invalid(message: "\(what): \(field) is empty") }
            return out
        }
        provinces = try clean(provinces, "provinces")
        cities = try clean(cities, "cities")
        tagsAll = try clean(tagsAll, "tagsAll")
        tagsAny = try clean(tagsAny, "tagsAny")
        if let g = gender {
            guard let code = Gender.code(g) else { throw Invalid(message: "\(what): gender must be F, M or U, not '\(g)'") }
            gender = code
        }
        if let ms = birthdayMonths, ms.isEmpty || ms.contains(where: { !(1...12).contains($0) }) {
            throw Invalid(message: "\(what): birthdayMonths must be months 1 to 12")
        }
        if let ts = tiers, ts.isEmpty || ts.contains(where: { !(0...4).contains($0) }) {
            throw Invalid(message: "\(what): tiers must be levels 0 to 4")
        }
        if lifecycles?.isEmpty == true { throw Invalid(message: "\(what): lifecycles is empty") }
        if channels?.isEmpty == true { throw Invalid(message: "\(what): channels is empty") }
        if segments?.isEmpty == true { throw Invalid(message: "\(what): segments is empty") }
        if let c = cell, !c.isValid { throw Invalid(message: "grid scores must be 1 to 5, not R\(c.r) F\(c.f)") }
        if let a = spendMin, let b = spendMax, a.fen > b.fen { throw Invalid(message: "\(what): spendMin is above spendMax") }
        if let a = ordersMin, let b = ordersMax, a > b { throw Invalid(message: "\(what): ordersMin is above ordersMax") }
        if (ordersMin ?? 0) < 0 || (ordersMax ?? 0) < 0 { throw Invalid(message: "\(what): order counts cannot be negative") }
        if isEmpty { throw Invalid(message: "\(what) has no condition; give at least one field") }
    }

    /// Parses rule JSON (a rule tag's fields only) and checks it; the message names the field that is wrong.
    public static func parseTagRule(_ json: String) throws -> MemberRule {
        var rule: MemberRule
        do { rule = try JSONDecoder().decode(MemberRule.self, from: Data(json.utf8)).ruleTagConditions } catch {
            throw Invalid(message: "tag rule is not valid JSON for a rule: \(describe(error)); fields: provinces, cities, gender, birthdayMonths, tiers, lifecycles, segments, spendMin, spendMax, ordersMin, ordersMax")
        }
        try rule.normalise()
        return rule
    }

    /// The rule as stored: JSON with sorted keys, absent conditions left out.
    public var json: String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? enc.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
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

/// Every group of members the console and the command line name: a list, a drill-down, a bulk tag's
/// target, an export, a campaign's target. One type, so one SQL translation, one pager and one
/// exporter serve them all (ECRMStore: MemberSetSQL, MemberPager, Exporter).
public enum MemberSet: Sendable, Equatable, CustomStringConvertible {
    case all
    case rule(MemberRule)

    // The sets the console and the command line name most, each one condition.
    public static func segment(_ s: Segment) -> MemberSet { .rule(MemberRule(segments: [s])) }
    public static func grid(r: Int, f: Int) -> MemberSet { .rule(MemberRule(cell: RFCell(r: r, f: f))) }
    public static func tier(_ t: Int) -> MemberSet { .rule(MemberRule(tiers: [t])) }
    public static func lifecycle(_ l: Lifecycle) -> MemberSet { .rule(MemberRule(lifecycles: [l])) }
    /// Province, optionally narrowed to a city; both match by prefix.
    public static func region(province: String, city: String?) -> MemberSet {
        .rule(MemberRule(provinces: [province], cities: city.map { [$0] }))
    }
    public static func tags(_ names: [String], _ match: TagMatch) -> MemberSet {
        .rule(match == .all ? MemberRule(tagsAll: names) : MemberRule(tagsAny: names))
    }
    /// Explicit members (a search result, a marked list).
    public static func ids(_ ids: [Int64]) -> MemberSet { .rule(MemberRule(members: ids)) }
    public static func search(_ text: String) -> MemberSet { .rule(MemberRule(search: text)) }
    /// Members with an identity in this channel (the lists' channel key, `--channel`).
    public static func channel(_ c: Channel) -> MemberSet { .rule(MemberRule(channels: [c])) }

    /// This set narrowed to members with an identity in `channel` (nil: the set itself).
    public func narrowed(to channel: Channel?) -> MemberSet {
        guard let channel else { return self }
        var r = rule ?? MemberRule()
        r.channels = [channel]
        return .rule(r)
    }

    /// Every member for no condition, else the rule.
    public init(_ rule: MemberRule) { self = rule.isEmpty ? .all : .rule(rule) }

    public var rule: MemberRule? { if case .rule(let r) = self { return r } else { return nil } }

    /// The listed members when the set is nothing but a list of members.
    public var memberIds: [Int64]? {
        guard let r = rule, let ids = r.members, r == MemberRule(members: ids) else { return nil }
        return ids
    }

    /// English words for logs and the command line: "segment important_value", "grid R5 F3", "tier 1",
    /// "lifecycle active", "region 浙江/杭州", "tags all of A,B", "12 listed members"; several conditions
    /// are joined by " & ".
    public var description: String {
        guard let r = rule, !r.isEmpty else { return "all members" }
        var parts: [String] = []
        if let p = r.provinces {
            let region = "region \(p.joined(separator: ","))"
            parts.append(region + (r.cities.map { "/" + $0.joined(separator: ",") } ?? ""))
        } else if let c = r.cities { parts.append("city \(c.joined(separator: ","))") }
        if let g = r.gender { parts.append("gender \(g)") }
        if let ms = r.birthdayMonths { parts.append("birthday month \(ms.map(String.init).joined(separator: ","))") }
        if let ss = r.segments { parts.append("segment \(ss.map(\.rawValue).joined(separator: ","))") }
        if let c = r.cell { parts.append("grid R\(c.r) F\(c.f)") }
        if let ts = r.tiers { parts.append("tier \(ts.map(String.init).joined(separator: ","))") }
        if let ls = r.lifecycles { parts.append("lifecycle \(ls.map(\.rawValue).joined(separator: ","))") }
        if r.spendMin != nil || r.spendMax != nil {
            parts.append("spend \(r.spendMin.map { Money.yuanString($0.fen) } ?? "")..\(r.spendMax.map { Money.yuanString($0.fen) } ?? "")")
        }
        if r.ordersMin != nil || r.ordersMax != nil {
            parts.append("orders \(r.ordersMin.map(String.init) ?? "")..\(r.ordersMax.map(String.init) ?? "")")
        }
        if let ts = r.tagsAll { parts.append("tags all of \(ts.joined(separator: ","))") }
        if let ts = r.tagsAny { parts.append("tags any of \(ts.joined(separator: ","))") }
        if let s = r.status { parts.append("status \(s.rawValue)") }
        if let q = r.search { parts.append("search \(q)") }
        if let ids = r.members { parts.append("\(ids.count) listed members") }
        if let cs = r.channels { parts.append("channel \(cs.map(\.rawValue).joined(separator: ","))") }
        return parts.joined(separator: " & ")
    }
}

extension MemberSet: Codable {
    // Stored as the rule's own JSON object (`{}` = every member). Campaign targets stored before the
    // rule existed name one condition each, as Swift encoded the old enum: {"segment":{"_0":"…"}},
    // {"grid":{"r":5,"f":3}}, {"tier":{"_0":1}}, {"lifecycle":{"_0":"…"}}, {"region":{"province":"…",
    // "city":"…"}}, {"tags":{"_0":["…"],"_1":"all"}}, {"ids":{"_0":[…]}}, and the identities branch's
    // {"channel":{"_0":"jd"}}; they still decode.
    private enum Legacy: String, CodingKey { case segment, grid, tier, lifecycle, region, tags, ids, channel }
    private enum Unlabelled: String, CodingKey { case _0, _1 }
    private enum RegionKeys: String, CodingKey { case province, city }

    public init(from decoder: any Decoder) throws {
        let legacy = try decoder.container(keyedBy: Legacy.self)
        if let key = legacy.allKeys.first {
            switch key {
            case .grid:
                self = .rule(MemberRule(cell: try legacy.decode(RFCell.self, forKey: .grid)))
            case .region:
                let c = try legacy.nestedContainer(keyedBy: RegionKeys.self, forKey: .region)
                self = .region(province: try c.decode(String.self, forKey: .province), city: try c.decodeIfPresent(String.self, forKey: .city))
            default:
                let c = try legacy.nestedContainer(keyedBy: Unlabelled.self, forKey: key)
                switch key {
                case .segment: self = .segment(try c.decode(Segment.self, forKey: ._0))
                case .tier: self = .tier(try c.decode(Int.self, forKey: ._0))
                case .lifecycle: self = .lifecycle(try c.decode(Lifecycle.self, forKey: ._0))
                case .tags: self = .tags(try c.decode([String].self, forKey: ._0), try c.decode(TagMatch.self, forKey: ._1))
                case .channel: self = .channel(try c.decode(Channel.self, forKey: ._0))
                default: self = .ids(try c.decode([Int64].self, forKey: ._0))
                }
            }
            return
        }
        let rule = try MemberRule(from: decoder)
        self = rule.isEmpty ? .all : .rule(rule)
    }

    public func encode(to encoder: any Encoder) throws {
        try (rule ?? MemberRule()).encode(to: encoder)
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
