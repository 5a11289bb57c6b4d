import GRDB
import GRDBSQLite

/// The rebuild's recency order of the members a large refresh keeps (SearchExtra): buyers by
/// (last paid, id) descending, as member_list_last lists them backwards, then the members who never
/// bought by id descending. One ordered pass over member_list_last; the rest in memory.
///
/// The members are those whose `flags[id]` has `live`; member ids are 0..<size.
struct RecencyOrder {
    /// The buyers by (last paid, id) ascending (the index's order: the rebuild's reversed).
    let buyers: [Int32]
    /// The other members, by id descending.
    let others: [Int32]
    /// Per member id, its place in the order (-1: not a member kept).
    let position: [Int32]

    init(_ db: Database, size: Int, flags: [UInt8], live: UInt8) throws {
        var buyers: [Int32] = []
        var others: [Int32] = []
        var position = [Int32](repeating: -1, count: size)
        try flags.withUnsafeBufferPointer { f in
            try position.withUnsafeMutableBufferPointer { position in
                let s = try RawStatement(db, ListOrders.recencyIdsSQL(db))
                defer { sqlite3_reset(s.handle) }
                let h = s.handle
                while try stepRow(h) {
                    let id = sqlite3_column_int64(h, 0)
                    guard id >= 0, id < size, f[Int(id)] & live != 0 else { continue }
                    buyers.append(Int32(id))
                }
                let count = Int32(buyers.count)
                for (i, id) in buyers.enumerated() { position[Int(id)] = count - 1 - Int32(i) }
                var p = count
                for id in stride(from: size - 1, through: 0, by: -1) where f[id] & live != 0 && position[id] < 0 {
                    others.append(Int32(id)); position[id] = p; p += 1
                }
            }
        }
        self.buyers = buyers
        self.others = others
        self.position = position
    }

    /// Every member, most recent first.
    func forEach(_ body: (Int32) -> Void) {
        for id in buyers.reversed() { body(id) }
        for id in others { body(id) }
    }
}
