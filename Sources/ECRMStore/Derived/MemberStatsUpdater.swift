import Foundation
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
    /// Off: every existing row is merged the general way (PaidHistory), as before RowMerge (tests compare both).
    nonisolated(unsafe) static var mergesBytes = true

    static let insertSQL = "INSERT INTO member_stats(member_id, first_paid, last_paid, last_paid_at, paid_count, paid_sum, paid_days) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"

    /// Merges a load's new paid orders into member_stats: a counting sort by member, then one pass
    /// in member order. A second thread sorts each member's orders and packs the rows while this one
    /// writes them (the two halves measured 0.55 s and 1.2 s for 5M orders). Existing stats rows are
    /// read by a merge join over the whole table for bulk loads (`scanExisting`), or probed per
    /// member for small loads into a big store; a member who has one gets the histories merged here.
    /// Those rewrites are SQLite's page work: issue 19's 99.5k existing members with new orders
    /// touch nearly every page of a 1M-row table, and each row grows. Measured with sqlite3: an
    /// UPDATE instead of the upsert, or a 64 MB page cache, took the same CPU (~0.2 s over reading
    /// the rows); the same holds for member_orders (MemberOrderLists.merge). What is left on this
    /// thread is mostly theirs (perf, the 1M channel import: a third of it in pwrite, the page
    /// spills and their rollback journal); the rows' own merging went from PaidHistory arrays, a
    /// parsed and formatted String time and an array blob a row to RowMerge's bytes: this thread's
    /// CPU here 0.66 and 0.78 s against 0.56 and 0.54 s (ECRM_STATS_TIMING, paired, loaded machine).
    /// Did not pay: the histories per channel in their own table (key channel << 40 | member), so
    /// a channel import appends its rows, with member_stats a narrow summary (9.9k pages against
    /// 24k). Prototyped (writes and readers, branch h17-stats; its rows checked against the
    /// orders), nine pairs at load 4-10: this thread 0.57 → 0.42 s CPU, the stats phase
    /// 1.76 → 1.29 s wall and 1.32 → 1.20 s CPU, the process 8.38 → 7.99 s CPU (medians; in the
    /// load the 98.6k summary UPDATEs took 0.3 s CPU, against 0.13 s wall for sqlite3 alone). But
    /// every load then writes two tables' pages: a day's 5,000 orders with RFM (`ecrm-bench
    /// import-orders --rfm`, after yesterday's; seven pairs) 0.83 → 0.91 s CPU and 1.20 → 1.34 s
    /// wall, its commit 0.42 → 0.51 s; the first 1M/5M load's stats phase ~1 s more CPU (2M rows
    /// for 1M). Nor is a row's growth what costs here: 97.8k wide rows updated with sqlite3 took
    /// 0.75-0.88 s with 24 more bytes of history each, 0.84-1.18 s without (0.07 s more user CPU;
    /// the rest is the pages' I/O).
    /// `lists`: a bulk refresh's pending changes to the list orders (ListOrders), whose triggers it
    /// dropped: each rewritten row's old keys and each written row's new ones go there.
    static func merge(_ paid: NewOrders, scanExisting: Bool, lists: ListOrders.Pending? = nil, db: Database) throws {
        guard paid.paidCount > 0 else { return }
        try StatsVersion.bump(db)
        let byMember = PaidByMember(paid)
        let existing = try ExistingRows(db, table: "member_stats", columns: "member_id, paid_days, last_paid_at, paid_sum", ordered: scanExisting) {
            ExistingRows.members(in: byMember.offsets, upTo: $0)
        }
        let rows = ProducerThread<FreshStats>(capacity: 8) { try byMember.freshStats($0) }
        defer { rows.cancel() }
        let write = try RawStatement(db, upsertSQL)
        // New rows go in BatchInsert.size to a statement: one statement per member was about a third of
        // this phase on its (the writing) thread. OR FAIL: a statement that may stop half-way (ABORT,
        // the default) writes every page it changes that the transaction had already changed to a
        // statement journal first, so that SQLite can undo it alone; appended rows change the same
        // right-edge pages statement after statement, so the channel import's 236k new rows wrote
        // ~15k pages (~60 MB) to a temporary file. Nothing here undoes a statement alone: a refused
        // row fails the load, and the transaction rolls back.
        let append = try BatchInsert(db, "INSERT OR FAIL INTO member_stats(member_id, first_paid, last_paid, last_paid_at, paid_count, paid_sum, paid_days)",
                                     values: "(?, ?, ?, ?, ?, ?, ?)", columns: 7)
        var keys = try AppendKey(db, table: "member_stats", column: "member_id")
        var fresh: [Int] = []
        var merged = RowMerge()
        let clock = TimingLog.stats.isOn ? TimingLog.threadCPU() : 0
        while let batch = try rows.next() {
            func blob(_ i: Int) -> Range<Int> { (i == 0 ? 0 : batch.blobEnds[i - 1])..<batch.blobEnds[i] }
            fresh.removeAll(keepingCapacity: true)
            try batch.blob.withUnsafeBytes { bytes in
                for i in batch.members.indices {
                    let member = Int64(batch.members[i])
                    guard let row = try existing.row(of: member) else { fresh.append(i); continue }
                    lists?.removed(member: member, row: row, lastColumn: 2, sumColumn: 3)
                    // Orders added to members who already had paid orders: the histories merged.
                    if Self.mergesBytes, try merged.write(write, member: member, existing: row, added: UnsafeRawBufferPointer(rebasing: bytes[blob(i)]),
                                        lastStamp: batch.lastStamps[i], lastText: batch.lastTexts[i]) {
                        lists?.added(member: member, lastStamp: merged.written.stamp, sum: merged.written.sum)
                        continue
                    }
                    var (history, lastStamp) = existingStats(row)
                    for k in byMember.orders(of: Int(member)) { history.append(day: paid.day(k), amount: Int64(paid.amounts[k])) }
                    lastStamp = max(lastStamp, Int64(batch.lastStamps[i]))
                    history.sort()
                    try writeRow(write, member: member, history: history, lastStamp: lastStamp)
                    lists?.added(member: member, lastStamp: lastStamp, sum: history.sum)
                    merged.general += 1
                }
            }
            for i in fresh { lists?.added(member: Int64(batch.members[i]), lastStamp: Int64(batch.lastStamps[i]), sum: batch.sums[i]) }
            try batch.blob.withUnsafeBytes { bytes in
                try append.insert(fresh) { s, i, k in
                    let range = blob(i)
                    keys.bind(s, k + 1, Int64(batch.members[i]))
                    s.bind(k + 2, Int64(batch.firstDays[i]))
                    s.bind(k + 3, Int64(batch.lastDays[i]))
                    batch.lastTexts[i].withBytes { s.bind(k + 4, bytes: $0) }
                    s.bind(k + 5, Int64(range.count / 12))
                    s.bind(k + 6, batch.sums[i])
                    s.bind(k + 7, blob: UnsafeRawBufferPointer(rebasing: bytes[range]))
                }
            }
            try keys.check()
        }
        if TimingLog.stats.isOn {
            TimingLog.stats.write(String(format: "stats merge: %d merged (%d the general way), writing thread %.2f s CPU",
                                         merged.rows + merged.general, merged.general, TimingLog.threadCPU() - clock))
        }
    }

    /// Recomputes the stats of the given members from their orders (after edits or status changes),
    /// found through their member_orders lists (which must be current).
    static func recompute(members: some Sequence<Int64>, db: Database) throws {
        try StatsVersion.bump(db)
        let read = try RawStatement(db, "SELECT paid_at, amount FROM orders WHERE order_id = ? AND status = 'paid'")
        let write = try RawStatement(db, upsertSQL)
        for member in members {
            var history = PaidHistory()
            var lastStamp: Int64 = .min
            for order in try MemberOrderLists.ids(of: member, db) {
                read.bind(1, order)
                defer { sqlite3_reset(read.handle) }
                guard try read.next(), let t = sqlite3_column_text(read.handle, 0),
                      let lt = LocalTime.parse(String(cString: t)) else { continue }
                history.append(day: lt.day.number, amount: sqlite3_column_int64(read.handle, 1))
                lastStamp = max(lastStamp, lt.stamp)
            }
            history.sort()
            try writeRow(write, member: member, history: history, lastStamp: lastStamp)
        }
    }

    /// Rebuilds every member's stats in one pass over orders in member order (SQLite sorts them, with
    /// bounded memory), each member's history sorted in memory: the fallback when a load's ids or
    /// amounts do not fit the compact columns.
    static func rebuildAll(db: Database) throws {
        try StatsVersion.bump(db)
        try db.execute(sql: "DELETE FROM member_stats")
        let scan = try RawStatement(db, "SELECT member_id, paid_at, amount FROM orders WHERE status = 'paid' ORDER BY member_id")
        let write = try RawStatement(db, insertSQL)
        var current: Int64 = -1
        var history = PaidHistory()
        var lastStamp: Int64 = .min
        while true {
            let hasRow = try scan.next()
            let member = hasRow ? sqlite3_column_int64(scan.handle, 0) : -2
            if member != current {
                if current >= 0 {
                    history.sort()
                    try writeRow(write, member: current, history: history, lastStamp: lastStamp)
                }
                current = member
                history = PaidHistory()
                lastStamp = .min
            }
            guard hasRow else { break }
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

/// An existing member_stats row and a load's new paid orders of the member, merged as bytes: both
/// paid_days blobs are sorted by day, so one pass interleaves their 12-byte entries (the member's
/// existing ones first on a day both have, as the sort after appending put them), and the latest
/// paid moment is the later of the stored one and the load's. No arrays, no String a row.
/// The general way (PaidHistory, sorted again) stays for a stored blob that is not whole entries
/// sorted by day.
private struct RowMerge {
    private var buffer = [UInt8](repeating: 0, count: 4096)
    /// Rows written here, and rows left to the general way.
    private(set) var rows = 0
    var general = 0
    /// The last row written: its latest paid moment and its sum (the list orders' new keys).
    private(set) var written: (stamp: Int64, sum: Int64) = (0, 0)

    /// Writes the member's merged row with `write` (the upsert), from the stored row `existing`
    /// (member_id, paid_days, last_paid_at) and the new orders' sorted entries `added` with their
    /// latest moment; false (nothing written) when the stored blob needs the general way.
    mutating func write(_ write: RawStatement, member: Int64, existing: OpaquePointer, added: UnsafeRawBufferPointer,
                        lastStamp: UInt32, lastText: TimeText) throws -> Bool {
        let old = sqlite3_column_blob(existing, 1).map {
            UnsafeRawBufferPointer(start: $0, count: Int(sqlite3_column_bytes(existing, 1)))
        } ?? UnsafeRawBufferPointer(start: nil, count: 0)
        let entry = 12
        guard old.count % entry == 0, added.count % entry == 0, added.count > 0 else { return false }
        func day(_ b: UnsafeRawBufferPointer, _ k: Int) -> Int32 { Int32(littleEndian: b.loadUnaligned(fromByteOffset: k * entry, as: Int32.self)) }
        func amount(_ b: UnsafeRawBufferPointer, _ k: Int) -> Int64 { Int64(littleEndian: b.loadUnaligned(fromByteOffset: k * entry + 4, as: Int64.self)) }
        let n = old.count / entry, m = added.count / entry
        for k in stride(from: 1, to: n, by: 1) where day(old, k) < day(old, k - 1) { return false }
        if buffer.count < old.count + added.count { buffer = [UInt8](repeating: 0, count: 2 * (old.count + added.count)) }
        var sum: Int64 = 0
        buffer.withUnsafeMutableBytes { out in
            var i = 0, j = 0, o = 0
            while i < n || j < m {
                let fromOld = j == m || (i < n && day(old, i) <= day(added, j))
                let (b, k) = fromOld ? (old, i) : (added, j)
                sum += amount(b, k)
                out.baseAddress!.advanced(by: o).copyMemory(from: b.baseAddress!.advanced(by: k * entry), byteCount: entry)
                o += entry
                if fromOld { i += 1 } else { j += 1 }
            }
        }
        // The later moment: the stored one when it reads as a time and is later (as LocalTime
        // formats it again), else the load's.
        var text = lastText
        var stamp = Int64(lastStamp)
        if let p = sqlite3_column_text(existing, 2),
           let t = LocalTime.parse(bytes: UnsafeBufferPointer(start: p, count: strlen(UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self)))),
           t.stamp > Int64(lastStamp) {
            text = TimeText(LocalTime(stamp: t.stamp))
            stamp = t.stamp
        }
        let count = n + m
        try buffer.withUnsafeBytes { out in
            let merged = UnsafeRawBufferPointer(rebasing: out[0..<(count * entry)])
            write.bind(1, member)
            write.bind(2, Int64(day(merged, 0)))
            write.bind(3, Int64(day(merged, count - 1)))
            text.withBytes { write.bind(4, bytes: $0) }
            write.bind(5, Int64(count))
            write.bind(6, sum)
            write.bind(7, blobUntilStep: merged)
            try write.step()
        }
        rows += 1
        written = (stamp, sum)
        return true
    }
}

/// A member's existing stats row as (history, latest paid moment).
private func existingStats(_ h: OpaquePointer) -> (PaidHistory, Int64) {
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

/// A load's new paid orders grouped by member (a counting sort: member ids are dense).
private struct PaidByMember: Sendable {
    let paid: NewOrders
    /// Member m's orders are order[offsets[m]..<offsets[m + 1]] (indexes into `paid`).
    let offsets: [Int32]
    let order: [Int32]

    init(_ paid: NewOrders) {
        self.paid = paid
        let maxMember = Int(paid.members.max()!)
        var offsets = [Int32](repeating: 0, count: maxMember + 2)
        for (k, m) in paid.members.enumerated() where paid.isPaid(k) { offsets[Int(m) + 1] += 1 }
        for i in 1..<offsets.count { offsets[i] += offsets[i - 1] }
        var order = [Int32](repeating: 0, count: paid.paidCount)
        var fill = offsets
        for (k, m) in paid.members.enumerated() where paid.isPaid(k) {
            order[Int(fill[Int(m)])] = Int32(k)
            fill[Int(m)] += 1
        }
        self.offsets = offsets
        self.order = order
    }

    func orders(of member: Int) -> some Sequence<Int> {
        order[Int(offsets[member])..<Int(offsets[member + 1])].lazy.map { Int($0) }
    }

    /// Every member's row as if it had no stats yet, in member order, in batches.
    func freshStats(_ put: (FreshStats) throws -> Void) throws {
        var batch = FreshStats()
        var keys: [UInt64] = []   // reused: no allocation per member
        for member in 0..<(offsets.count - 1) {
            let lo = Int(offsets[member]), hi = Int(offsets[member + 1])
            guard hi > lo else { continue }
            // This member's orders sorted by day through packed keys (day << 32 | index).
            keys.removeAll(keepingCapacity: true)
            var sum: Int64 = 0
            var lastStamp: UInt32 = 0
            for k in lo..<hi {
                let i = Int(order[k])
                keys.append(UInt64(UInt32(bitPattern: paid.day(i))) << 32 | UInt64(i))
                sum += Int64(paid.amounts[i])
                lastStamp = max(lastStamp, paid.stamps[i])
            }
            if keys.count > 1 { keys.sort() }
            for key in keys {
                let i = Int(key & 0xFFFF_FFFF)
                withUnsafeBytes(of: paid.day(i).littleEndian) { batch.blob.append(contentsOf: $0) }
                withUnsafeBytes(of: Int64(paid.amounts[i]).littleEndian) { batch.blob.append(contentsOf: $0) }
            }
            batch.members.append(Int32(member))
            batch.firstDays.append(paid.day(Int(keys.first! & 0xFFFF_FFFF)))
            batch.lastDays.append(paid.day(Int(keys.last! & 0xFFFF_FFFF)))
            batch.lastStamps.append(lastStamp)
            batch.lastTexts.append(TimeText(LocalTime(stamp: Int64(lastStamp))))
            batch.sums.append(sum)
            batch.blobEnds.append(batch.blob.count)
            if batch.members.count == 4096 {
                try put(batch)
                batch = FreshStats()
            }
        }
        if !batch.members.isEmpty { try put(batch) }
    }
}

/// Member rows computed from new paid orders alone, in member order; each one's paid_days blob is
/// blob[blobEnds[i - 1]..<blobEnds[i]] (from 0 for the first).
private struct FreshStats: Sendable {
    var members: [Int32] = []
    var firstDays: [Int32] = []
    var lastDays: [Int32] = []
    var lastStamps: [UInt32] = []
    /// last_paid_at as stored, formatted here rather than on the writing thread.
    var lastTexts: [TimeText] = []
    var sums: [Int64] = []
    var blobEnds: [Int] = []
    var blob: [UInt8] = []
}
