import ECRMDomain

/// A load's new paid orders in compact columns: 12 bytes an order instead of a 40-byte struct,
/// so 5M orders fit in ~60 MB and member_stats can be merged without rescanning the orders table.
/// The time of day matters only for each member's latest order, kept per member (4 bytes each).
struct NewPaidOrders {
    var members: [Int32] = []
    var days: [Int32] = []
    var amounts: [Int32] = []
    /// Latest paid moment per member id, as seconds since 1970 (0 = none in this load).
    var lastStamp: [UInt32] = []
    /// An id, amount or date did not fit 32 bits: fall back to rebuilding stats from the orders index.
    var overflowed = false

    var count: Int { members.count }

    /// Reserves room up front: growing by doubling would briefly hold two copies (~2x the memory).
    mutating func reserve(orders: Int) {
        members.reserveCapacity(orders); days.reserveCapacity(orders); amounts.reserveCapacity(orders)
    }

    mutating func append(member: Int64, time: LocalTime, amount: Int64) {
        guard !overflowed else { return }
        let stamp = time.stamp
        guard member <= Int64(Int32.max), amount <= Int64(Int32.max), stamp > 0, stamp <= Int64(UInt32.max) else {
            overflowed = true
            members = []; days = []; amounts = []; lastStamp = []
            return
        }
        members.append(Int32(member))
        days.append(time.day.number)
        amounts.append(Int32(amount))
        let m = Int(member)
        if m >= lastStamp.count { lastStamp.append(contentsOf: repeatElement(0, count: max(m + 1 - lastStamp.count, lastStamp.count / 2 + 1024))) }
        lastStamp[m] = max(lastStamp[m], UInt32(stamp))
    }
}
