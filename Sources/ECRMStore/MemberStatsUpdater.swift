import GRDB
import GRDBSQLite
import ECRMDomain

/// Keeps `member_stats` current after orders change.
/// Two paths: new paid orders are merged into the existing history (no order rescan), and members
/// whose existing orders changed are recomputed from their own orders.
struct MemberStatsUpdater {
    static let upsertSQL = """
        INSERT INTO member_stats(member_id, first_paid, last_paid, last_paid_at, paid_count, paid_sum, paid_days)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
        ON CONFLICT(member_id) DO UPDATE SET first_paid = ?2, last_paid = ?3, last_paid_at = ?4,
            paid_count = ?5, paid_sum = ?6, paid_days = ?7
        """
    static let insertSQL = "INSERT INTO member_stats(member_id, first_paid, last_paid, last_paid_at, paid_count, paid_sum, paid_days) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"

    /// Merges a load's new paid orders into member_stats: a counting sort by member, then one pass
    /// in member order. Existing stats rows are read by a merge join over the whole table for bulk
    /// loads (`scanExisting`), or probed per member for small loads into a big store.
    static func merge(_ paid: NewPaidOrders, scanExisting: Bool, db: Database) throws {
        guard paid.count > 0 else { return }
        let maxMember = Int(paid.members.max()!)
        var offsets = [Int32](repeating: 0, count: maxMember + 2)
        for m in paid.members { offsets[Int(m) + 1] += 1 }
        for i in 1..<offsets.count { offsets[i] += offsets[i - 1] }
        var order = [Int32](repeating: 0, count: paid.count)
        var fill = offsets
        for (k, m) in paid.members.enumerated() {
            order[Int(fill[Int(m)])] = Int32(k)
            fill[Int(m)] += 1
        }
        let existing = try ExistingStats(db, ordered: scanExisting)
        let write = try RawStatement(db, upsertSQL)
        // Reused scratch buffers: no allocation per member (1M members, 5M orders).
        var keys: [UInt64] = []
        var blob: [UInt8] = []
        let insert = try RawStatement(db, insertSQL)
        for member in 0...maxMember {
            let lo = Int(offsets[member]), hi = Int(offsets[member + 1])
            guard hi > lo else { continue }
            if var (history, lastStamp) = try existing.row(for: Int64(member)) {
                // Orders added to members who already had paid orders: merge the histories.
                for k in lo..<hi {
                    let i = Int(order[k])
                    history.append(day: paid.days[i], amount: Int64(paid.amounts[i]))
                }
                lastStamp = max(lastStamp, Int64(paid.lastStamp[member]))
                history.sort()
                try writeRow(write, member: Int64(member), history: history, lastStamp: lastStamp)
                continue
            }
            // Common path: sort this member's orders by day through packed keys (day ≪ 32 | index).
            keys.removeAll(keepingCapacity: true)
            let lastStamp = Int64(paid.lastStamp[member])
            var sum: Int64 = 0
            for k in lo..<hi {
                let i = Int(order[k])
                keys.append(UInt64(UInt32(bitPattern: paid.days[i])) << 32 | UInt64(i))
                sum += Int64(paid.amounts[i])
            }
            keys.sort()
            blob.removeAll(keepingCapacity: true)
            for key in keys {
                let i = Int(key & 0xFFFF_FFFF)
                withUnsafeBytes(of: paid.days[i].littleEndian) { blob.append(contentsOf: $0) }
                withUnsafeBytes(of: Int64(paid.amounts[i]).littleEndian) { blob.append(contentsOf: $0) }
            }
            insert.bind(1, Int64(member))
            insert.bind(2, Int64(paid.days[Int(keys.first! & 0xFFFF_FFFF)]))
            insert.bind(3, Int64(paid.days[Int(keys.last! & 0xFFFF_FFFF)]))
            TimeText(LocalTime(stamp: lastStamp)).withBytes { insert.bind(4, bytes: $0) }
            insert.bind(5, Int64(keys.count))
            insert.bind(6, sum)
            insert.bind(7, blob: blob)
            try insert.step()
        }
    }

    /// Recomputes the stats of the given members from their orders (after edits or status changes).
    static func recompute(members: some Sequence<Int64>, db: Database) throws {
        let read = try RawStatement(db, "SELECT paid_at, amount FROM orders WHERE member_id = ? AND status = 'paid' ORDER BY paid_at")
        let write = try RawStatement(db, upsertSQL)
        for member in members {
            var history = PaidHistory()
            var lastStamp: Int64 = .min
            read.bind(1, member)
            while sqlite3_step(read.handle) == SQLITE_ROW {
                guard let t = sqlite3_column_text(read.handle, 0), let lt = LocalTime.parse(String(cString: t)) else { continue }
                history.append(day: lt.day.number, amount: sqlite3_column_int64(read.handle, 1))
                lastStamp = max(lastStamp, lt.stamp)
            }
            sqlite3_reset(read.handle)
            try writeRow(write, member: member, history: history, lastStamp: lastStamp)
        }
    }

    /// Rebuilds every member's stats in one pass over orders in member order, each member's history
    /// sorted in memory (the fallback when a load's ids or amounts do not fit the compact columns).
    static func rebuildAll(db: Database) throws {
        try db.execute(sql: "DELETE FROM member_stats")
        let scan = try RawStatement(db, "SELECT member_id, paid_at, amount FROM orders INDEXED BY orders_member WHERE status = 'paid' ORDER BY member_id")
        let write = try RawStatement(db, insertSQL)
        var current: Int64 = -1
        var history = PaidHistory()
        var lastStamp: Int64 = .min
        while true {
            let rc = sqlite3_step(scan.handle)
            let member = rc == SQLITE_ROW ? sqlite3_column_int64(scan.handle, 0) : -2
            if member != current {
                if current >= 0 {
                    history.sort()
                    try writeRow(write, member: current, history: history, lastStamp: lastStamp)
                }
                current = member
                history = PaidHistory()
                lastStamp = .min
            }
            guard rc == SQLITE_ROW else { break }
            let len = Int(sqlite3_column_bytes(scan.handle, 1))
            guard let p = sqlite3_column_text(scan.handle, 1),
                  let t = LocalTime.parse(bytes: UnsafeBufferPointer(start: p, count: len)) else { continue }
            history.append(day: t.day.number, amount: sqlite3_column_int64(scan.handle, 2))
            lastStamp = max(lastStamp, t.stamp)
        }
        sqlite3_reset(scan.handle)
    }

    private static func writeRow(_ write: RawStatement, member: Int64, history: PaidHistory, lastStamp: Int64) throws {
        write.bind(1, member)
        if history.count > 0 {
            write.bind(2, Int64(history.days.first!))
            write.bind(3, Int64(history.days.last!))
            write.bind(4, LocalTime(stamp: lastStamp).description)
        } else {
            write.bind(2, nil as Int64?)
            write.bind(3, nil as Int64?)
            write.bind(4, nil as String?)
        }
        write.bind(5, Int64(history.count))
        write.bind(6, history.sum)
        write.bind(7, blob: history.blob)
        try write.step()
    }
}

/// Existing member_stats rows for the merge, as (history, latest paid moment): read in member order
/// through one cursor (bulk loads) or probed one member at a time (small loads).
private final class ExistingStats {
    private let statement: RawStatement
    private let ordered: Bool
    private var hasRow: Bool

    init(_ db: Database, ordered: Bool) throws {
        self.ordered = ordered
        statement = try RawStatement(db, ordered
            ? "SELECT member_id, paid_days, last_paid_at FROM member_stats ORDER BY member_id"
            : "SELECT member_id, paid_days, last_paid_at FROM member_stats WHERE member_id = ?")
        hasRow = ordered && sqlite3_step(statement.handle) == SQLITE_ROW
    }

    deinit { sqlite3_reset(statement.handle) }

    /// Members must be asked for in ascending order.
    func row(for member: Int64) throws -> (PaidHistory, Int64)? {
        let h = statement.handle
        if ordered {
            while hasRow && sqlite3_column_int64(h, 0) < member { hasRow = sqlite3_step(h) == SQLITE_ROW }
            guard hasRow && sqlite3_column_int64(h, 0) == member else { return nil }
        } else {
            sqlite3_reset(h)
            statement.bind(1, member)
            guard sqlite3_step(h) == SQLITE_ROW else { return nil }
        }
        var history = PaidHistory()
        var lastStamp: Int64 = .min
        if let p = sqlite3_column_blob(h, 1) {
            history = PaidHistory(blob: UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(h, 1))))
        }
        if let t = sqlite3_column_text(h, 2), let lt = LocalTime.parse(String(cString: t)) {
            lastStamp = lt.stamp
        }
        return (history, lastStamp)
    }
}
