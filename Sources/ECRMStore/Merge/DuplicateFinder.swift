import Foundation
import GRDB
import GRDBSQLite
import ECRMDomain

/// Finds duplicate candidates over the whole member table in one pass (PRODUCT.md: candidates).
///
/// Comparing members pairwise is out of the question at 1M members, and GROUP BY on three keys means
/// three sorts of the whole table inside SQLite. Instead one scan reads each member's name, phone,
/// birthday and city as bytes and turns each rule's key into a 64-bit hash (the phone rule's key is
/// the 11-digit number itself); each rule's (hash, member) array is sorted in memory and every run
/// of equal hashes marks its members. Only those few members are read again as text and handed to
/// the domain rules (`DuplicateRules.candidates`), which decide exactly: a hash collision costs a
/// look, never a false pair.
enum DuplicateFinder {
    struct Found {
        var pairs: [DuplicateCandidate]
        var crowded: [CrowdedKey]
    }

    static func find(_ db: Database) throws -> Found {
        var phone: [Keyed] = [], nameBirthday: [Keyed] = [], nameCityTail: [Keyed] = []
        let count = try Int.fetchOne(db, sql: "SELECT max(id) FROM member") ?? 0
        phone.reserveCapacity(count / 2); nameBirthday.reserveCapacity(count / 4); nameCityTail.reserveCapacity(count / 2)
        let scan = try RawStatement(db, "SELECT id, name, phone, birthday, city FROM member")
        defer { sqlite3_reset(scan.handle) }
        while try scan.next() {
            let h = scan.handle
            let id = sqlite3_column_int64(h, 0)
            let name = bytes(h, 1), ph = bytes(h, 2), birthday = bytes(h, 3), city = bytes(h, 4)
            if let key = phoneKey(ph) { phone.append(Keyed(key: key, id: id)) }
            let nameHash = hashSkippingSpaces(name)
            guard nameHash != 0 else { continue }
            if birthday.count > 0 { nameBirthday.append(Keyed(key: mix(nameHash, hashSkippingSpaces(birthday)), id: id)) }
            if city.count > 0, let tail = tail4(ph) { nameCityTail.append(Keyed(key: mix(mix(nameHash, hashSkippingSpaces(city)), tail), id: id)) }
        }
        var involved = Set<Int64>()
        for keys in [phone, nameBirthday, nameCityTail] { markShared(keys, into: &involved) }
        phone = []; nameBirthday = []; nameCityTail = []
        // The import's phone links (issue 19 item 2) join the evidence of the pair they name.
        var extra: [DuplicateCandidate] = []
        for row in try Row.fetchAll(db, sql: "SELECT member_a, member_b, detail FROM duplicate_candidate WHERE state = 'open'") {
            let a: Int64 = row[0], b: Int64 = row[1]
            extra.append(DuplicateCandidate(pair: DuplicatePair(a, b), evidence: [.phoneLink(detail: row[2])]))
            involved.insert(a); involved.insert(b)
        }
        let facts = try self.facts(db, Array(involved))
        let present = Set(facts.map(\.id))
        extra.removeAll { !present.contains($0.pair.low) || !present.contains($0.pair.high) }
        let dismissed = Set(try Row.fetchAll(db, sql: "SELECT low, high FROM duplicate_dismissed").map { DuplicatePair($0[0], $0[1]) })
        let r = DuplicateRules.candidates(facts, extra: extra, dismissed: dismissed)
        return Found(pairs: r.pairs, crowded: r.crowded)
    }

    /// The rule inputs of the given members, read as text.
    static func facts(_ db: Database, _ ids: [Int64]) throws -> [DuplicateFacts] {
        let read = try db.cachedStatement(sql: "SELECT name, phone, birthday, city FROM member WHERE id = ?")
        return try ids.sorted().compactMap { id in
            try Row.fetchOne(read, arguments: [id]).map { DuplicateFacts(id: id, name: $0[0], phone: $0[1], birthday: $0[2], city: $0[3]) }
        }
    }

    struct Keyed { var key: UInt64; var id: Int64 }

    /// Adds the members whose key another member shares to `involved`: the keys alone are sorted
    /// (plain integers: a comparison closure over (key, id) pairs took 0.3 s of CPU at 1M members),
    /// the repeated ones collected, then one pass picks their members.
    private static func markShared(_ keys: [Keyed], into involved: inout Set<Int64>) {
        var sorted = keys.map(\.key)
        sorted.sort()
        var repeated = Set<UInt64>()
        var i = 1
        while i < sorted.count {
            if sorted[i] == sorted[i - 1] { repeated.insert(sorted[i]) }
            i += 1
        }
        guard !repeated.isEmpty else { return }
        for k in keys where repeated.contains(k.key) { involved.insert(k.id) }
    }

    private static func bytes(_ h: OpaquePointer, _ column: Int32) -> UnsafeRawBufferPointer {
        guard let p = sqlite3_column_text(h, column) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(h, column)))
    }

    /// The stored phone as its 11-digit number when it is a clear mainland mobile (imports store
    /// digits only); anything else goes through `Phone.linkKey` (the rare odd spelling).
    private static func phoneKey(_ b: UnsafeRawBufferPointer) -> UInt64? {
        guard b.count > 0 else { return nil }
        if b.count == 11, b[0] == UInt8(ascii: "1") {
            var v: UInt64 = 0
            for c in b { guard c >= 48 && c <= 57 else { return slowPhoneKey(b) }; v = v * 10 + UInt64(c - 48) }
            return v
        }
        return slowPhoneKey(b)
    }

    private static func slowPhoneKey(_ b: UnsafeRawBufferPointer) -> UInt64? {
        guard b.count >= 11, b.count <= 24 else { return nil }
        return Phone.linkKey(String(decoding: b, as: UTF8.self)).flatMap { UInt64($0) }
    }

    /// The last four bytes when they are digits (masked phones too: "138****5678").
    private static func tail4(_ b: UnsafeRawBufferPointer) -> UInt64? {
        guard b.count >= 4 else { return nil }
        var v: UInt64 = 0
        for c in b[(b.count - 4)...] { guard c >= 48 && c <= 57 else { return nil }; v = v * 10 + UInt64(c - 48) }
        return v &+ 0x5A5A
    }

    /// FNV-1a over the bytes, ASCII spaces and tabs dropped (as DuplicateRules.nameKey drops
    /// whitespace); 0 for an empty text.
    private static func hashSkippingSpaces(_ b: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var any = false
        for c in b where c != 32 && c != 9 {
            h = (h ^ UInt64(c)) &* 0x100_0000_01b3
            any = true
        }
        return any ? h : 0
    }

    private static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var x = a ^ (b &+ 0x9E37_79B9_7F4A_7C15 &+ (a << 6) &+ (a >> 2))
        x ^= x >> 31; x = x &* 0xBF58_476D_1CE4_E5B9; x ^= x >> 29
        return x
    }
}
