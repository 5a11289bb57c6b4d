/// The members' recency ranks (PostingLayout): rk 0 = the latest paid order (ties: the higher id
/// first); members who never bought come last, newest member first. Members are named by their
/// ordinal k (the k-th member in id order).
struct SearchRanks: Sendable {
    /// Per member ordinal, its rank.
    let ranks: [UInt32]
    /// The member ordinals in rank order (rk is the position).
    let order: [Int32]

    /// `buyers`: the ordinals of the members with a paid order, by (last paid moment, id) ascending.
    init(count: Int, buyersByLastPaid buyers: [Int32]) {
        var ranks = [UInt32](repeating: .max, count: count)
        var order: [Int32] = []
        order.reserveCapacity(count)
        order.append(contentsOf: buyers.reversed())
        for (rk, k) in order.enumerated() { ranks[Int(k)] = UInt32(rk) }
        for k in (0..<count).reversed() where ranks[k] == .max {
            ranks[k] = UInt32(order.count)
            order.append(Int32(k))
        }
        self.ranks = ranks
        self.order = order
    }

    /// From each member's latest paid moment (`lastStamps[ordinal]`, seconds as NewOrders keeps
    /// them, 0 = never paid), for members 1...n in id order: the order member_stats' last_paid_at
    /// gives, as that text is the moment written out in fixed width.
    init(lastStamps: [UInt32]) {
        var keys: [UInt64] = []
        for (k, stamp) in lastStamps.enumerated() where stamp != 0 { keys.append(UInt64(stamp) << 32 | UInt64(k)) }
        keys.withUnsafeMutableBufferPointer { keys in
            RadixSort.withScratch { RadixSort.sort(keys, fromShift: 56, scratch: $0) }
        }
        self.init(count: lastStamps.count, buyersByLastPaid: keys.map { Int32(truncatingIfNeeded: $0 & 0xFFFF_FFFF) })
    }
}
