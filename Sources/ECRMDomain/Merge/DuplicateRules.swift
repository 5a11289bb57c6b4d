/// Duplicate candidates (PRODUCT.md: One member across channels): two members who may be one
/// person, each pair with the evidence a person decides on. Pure rules; the store finds the groups
/// over the whole member table in one pass and hands the few members involved to `candidates`.
public enum DuplicateEvidence: Sendable, Hashable, Codable {
    /// The same normalised mainland mobile (`Phone.linkKey`) on both members.
    case samePhone(phone: String)
    /// The same real name and birthday.
    case sameNameBirthday(name: String, birthday: String)
    /// The same real name and city, and phones ending in the same four digits (masked phones too).
    case sameNameCityTail(name: String, city: String, tail: String)
    /// An import found a new identity's phone on this member but did not link it (the phone is
    /// held by several members, or the member already has an identity in that channel). `detail`:
    /// the masked phone and the identity, as the import recorded it ("138****5678 jd:alice").
    case phoneLink(detail: String)

    /// Stable machine key (`--json`).
    public var code: String {
        switch self {
        case .samePhone: return "same_phone"
        case .sameNameBirthday: return "same_name_birthday"
        case .sameNameCityTail: return "same_name_city_phone_tail"
        case .phoneLink: return "phone_link"
        }
    }

    /// Strongest first: a shared full phone, then an import's phone link, then name rules.
    var rank: Int {
        switch self {
        case .samePhone: return 0
        case .phoneLink: return 1
        case .sameNameBirthday: return 2
        case .sameNameCityTail: return 3
        }
    }

    /// One short line, phones masked.
    public func describe(_ language: MessageLanguage) -> String {
        let zh = language == .zh
        switch self {
        case .samePhone(let p):
            return zh ? "同一手机号 \(Phone.masked(p))" : "same phone \(Phone.masked(p))"
        case .sameNameBirthday(let n, let b):
            return zh ? "同名同生日 \(n) \(b)" : "same name and birthday \(n) \(b)"
        case .sameNameCityTail(let n, let c, let t):
            return zh ? "同名同城、手机尾号相同 \(n) \(c) *\(t)" : "same name, city and phone tail \(n) \(c) *\(t)"
        case .phoneLink(let d):
            return zh ? "导入时按手机号未自动关联 \(d)" : "import did not link by phone \(d)"
        }
    }
}

/// Two member ids, the lower first (a pair and its mirror are one pair).
public struct DuplicatePair: Sendable, Hashable, Codable, Comparable {
    public let low: Int64
    public let high: Int64
    public init(_ a: Int64, _ b: Int64) { low = min(a, b); high = max(a, b) }
    public static func < (x: DuplicatePair, y: DuplicatePair) -> Bool { (x.low, x.high) < (y.low, y.high) }
}

/// One candidate pair with every piece of evidence found for it, strongest first.
public struct DuplicateCandidate: Sendable, Equatable, Codable {
    public var pair: DuplicatePair
    public var evidence: [DuplicateEvidence]
    public init(pair: DuplicatePair, evidence: [DuplicateEvidence]) { self.pair = pair; self.evidence = evidence }
}

/// What the rules look at on one member.
public struct DuplicateFacts: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var phone: String
    public var birthday: String?
    public var city: String
    public init(id: Int64, name: String, phone: String, birthday: String?, city: String) {
        self.id = id; self.name = name; self.phone = phone; self.birthday = birthday; self.city = city
    }
}

/// A key shared by more members than `DuplicateRules.maxGroup` (a shop's own phone, a reseller):
/// not spelled out as pairs, reported as one line.
public struct CrowdedKey: Sendable, Equatable, Codable {
    public var evidence: DuplicateEvidence
    public var members: Int
    public init(evidence: DuplicateEvidence, members: Int) { self.evidence = evidence; self.members = members }
}

public enum DuplicateRules {
    /// Groups larger than this are a shared phone or a common name, not one person: reported as
    /// crowded instead of as n·(n−1)/2 pairs.
    public static let maxGroup = 8

    /// A real name as the rules compare it: spaces dropped; nil when it is too short to mean a person
    /// (empty, or one character).
    public static func nameKey(_ name: String) -> String? {
        let n = String(name.unicodeScalars.filter { !$0.properties.isWhitespace })
        return n.count >= 2 ? n : nil
    }

    /// The last four digits of a phone, masked or clear; nil when it does not end in four digits.
    public static func phoneTail(_ phone: String) -> String? {
        let tail = phone.unicodeScalars.suffix(4)
        guard tail.count == 4, tail.allSatisfy({ $0.value >= 48 && $0.value <= 57 }) else { return nil }
        return String(String.UnicodeScalarView(tail))
    }

    /// Rule 1: same normalised mobile.
    public static func phoneKey(_ f: DuplicateFacts) -> String? { Phone.linkKey(f.phone) }

    /// Rule 2: same real name and birthday.
    public static func nameBirthdayKey(_ f: DuplicateFacts) -> String? {
        guard let n = nameKey(f.name), let b = f.birthday, !b.isEmpty else { return nil }
        return n + "\u{1F}" + b
    }

    /// Rule 3: same real name, city and phone tail.
    public static func nameCityTailKey(_ f: DuplicateFacts) -> String? {
        let city = f.city.trimmingSpaces()
        guard let n = nameKey(f.name), !city.isEmpty, let t = phoneTail(f.phone) else { return nil }
        return n + "\u{1F}" + city + "\u{1F}" + t
    }

    /// Every candidate among `members` by the three member rules, plus `extra` evidence (phone links
    /// an import recorded), less the `dismissed` pairs; strongest evidence first, then by ids.
    public static func candidates(_ members: [DuplicateFacts], extra: [DuplicateCandidate] = [],
                                  dismissed: Set<DuplicatePair> = []) -> (pairs: [DuplicateCandidate], crowded: [CrowdedKey]) {
        var evidence: [DuplicatePair: [DuplicateEvidence]] = [:]
        var crowded: [CrowdedKey] = []
        let byId = Dictionary(members.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func group(_ key: (DuplicateFacts) -> String?, _ make: (DuplicateFacts) -> DuplicateEvidence) {
            var groups: [String: [Int64]] = [:]
            for m in members { if let k = key(m) { groups[k, default: []].append(m.id) } }
            for ids in groups.values where ids.count > 1 {
                let sample = make(byId[ids[0]]!)
                if ids.count > maxGroup { crowded.append(CrowdedKey(evidence: sample, members: ids.count)); continue }
                let sorted = ids.sorted()
                for i in sorted.indices { for j in (i + 1)..<sorted.count {
                    evidence[DuplicatePair(sorted[i], sorted[j]), default: []].append(sample)
                } }
            }
        }
        group(phoneKey) { .samePhone(phone: phoneKey($0)!) }
        group(nameBirthdayKey) { .sameNameBirthday(name: nameKey($0.name)!, birthday: $0.birthday!) }
        group(nameCityTailKey) { .sameNameCityTail(name: nameKey($0.name)!, city: $0.city.trimmingSpaces(), tail: phoneTail($0.phone)!) }
        for c in extra where c.pair.low != c.pair.high {
            for e in c.evidence where !(evidence[c.pair]?.contains(e) ?? false) { evidence[c.pair, default: []].append(e) }
        }
        let pairs = evidence.filter { !dismissed.contains($0.key) }
            .map { DuplicateCandidate(pair: $0.key, evidence: $0.value.sorted { $0.rank < $1.rank }) }
            .sorted { a, b in
                let ka = (a.evidence.first?.rank ?? 9, -a.evidence.count), kb = (b.evidence.first?.rank ?? 9, -b.evidence.count)
                return ka != kb ? ka < kb : a.pair < b.pair
            }
        crowded.sort { ($0.evidence.rank, -$0.members) < ($1.evidence.rank, -$1.members) }
        return (pairs, crowded)
    }
}
