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
    private var ids = BuyerIndex()
    private var nextId: Int64 = 1
    /// Members with at least one empty fillable field, as a bitmask of EmptyField.
    private var emptyFields: [Int64: UInt8] = [:]
    /// Members this load creates (from member rows or unknown buyers in order rows).
    private(set) var created: [Int64] = []
    private(set) var createdByOrders = 0
    /// Without a preloaded map: finds one buyer's id and empty-field mask in the store.
    private let storeLookup: RawStatement?

    enum EmptyField {
        static let nick: UInt8 = 1, name: UInt8 = 2, phone: UInt8 = 4, province: UInt8 = 8, city: UInt8 = 16
    }

    private static let emptyMask = "(nick = '') | ((name = '') << 1) | ((phone = '') << 2) | ((province = '') << 3) | ((city = '') << 4)"

    init(db: Database, expectedMembers: Int, preload: Bool = true) throws {
        guard preload else {
            storeLookup = try RawStatement(db, "SELECT id, \(Self.emptyMask) FROM member WHERE buyer_id = ?")
            nextId = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM member") ?? 0) + 1
            return
        }
        storeLookup = nil
        let existing = try Int.fetchOne(db, sql: "SELECT count(*) FROM member") ?? 0
        ids = BuyerIndex(expected: existing + expectedMembers)
        // Raw rows: GRDB's Row per member doubled the time of this read at 1M members.
        let rows = try RawStatement(db, "SELECT id, buyer_id FROM member")
        var maxId: Int64 = 0
        while try rows.next() {
            let id = sqlite3_column_int64(rows.handle, 0)
            let n = Int(sqlite3_column_bytes(rows.handle, 1))
            ids.set(UnsafeRawBufferPointer(start: sqlite3_column_text(rows.handle, 1), count: n), id)
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
        ids = BuyerIndex()
        emptyFields = [:]
    }

    func resolve(_ m: BulkLoader.MemberRow) throws -> BulkLoader.MemberWrite { resolve(m, known: try find(m.buyerId)) }

    private func resolve(_ m: BulkLoader.MemberRow, known: Int64?) -> BulkLoader.MemberWrite {
        if let id = known { return .init(row: m, id: id, isNew: false) }
        let id = nextId
        nextId += 1
        ids.set(m.buyerId, id)
        created.append(id)
        let empty = Self.mask(m.nick, m.name, m.phone, m.province, m.city, present: false)
        if empty != 0 { emptyFields[id] = empty }
        return .init(row: m, id: id, isNew: true)
    }

    /// How many rows ahead the batch lookups prefetch: enough misses in flight to hide one's latency.
    private static let lookahead = 16

    /// `resolve` for a batch of a bulk load, in order.
    func resolveAll(_ rows: [BulkLoader.OrderRow]) -> [BulkLoader.OrderWrite] {
        rows.withUnsafeBufferPointer { rows in
            var out: [BulkLoader.OrderWrite] = []
            out.reserveCapacity(rows.count)
            lookUpAll(rows.count, buyer: { rows[$0].buyerId }) { i, known in out.append(resolve(rows[i], known: known)) }
            return out
        }
    }

    /// Member rows are moved into their writes, not copied: a copy retains and releases ten strings.
    func resolveAll(_ rows: consuming [BulkLoader.MemberRow]) -> [BulkLoader.MemberWrite] {
        var rows = rows
        return rows.withUnsafeMutableBufferPointer { rows in
            var out: [BulkLoader.MemberWrite] = []
            out.reserveCapacity(rows.count)
            lookUpAll(rows.count, buyer: { rows[$0].buyerId }) { i, known in
                // Left behind: an empty row (no allocation), released with the batch's parse array.
                let row = rows.moveElement(from: i)
                rows.initializeElement(at: i, to: BulkLoader.MemberRow(buyerId: ""))
                out.append(resolve(row, known: known))
            }
            return out
        }
    }

    /// Looks up each of `count` rows' buyers in order, prefetching each one's slot `lookahead` rows
    /// before its lookup: nearly every lookup misses the cache in a table of tens of MB, and taken
    /// one at a time they were a third of the parsing thread, the load's bottleneck.
    private func lookUpAll(_ count: Int, buyer: (Int) -> String, _ body: (Int, Int64?) -> Void) {
        let ids = self.ids
        let probes = (0..<count).map { ids.probe(buyer($0)) }
        for p in probes.prefix(Self.lookahead) { ids.prefetch(p) }
        for i in 0..<count {
            if i + Self.lookahead < count { ids.prefetch(probes[i + Self.lookahead]) }
            let buyerId = buyer(i)
            // Batches come from bulk loads, whose map is preloaded: nothing to look up in the store.
            body(i, ids.find(probes[i], buyerId))
        }
    }

    /// The buyer's member id: from the map, or (without a preloaded map) from the store, then kept.
    private func find(_ buyerId: String) throws -> Int64? {
        try ids.find(buyerId) ?? lookUpInStore(buyerId)
    }

    /// Without a preloaded map: the buyer's member id from the store, kept in the map.
    private func lookUpInStore(_ buyerId: String) throws -> Int64? {
        guard let lookup = storeLookup else { return nil }
        defer { sqlite3_reset(lookup.handle) }
        lookup.bind(1, buyerId)
        guard try lookup.next() else { return nil }
        let id = sqlite3_column_int64(lookup.handle, 0)
        let empty = UInt8(truncatingIfNeeded: sqlite3_column_int64(lookup.handle, 1))
        ids.set(buyerId, id)
        if empty != 0 { emptyFields[id] = empty }
        return id
    }

    func resolve(_ o: BulkLoader.OrderRow) throws -> BulkLoader.OrderWrite { resolve(o, known: try find(o.buyerId)) }

    private func resolve(_ o: BulkLoader.OrderRow, known: Int64?) -> BulkLoader.OrderWrite {
        var w = BulkLoader.OrderWrite(o)
        if let id = known {
            w.memberId = id
            if !emptyFields.isEmpty, let empty = emptyFields[id] {
                let f = o.memberFields()
                // Order files only fill what is empty: they never overwrite a member's own data.
                let brings = Self.mask(f.nick, f.name, f.phone, f.province, f.city, present: true)
                if empty & brings != 0 {
                    w.patch = .init(isNew: false, buyerId: o.buyerId, nick: f.nick, name: f.name, phone: f.phone,
                                    province: f.province, city: f.city, joinedAt: nil)
                    let still = empty & ~brings
                    emptyFields[id] = still == 0 ? nil : still
                }
            }
            return w
        }
        // PRODUCT.md: an order whose buyer is unknown creates the member.
        let id = nextId
        nextId += 1
        ids.set(o.buyerId, id)
        created.append(id)
        createdByOrders += 1
        let f = o.memberFields()
        let empty = Self.mask(f.nick, f.name, f.phone, f.province, f.city, present: false)
        if empty != 0 { emptyFields[id] = empty }
        w.memberId = id
        w.patch = .init(isNew: true, buyerId: o.buyerId, nick: f.nick, name: f.name, phone: f.phone,
                        province: f.province, city: f.city, joinedAt: o.paidAt?.description)
        return w
    }

    /// Bitmask of the fields that are present (non-empty) or, with `present: false`, empty.
    static func mask(_ nick: String?, _ name: String?, _ phone: String?, _ province: String?, _ city: String?, present: Bool) -> UInt8 {
        func bit(_ v: String?, _ b: UInt8) -> UInt8 { ((v.map { !$0.isEmpty } ?? false) == present) ? b : 0 }
        return bit(nick, EmptyField.nick) | bit(name, EmptyField.name) | bit(phone, EmptyField.phone)
            | bit(province, EmptyField.province) | bit(city, EmptyField.city)
    }
}
