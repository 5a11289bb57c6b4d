import ECRMDomain

/// A load's new paid orders in compact columns: 12 bytes an order instead of a 40-byte struct,
/// so 5M orders fit in ~60 MB and member_stats can be merged without rescanning the orders table.
/// Each order keeps its paid moment (seconds since 1970, local wall time), whose day is stamp / 86400:
/// the merge takes each member's latest moment while it goes through that member's orders anyway,
/// instead of the writing thread updating a per-member maximum at a random place for every order.
struct NewPaidOrders: Sendable {
    var members: [Int32] = []
    var stamps: [UInt32] = []
    var amounts: [Int32] = []
    /// An id, amount or date did not fit 32 bits: fall back to rebuilding stats from the orders index.
    var overflowed = false

    var count: Int { members.count }

    /// Reserves room up front: growing by doubling would briefly hold two copies (~2x the memory).
    mutating func reserve(orders: Int) {
        members.reserveCapacity(orders); stamps.reserveCapacity(orders); amounts.reserveCapacity(orders)
    }

    mutating func append(member: Int64, time: LocalTime, amount: Int64) {
        guard !overflowed else { return }
        let stamp = time.stamp
        guard member <= Int64(Int32.max), amount <= Int64(Int32.max), stamp > 0, stamp <= Int64(UInt32.max) else {
            overflowed = true
            members = []; stamps = []; amounts = []
            return
        }
        members.append(Int32(member))
        stamps.append(UInt32(stamp))
        amounts.append(Int32(amount))
    }

    /// The day number of order i (days since 1970, as Day.number counts them).
    @inline(__always)
    func day(_ i: Int) -> Int32 { Int32(stamps[i] / 86400) }
}
