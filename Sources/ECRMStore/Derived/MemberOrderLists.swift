import GRDB
import GRDBSQLite

#if _endian(big)
#error("member_orders blobs are written straight from memory as little-endian Int64")
#endif

/// member_orders: each member's order ids (any status), ascending, as little-endian Int64s.
/// It stands in for an index on orders(member_id): the card's last orders and a member's stats
/// recompute read the member's one row, then the orders by primary key. A load writes it from the
/// ids it inserted, grouped in memory by a counting sort; building the index instead sorted every
/// order (2.5 s of a 1M-member / 5M-order import, against about 0.4 s for this table).
enum MemberOrderLists {
    static let schema = """
        CREATE TABLE member_orders (
            member_id INTEGER PRIMARY KEY REFERENCES member(id) ON DELETE CASCADE,
            order_ids BLOB NOT NULL
        )
        """

    /// Writes one member's whole list (also over an existing one).
    static let upsertSQL = "INSERT INTO member_orders(member_id, order_ids) VALUES (?1, ?2) ON CONFLICT(member_id) DO UPDATE SET order_ids = ?2"

    /// Adds a load's new orders to their members' lists: the existing rows are read by one ordered
    /// scan (`scanExisting`, bulk loads) or probed per member (small loads into a big store).
    static func merge(_ new: NewOrders, scanExisting: Bool, db: Database) throws {
        guard new.count > 0 else { return }
        let maxMember = Int(new.members.max()!)
        // Member m's new ids are ids[offsets[m]..<offsets[m + 1]].
        var offsets = [Int32](repeating: 0, count: maxMember + 2)
        for m in new.members { offsets[Int(m) + 1] += 1 }
        for i in 1..<offsets.count { offsets[i] += offsets[i - 1] }
        var ids = [Int64](repeating: 0, count: new.count)
        var fill = offsets
        ids.withUnsafeMutableBufferPointer { ids in
            fill.withUnsafeMutableBufferPointer { fill in
                new.forEachId { i, id in
                    let m = Int(new.members[i])
                    ids[Int(fill[m])] = id
                    fill[m] += 1
                }
            }
        }
        fill = []
        let existing = try ExistingRows(db, table: "member_orders", columns: "member_id, order_ids", ordered: scanExisting) {
            ExistingRows.members(in: offsets, upTo: $0)
        }
        let write = try RawStatement(db, upsertSQL)
        // Members without a list yet get theirs BatchInsert.size to a statement (one statement per
        // member was about a third of this phase).
        let append = try BatchInsert(db, "INSERT OR FAIL INTO member_orders(member_id, order_ids)", values: "(?, ?)", columns: 2)
        var keys = try AppendKey(db, table: "member_orders", column: "member_id")
        var fresh: [Int] = []
        fresh.reserveCapacity(BatchInsert.size)
        try ids.withUnsafeMutableBufferPointer { ids in
            func mine(_ m: Int) -> UnsafeMutableBufferPointer<Int64> {
                UnsafeMutableBufferPointer(rebasing: ids[Int(offsets[m])..<Int(offsets[m + 1])])
            }
            func flush() throws {
                try append.insert(fresh) { s, m, k in keys.bind(s, k + 1, Int64(m)); s.bind(k + 2, blob: UnsafeRawBufferPointer(mine(m))) }
                try keys.check()
                fresh.removeAll(keepingCapacity: true)
            }
            for m in 0...maxMember where offsets[m + 1] > offsets[m] {
                // Files usually list orders in id order; anything else is sorted here.
                var list = mine(m)
                if !isAscending(list) { list.sort() }
                guard let old = try existing.row(of: Int64(m)) else {
                    fresh.append(m)
                    if fresh.count == BatchInsert.size { try flush() }
                    continue
                }
                write.bind(1, Int64(m))
                union(decode(old, column: 1), Array(list)).withUnsafeBytes { write.bind(2, blob: $0) }
                try write.step()
            }
            try flush()
        }
    }

    /// Existing orders given to other members (a re-import, a merge, an unmerge): each member's
    /// list is read and written once, however many of its orders moved.
    static func move(_ moved: [MemberRefresh.MovedOrder], db: Database) throws {
        guard !moved.isEmpty else { return }
        var out: [Int64: Set<Int64>] = [:], into: [Int64: [Int64]] = [:]
        for m in moved where m.from != m.to {
            out[m.from, default: []].insert(m.order)
            into[m.to, default: []].append(m.order)
        }
        for member in Set(out.keys).union(into.keys).sorted() {
            var list = try ids(of: member, db)
            if let gone = out[member] { list.removeAll { gone.contains($0) } }
            if let come = into[member] { list = union(list, come) }
            try set(member, list, db)
        }
    }

    /// One member's order ids, ascending.
    static func ids(of member: Int64, _ db: Database) throws -> [Int64] {
        let s = try db.cachedStatement(sql: "SELECT order_ids FROM member_orders WHERE member_id = ?")
        sqlite3_reset(s.sqliteStatement)
        sqlite3_bind_int64(s.sqliteStatement, 1, member)
        defer { sqlite3_reset(s.sqliteStatement) }
        guard try stepRow(s.sqliteStatement) else { return [] }
        return decode(s.sqliteStatement, column: 0)
    }

    /// Rebuilds every list from the orders table (a new column's fill, and the fallback when a load's
    /// ids were not kept). A counting sort over table scans: one pass counts each member's orders,
    /// then each range of members holding at most `chunk` orders (8 bytes each) takes one more pass. Letting
    /// SQLite sort the orders by member instead measured 4.5 s at 5M orders; memory stays at
    /// `chunk` ids plus a count per member.
    static func rebuildAll(_ db: Database, chunk: Int = 4 << 20) throws {
        try db.execute(sql: "DELETE FROM member_orders")
        // Orders name members of the member table (the primary key gives the bound at once).
        let highest = try Int64.fetchOne(db, sql: "SELECT max(id) FROM member") ?? 0
        guard highest < 1 << 28 else { return try rebuildBySorting(db) }
        let maxMember = Int(highest)
        var offsets = [Int](repeating: 0, count: maxMember + 2)
        let count = try RawStatement(db, "SELECT member_id FROM orders")
        while try count.next() {
            let m = sqlite3_column_int64(count.handle, 0)
            guard m >= 0, m <= highest else {
                sqlite3_reset(count.handle)
                return try rebuildBySorting(db)
            }
            offsets[Int(m) + 1] += 1
        }
        sqlite3_reset(count.handle)
        for i in 1..<offsets.count { offsets[i] += offsets[i - 1] }
        guard offsets.last! > 0 else { return }
        let scan = try RawStatement(db, "SELECT member_id, order_id FROM orders WHERE member_id >= ? AND member_id < ?")
        let insert = try RawStatement(db, upsertSQL)
        var lo = 0
        while lo <= maxMember {
            var hi = lo + 1
            while hi <= maxMember && offsets[hi + 1] - offsets[lo] <= chunk { hi += 1 }
            let base = offsets[lo]
            var ids = [Int64](repeating: 0, count: offsets[hi] - base)
            var fill = offsets[lo..<hi].map { $0 - base }
            scan.bind(1, Int64(lo)); scan.bind(2, Int64(hi))
            while try scan.next() {
                let k = Int(sqlite3_column_int64(scan.handle, 0)) - lo
                ids[fill[k]] = sqlite3_column_int64(scan.handle, 1)
                fill[k] += 1
            }
            sqlite3_reset(scan.handle)
            try ids.withUnsafeMutableBufferPointer { ids in
                for m in lo..<hi where offsets[m + 1] > offsets[m] {
                    var mine = UnsafeMutableBufferPointer(rebasing: ids[(offsets[m] - base)..<(offsets[m + 1] - base)])
                    mine.sort()
                    insert.bind(1, Int64(m))
                    insert.bind(2, blob: UnsafeRawBufferPointer(mine))
                    try insert.step()
                }
            }
            lo = hi
        }
    }

    /// The same through SQLite's sorter, for member ids a count per member cannot cover.
    private static func rebuildBySorting(_ db: Database) throws {
        let scan = try RawStatement(db, "SELECT member_id, order_id FROM orders ORDER BY member_id, order_id")
        let insert = try RawStatement(db, upsertSQL)
        var current: Int64 = .min
        var list: [Int64] = []
        func flush() throws {
            guard !list.isEmpty else { return }
            insert.bind(1, current)
            list.withUnsafeBytes { insert.bind(2, blob: $0) }
            try insert.step()
        }
        defer { sqlite3_reset(scan.handle) }
        while try scan.next() {
            let member = sqlite3_column_int64(scan.handle, 0)
            if member != current {
                try flush()
                current = member
                list.removeAll(keepingCapacity: true)
            }
            list.append(sqlite3_column_int64(scan.handle, 1))
        }
        try flush()
    }

    private static func set(_ member: Int64, _ list: [Int64], _ db: Database) throws {
        if list.isEmpty {
            try db.execute(sql: "DELETE FROM member_orders WHERE member_id = ?", arguments: [member])
        } else {
            let s = try RawStatement(db, upsertSQL)
            s.bind(1, member)
            list.withUnsafeBytes { s.bind(2, blob: $0) }
            try s.step()
        }
    }

    static func decode(_ statement: OpaquePointer, column: Int32) -> [Int64] {
        let n = Int(sqlite3_column_bytes(statement, column)) / 8
        guard n > 0, let p = sqlite3_column_blob(statement, column) else { return [] }
        let raw = UnsafeRawBufferPointer(start: p, count: n * 8)
        return (0..<n).map { raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self) }
    }

    private static func isAscending(_ ids: UnsafeMutableBufferPointer<Int64>) -> Bool {
        var i = 1
        while i < ids.count { if ids[i - 1] > ids[i] { return false }; i += 1 }
        return true
    }

    /// Two lists as one ascending list without repeats.
    private static func union(_ a: [Int64], _ b: [Int64]) -> [Int64] {
        var all = a + b
        all.sort()
        var out: [Int64] = []
        out.reserveCapacity(all.count)
        for id in all where out.last != id { out.append(id) }
        return out
    }
}
