import ECRMDomain

/// A bulk load's new paid orders in compact columns: 16 bytes an order instead of a 40-byte struct,
/// so 5M orders fit in ~80 MB and member_stats can be merged without rescanning the orders table.
struct BulkPaidOrders {
    var members: [Int32] = []
    var days: [Int32] = []
    var seconds: [Int32] = []
    var amounts: [Int32] = []
    /// An id or amount did not fit 32 bits: fall back to rebuilding stats from the orders index.
    var overflowed = false

    var count: Int { members.count }

    mutating func append(member: Int64, time: LocalTime, amount: Int64) {
        guard !overflowed else { return }
        guard member <= Int64(Int32.max), amount <= Int64(Int32.max) else {
            overflowed = true
            members = []; days = []; seconds = []; amounts = []
            return
        }
        members.append(Int32(member))
        days.append(time.day.number)
        seconds.append(time.secondOfDay)
        amounts.append(Int32(amount))
    }
}
