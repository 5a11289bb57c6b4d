import GRDB
import GRDBSQLite
import ECRMDomain

/// Writes members and orders inside one write transaction, as fast as SQLite allows, and keeps the
/// side effects (member_stats, unknown buyers created from orders) consistent.
/// Both `ecrm import` and `ecrm demo` load through this one path.
final class BulkLoader {
    enum Outcome { case added, updated, unchanged }

    struct MemberRow {
        var buyerId: String
        var nick: String? = nil
        var name: String? = nil
        var phone: String? = nil
        var gender: String? = nil
        var birthday: String? = nil
        var province: String? = nil
        var city: String? = nil
        var joinedAt: String? = nil
        var cardNo: String? = nil
    }

    struct OrderRow {
        var orderId: Int64
        var buyerId: String
        var nick: String?
        var paidAt: LocalTime?
        var amount: Int64
        var status: OrderStatus
        var items: Int64
        /// Taobao report extras that fill a member's empty fields.
        var province: String? = nil
        var city: String? = nil
        var phone: String? = nil
        var name: String? = nil
    }

    private let db: Database
    /// A big load: secondary indexes were dropped, and existing stats are read by one ordered scan.
    let bulk: Bool
    /// New paid orders in compact columns (12 bytes each), merged into member_stats in one pass
    /// in member order by `finishStats` (bulk loads: a merge join; small loads: a probe per member).
    private var newPaid = NewPaidOrders()
    private var memberIds: [String: Int64] = [:]
    private var nextMemberId: Int64
    private let upsertMember: RawStatement
    private let insertMember: RawStatement
    private let insertMemberKeyOnly: RawStatement
    private let fillMember: RawStatement
    private let insertOrder: RawStatement
    private let readOrder: RawStatement
    private let updateOrder: RawStatement
    private(set) var changedMembers: Set<Int64> = []
    /// Members created or touched, so tier auto-upgrade can be limited to them.
    private(set) var touchedMembers: Set<Int64> = []
    private(set) var membersCreatedByOrders = 0
    /// Members with at least one empty fillable field, as a bitmask of EmptyField. An order row only
    /// costs a member UPDATE when it brings a value for a field that is empty here.
    private var emptyFields: [Int64: UInt8] = [:]

    enum EmptyField {
        static let nick: UInt8 = 1, name: UInt8 = 2, phone: UInt8 = 4, province: UInt8 = 8, city: UInt8 = 16
    }

    /// `expectedOrders`/`expectedMembers` size the in-memory maps up front for bulk loads, so they
    /// never regrow (a regrow briefly holds two copies: the peak memory of a 5M-order import).
    init(db: Database, bulk: Bool, expectedOrders: Int = 0, expectedMembers: Int = 0) throws {
        self.db = db
        self.bulk = bulk
        if bulk {
            newPaid.reserve(orders: expectedOrders)
            let existing = try Int.fetchOne(db, sql: "SELECT count(*) FROM member") ?? 0
            memberIds.reserveCapacity(existing + expectedMembers)
        }
        // The whole key map in memory: one hash lookup per order instead of an index probe.
        let rows = try Row.fetchCursor(db, sql: "SELECT id, buyer_id FROM member")
        var maxId: Int64 = 0
        while let row = try rows.next() {
            let id: Int64 = row[0]
            memberIds[row[1]] = id
            maxId = max(maxId, id)
        }
        nextMemberId = maxId + 1
        let empties = try Row.fetchCursor(db, sql: """
            SELECT id, (nick = '') | ((name = '') << 1) | ((phone = '') << 2) | ((province = '') << 3) | ((city = '') << 4)
            FROM member WHERE nick = '' OR name = '' OR phone = '' OR province = '' OR city = ''
            """)
        while let row = try empties.next() { emptyFields[row[0]] = row[1] }
        // Empty or absent values never erase what the store already knows ("loses nothing").
        upsertMember = try RawStatement(db, """
            INSERT INTO member(id, buyer_id, nick, name, phone, gender, birthday, province, city, joined_at, card_no)
            VALUES (?1, ?2, coalesce(?3,''), coalesce(?4,''), coalesce(?5,''), coalesce(?6,''), ?7, coalesce(?8,''), coalesce(?9,''), ?10, ?11)
            ON CONFLICT(buyer_id) DO UPDATE SET
                nick = coalesce(nullif(?3,''), nick), name = coalesce(nullif(?4,''), name),
                phone = coalesce(nullif(?5,''), phone), gender = coalesce(nullif(?6,''), gender),
                birthday = coalesce(nullif(?7,''), birthday), province = coalesce(nullif(?8,''), province),
                city = coalesce(nullif(?9,''), city), joined_at = coalesce(nullif(?10,''), joined_at),
                card_no = coalesce(nullif(?11,''), card_no)
            WHERE coalesce(nullif(?3,''), nick) IS NOT nick OR coalesce(nullif(?4,''), name) IS NOT name
               OR coalesce(nullif(?5,''), phone) IS NOT phone OR coalesce(nullif(?6,''), gender) IS NOT gender
               OR coalesce(nullif(?7,''), birthday) IS NOT birthday OR coalesce(nullif(?8,''), province) IS NOT province
               OR coalesce(nullif(?9,''), city) IS NOT city OR coalesce(nullif(?10,''), joined_at) IS NOT joined_at
               OR coalesce(nullif(?11,''), card_no) IS NOT card_no
            """)
        insertMember = try RawStatement(db, """
            INSERT INTO member(id, buyer_id, nick, name, phone, gender, birthday, province, city, joined_at, card_no)
            VALUES (?1, ?2, coalesce(?3,''), coalesce(?4,''), coalesce(?5,''), coalesce(?6,''), ?7, coalesce(?8,''), coalesce(?9,''), ?10, ?11)
            """)
        insertMemberKeyOnly = try RawStatement(db, "INSERT INTO member(id, buyer_id, nick, name, phone, province, city, joined_at) VALUES (?1, ?2, coalesce(?3,''), coalesce(?4,''), coalesce(?5,''), coalesce(?6,''), coalesce(?7,''), ?8)")
        // Order files only fill what is empty: they never overwrite a member's own data.
        fillMember = try RawStatement(db, """
            UPDATE member SET
                nick = CASE WHEN nick = '' THEN coalesce(?2, '') ELSE nick END,
                name = CASE WHEN name = '' THEN coalesce(?3, '') ELSE name END,
                phone = CASE WHEN phone = '' THEN coalesce(?4, '') ELSE phone END,
                province = CASE WHEN province = '' THEN coalesce(?5, '') ELSE province END,
                city = CASE WHEN city = '' THEN coalesce(?6, '') ELSE city END
            WHERE id = ?1 AND ((nick = '' AND coalesce(?2,'') <> '') OR (name = '' AND coalesce(?3,'') <> '')
               OR (phone = '' AND coalesce(?4,'') <> '') OR (province = '' AND coalesce(?5,'') <> '')
               OR (city = '' AND coalesce(?6,'') <> ''))
            """)
        insertOrder = try RawStatement(db, "INSERT INTO orders(order_id, member_id, paid_at, amount, status, items) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(order_id) DO NOTHING")
        readOrder = try RawStatement(db, "SELECT member_id, paid_at, amount, status, items FROM orders WHERE order_id = ?")
        updateOrder = try RawStatement(db, "UPDATE orders SET member_id = ?2, paid_at = ?3, amount = ?4, status = ?5, items = ?6 WHERE order_id = ?1")
    }

    func memberId(buyerId: String) -> Int64? { memberIds[buyerId] }

    func loadMember(_ m: MemberRow) throws -> Outcome {
        let existing = memberIds[m.buyerId]
        let id = existing ?? nextMemberId
        let s = existing == nil ? insertMember : upsertMember
        s.bind(1, id)
        s.bind(2, m.buyerId)
        s.bind(3, m.nick); s.bind(4, m.name); s.bind(5, m.phone); s.bind(6, m.gender)
        s.bind(7, m.birthday); s.bind(8, m.province); s.bind(9, m.city); s.bind(10, m.joinedAt); s.bind(11, m.cardNo)
        try s.step()
        if existing == nil {
            let empty = BulkLoader.mask(m.nick, m.name, m.phone, m.province, m.city, present: false)
            if empty != 0 { emptyFields[id] = empty }
            memberIds[m.buyerId] = id
            nextMemberId += 1
            touchedMembers.insert(id)
            return .added
        }
        if s.changes > 0 { touchedMembers.insert(id); return .updated }
        return .unchanged
    }

    func loadOrder(_ o: OrderRow) throws -> Outcome {
        let member: Int64
        if let id = memberIds[o.buyerId] {
            member = id
            if let empty = emptyFields[id] {
                let brings = BulkLoader.mask(o.nick, o.name, o.phone, o.province, o.city, present: true)
                if empty & brings != 0 {
                    let f = fillMember
                    f.bind(1, id); f.bind(2, o.nick); f.bind(3, o.name); f.bind(4, o.phone); f.bind(5, o.province); f.bind(6, o.city)
                    try f.step()
                    let still = empty & ~brings
                    emptyFields[id] = still == 0 ? nil : still
                }
            }
        } else {
            // PRODUCT.md: an order whose buyer is unknown creates the member.
            member = nextMemberId
            nextMemberId += 1
            let s = insertMemberKeyOnly
            s.bind(1, member); s.bind(2, o.buyerId); s.bind(3, o.nick); s.bind(4, o.name); s.bind(5, o.phone)
            s.bind(6, o.province); s.bind(7, o.city)
            s.bind(8, o.paidAt?.description)
            try s.step()
            memberIds[o.buyerId] = member
            membersCreatedByOrders += 1
            let empty = BulkLoader.mask(o.nick, o.name, o.phone, o.province, o.city, present: false)
            if empty != 0 { emptyFields[member] = empty }
        }
        let s = insertOrder
        s.bind(1, o.orderId)
        s.bind(2, member)
        bindTime(s, 3, o.paidAt)
        s.bind(4, o.amount)
        s.bind(5, o.status.rawValue)
        s.bind(6, o.items)
        try s.step()
        if s.changes > 0 {
            if o.status == .paid, let t = o.paidAt {
                newPaid.append(member: member, time: t, amount: o.amount)
            }
            if !bulk { touchedMembers.insert(member) }
            return .added
        }
        // The order exists: compare, and update only when something differs.
        let r = readOrder
        r.bind(1, o.orderId)
        guard sqlite3_step(r.handle) == SQLITE_ROW else { sqlite3_reset(r.handle); return .unchanged }
        let oldMember = sqlite3_column_int64(r.handle, 0)
        let oldPaidAt = String(cString: sqlite3_column_text(r.handle, 1))
        let oldAmount = sqlite3_column_int64(r.handle, 2)
        let oldStatus = String(cString: sqlite3_column_text(r.handle, 3))
        let oldItems = sqlite3_column_int64(r.handle, 4)
        sqlite3_reset(r.handle)
        let newPaidAt = o.paidAt?.description ?? ""
        if oldMember == member && oldPaidAt == newPaidAt && oldAmount == o.amount && oldStatus == o.status.rawValue && oldItems == o.items {
            return .unchanged
        }
        let u = updateOrder
        u.bind(1, o.orderId); u.bind(2, member); u.bind(3, newPaidAt); u.bind(4, o.amount); u.bind(5, o.status.rawValue); u.bind(6, o.items)
        try u.step()
        changedMembers.insert(oldMember)
        changedMembers.insert(member)
        touchedMembers.insert(member)
        return .updated
    }

    /// Bitmask of the fields that are present (non-empty) or, with `present: false`, empty.
    static func mask(_ nick: String?, _ name: String?, _ phone: String?, _ province: String?, _ city: String?, present: Bool) -> UInt8 {
        func bit(_ v: String?, _ b: UInt8) -> UInt8 { ((v.map { !$0.isEmpty } ?? false) == present) ? b : 0 }
        return bit(nick, EmptyField.nick) | bit(name, EmptyField.name) | bit(phone, EmptyField.phone)
            | bit(province, EmptyField.province) | bit(city, EmptyField.city)
    }

    /// After the rows, in the same transaction and the same order for imports and the demo:
    /// indexes (bulk), stats, tier auto-upgrade (never a demotion), search, planner statistics.
    /// `mark` names each finished phase (for the benchmark). Returns how many members moved up.
    func finish(mark: (String) -> Void = { _ in }) throws -> Int {
        if bulk { try Maintenance.createBulkIndexes(db) }
        mark("indexes")
        try finishStats()
        mark("stats")
        let upgraded = try TierUpgrader.autoUpgrade(db, members: bulk ? nil : touchedMembers)
        mark("tiers")
        if bulk { try SearchIndex.rebuildAll(db) } else { try SearchIndex.refresh(db, members: touchedMembers) }
        mark("search")
        try Maintenance.afterLoad(db, bulk: bulk)
        mark("analyze")
        return upgraded
    }

    /// Brings member_stats up to date for everything loaded so far.
    private func finishStats() throws {
        if bulk { memberIds = [:] }   // the key map is done with; free it before the merge allocates
        if newPaid.overflowed {
            try MemberStatsUpdater.rebuildAll(db: db)
        } else {
            try MemberStatsUpdater.merge(newPaid, scanExisting: bulk, db: db)
        }
        newPaid = NewPaidOrders()
        if !changedMembers.isEmpty { try MemberStatsUpdater.recompute(members: changedMembers.sorted(), db: db) }
        changedMembers.removeAll()
    }

    /// Binds "YYYY-MM-DD HH:MM:SS" from a stack buffer: no String per order on the hot path.
    private func bindTime(_ s: RawStatement, _ index: Int32, _ t: LocalTime?) {
        guard let t else { s.bind(index, ""); return }
        withUnsafeTemporaryAllocation(byteCount: 19, alignment: 1) { buf in
            LocalTimeText.write(t, into: buf)
            s.bind(index, bytes: UnsafeRawBufferPointer(buf))
        }
    }
}

enum LocalTimeText {
    /// Writes the 19 bytes of "YYYY-MM-DD HH:MM:SS".
    static func write(_ t: LocalTime, into buf: UnsafeMutableRawBufferPointer) {
        let c = t.day.components
        let s = Int(t.secondOfDay)
        func put(_ v: Int, _ at: Int, _ width: Int) {
            var v = v
            for i in stride(from: at + width - 1, through: at, by: -1) {
                buf[i] = UInt8(48 + v % 10)
                v /= 10
            }
        }
        put(c.year, 0, 4); buf[4] = 45; put(c.month, 5, 2); buf[7] = 45; put(c.day, 8, 2)
        buf[10] = 32; put(s / 3600, 11, 2); buf[13] = 58; put(s / 60 % 60, 14, 2); buf[16] = 58; put(s % 60, 17, 2)
    }
}
