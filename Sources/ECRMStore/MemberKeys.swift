import GRDB
import GRDBSQLite
import ECRMDomain

/// Which member each row of a load belongs to: buyer id → member id, new ids handed out in file
/// order, and which members still have empty fields an order row may fill.
/// A bulk load reads the whole map once (`preload`) and then lives on the parsing thread, so the
/// writing thread is left with binding and stepping: the hash lookups per row overlap with SQLite's
/// B-tree work on the second core instead of adding to it. A small load instead looks each buyer
/// up in the store when first seen, on the writing thread: a two-row file into a million-member
/// store then reads two keys, not a million (0.8 s).
final class MemberKeys {
    private var ids: [String: Int64] = [:]
    private var nextId: Int64 = 1
    /// Members with at least one empty fillable field, as a bitmask of EmptyField.
    private var emptyFields: [Int64: UInt8] = [:]
    /// Members this load creates (from member rows or unknown buyers in order rows).
    private(set) var created: [Int64] = []
    private(set) var createdByOrders = 0
    /// Without a preloaded map: finds one buyer's id and empty-field mask in the store.
    private let probe: RawStatement?

    enum EmptyField {
        static let nick: UInt8 = 1, name: UInt8 = 2, phone: UInt8 = 4, province: UInt8 = 8, city: UInt8 = 16
    }

    private static let emptyMask = "(nick = '') | ((name = '') << 1) | ((phone = '') << 2) | ((province = '') << 3) | ((city = '') << 4)"

    init(db: Database, expectedMembers: Int, preload: Bool = true) throws {
        guard preload else {
            probe = try RawStatement(db, "SELECT id, \(Self.emptyMask) FROM member WHERE buyer_id = ?")
            nextId = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM member") ?? 0) + 1
            return
        }
        probe = nil
        let existing = try Int.fetchOne(db, sql: "SELECT count(*) FROM member") ?? 0
        ids.reserveCapacity(existing + expectedMembers)
        // Raw rows: GRDB's Row per member doubled the time of this read at 1M members.
        let rows = try RawStatement(db, "SELECT id, buyer_id FROM member")
        var maxId: Int64 = 0
        while sqlite3_step(rows.handle) == SQLITE_ROW {
            let id = sqlite3_column_int64(rows.handle, 0)
            let n = Int(sqlite3_column_bytes(rows.handle, 1))
            let key = sqlite3_column_text(rows.handle, 1).map { String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self) } ?? ""
            ids[key] = id
            maxId = max(maxId, id)
        }
        sqlite3_reset(rows.handle)
        nextId = maxId + 1
        let empties = try Row.fetchCursor(db, sql: """
            SELECT id, \(Self.emptyMask) FROM member WHERE nick = '' OR name = '' OR phone = '' OR province = '' OR city = ''
            """)
        while let row = try empties.next() { emptyFields[row[0]] = row[1] }
    }

    /// Frees the key map once a load is done with it (before the stats merge allocates).
    func release() {
        ids = [:]
        emptyFields = [:]
    }

    func resolve(_ m: BulkLoader.MemberRow) -> BulkLoader.MemberWrite {
        if let id = find(m.buyerId) { return .init(row: m, id: id, isNew: false) }
        let id = nextId
        nextId += 1
        ids[m.buyerId] = id
        created.append(id)
        let empty = Self.mask(m.nick, m.name, m.phone, m.province, m.city, present: false)
        if empty != 0 { emptyFields[id] = empty }
        return .init(row: m, id: id, isNew: true)
    }

    /// The buyer `wantsFields` last looked up, so `resolve` of the same row does not look it up again:
    /// with a million members each lookup is a few cache misses, and it was a third of the parsing
    /// thread's time.
    private var lastLookup: (buyerId: String, id: Int64?)?

    /// Whether an order row of this buyer may change the member: a new buyer, or empty fields.
    func wantsFields(_ buyerId: String) -> Bool {
        let id = find(buyerId)
        lastLookup = (buyerId, id)
        guard let id else { return true }
        return !emptyFields.isEmpty && emptyFields[id] != nil
    }

    private func lookup(_ buyerId: String) -> Int64? {
        if let last = lastLookup, last.buyerId == buyerId { return last.id }
        return find(buyerId)
    }

    /// The buyer's member id: from the map, or (without a preloaded map) from the store, then kept.
    private func find(_ buyerId: String) -> Int64? {
        if let id = ids[buyerId] { return id }
        guard let probe else { return nil }
        defer { sqlite3_reset(probe.handle) }
        probe.bind(1, buyerId)
        guard sqlite3_step(probe.handle) == SQLITE_ROW else { return nil }
        let id = sqlite3_column_int64(probe.handle, 0)
        let empty = UInt8(truncatingIfNeeded: sqlite3_column_int64(probe.handle, 1))
        ids[buyerId] = id
        if empty != 0 { emptyFields[id] = empty }
        return id
    }

    func resolve(_ o: BulkLoader.OrderRow) -> BulkLoader.OrderWrite {
        var w = BulkLoader.OrderWrite(o)
        let known = lookup(o.buyerId)
        lastLookup = nil
        if let id = known {
            w.memberId = id
            if !emptyFields.isEmpty, let empty = emptyFields[id] {
                // Order files only fill what is empty: they never overwrite a member's own data.
                let brings = Self.mask(o.nick, o.name, o.phone, o.province, o.city, present: true)
                if empty & brings != 0 {
                    w.patch = .init(isNew: false, buyerId: o.buyerId, nick: o.nick, name: o.name, phone: o.phone,
                                    province: o.province, city: o.city, joinedAt: nil)
                    let still = empty & ~brings
                    emptyFields[id] = still == 0 ? nil : still
                }
            }
            return w
        }
        // PRODUCT.md: an order whose buyer is unknown creates the member.
        let id = nextId
        nextId += 1
        ids[o.buyerId] = id
        created.append(id)
        createdByOrders += 1
        let empty = Self.mask(o.nick, o.name, o.phone, o.province, o.city, present: false)
        if empty != 0 { emptyFields[id] = empty }
        w.memberId = id
        w.patch = .init(isNew: true, buyerId: o.buyerId, nick: o.nick, name: o.name, phone: o.phone,
                        province: o.province, city: o.city, joinedAt: o.paidAt?.description)
        return w
    }

    /// Bitmask of the fields that are present (non-empty) or, with `present: false`, empty.
    static func mask(_ nick: String?, _ name: String?, _ phone: String?, _ province: String?, _ city: String?, present: Bool) -> UInt8 {
        func bit(_ v: String?, _ b: UInt8) -> UInt8 { ((v.map { !$0.isEmpty } ?? false) == present) ? b : 0 }
        return bit(nick, EmptyField.nick) | bit(name, EmptyField.name) | bit(phone, EmptyField.phone)
            | bit(province, EmptyField.province) | bit(city, EmptyField.city)
    }
}
