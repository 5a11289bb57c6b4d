import ECRMDomain

/// A load's new orders in compact columns, 16 bytes an order instead of a 40-byte struct, so that
/// after the rows member_stats (paid orders) and member_orders (every order) are merged without
/// rescanning the orders table or keeping an orders-by-member index.
/// Each paid order keeps its paid moment (seconds since 1970, local wall time; 0 = not paid),
/// whose day is stamp / 86400: the merge takes each member's latest moment while it goes through
/// that member's orders anyway, instead of the writer updating a per-member maximum for every order.
/// Order ids are kept as steps from the previous one: files list orders in id order, so the step
/// fits 32 bits; one that does not is kept whole in `farIds`. A file far from id order would make
/// that 8 more bytes an order, so past `farIdLimit` such ids the ids are dropped (`idsDropped`) and
/// member_orders is rebuilt from the table instead (slower, but memory stays flat).
struct NewOrders: Sendable {
    static let farIdLimit = 65_536

    var members: [Int32] = []
    var idSteps: [UInt32] = []
    var farIds: [Int64] = []
    var stamps: [UInt32] = []
    var amounts: [Int32] = []
    private(set) var paidCount = 0
    private var lastId: Int64 = 0
    private(set) var idsDropped = false
    /// A member id, paid amount or paid date did not fit 32 bits: the caller rebuilds stats and
    /// order lists from the orders table instead.
    private(set) var overflowed = false

    var count: Int { members.count }

    /// Reserves room up front: growing by doubling would briefly hold two copies (~2x the memory).
    mutating func reserve(orders: Int) {
        members.reserveCapacity(orders); idSteps.reserveCapacity(orders)
        stamps.reserveCapacity(orders); amounts.reserveCapacity(orders)
    }

    /// `paid`: the paid moment and amount of a paid order, nil for any other status.
    mutating func append(member: Int64, orderId: Int64, paid: (time: LocalTime, amount: Int64)?) {
        guard !overflowed else { return }
        let stamp = paid?.time.stamp ?? 0
        let amount = paid?.amount ?? 0
        guard member >= 0, member <= Int64(Int32.max), amount >= 0, amount <= Int64(Int32.max),
              paid == nil || (stamp > 0 && stamp <= Int64(UInt32.max)) else {
            self = NewOrders(overflowed: true)
            return
        }
        if !idsDropped {
            let (step, wrapped) = orderId.subtractingReportingOverflow(lastId)
            if !wrapped, step >= 0, step < Int64(UInt32.max) {
                idSteps.append(UInt32(step))
            } else {
                idSteps.append(.max)
                farIds.append(orderId)
                if farIds.count > Self.farIdLimit && farIds.count * 4 > idSteps.count {
                    idsDropped = true
                    idSteps = []
                    farIds = []
                }
            }
            lastId = orderId
        }
        members.append(Int32(member))
        stamps.append(UInt32(stamp))
        amounts.append(Int32(amount))
        if paid != nil { paidCount += 1 }
    }

    private init(overflowed: Bool) { self.overflowed = overflowed }
    init() {}

    @inline(__always)
    func isPaid(_ i: Int) -> Bool { stamps[i] != 0 }

    /// The day number of paid order i (days since 1970, as Day.number counts them).
    @inline(__always)
    func day(_ i: Int) -> Int32 { Int32(stamps[i] / 86400) }

    /// Calls body(i, order id) for every order, in load order (ids are decoded from their steps).
    /// Not for a load whose ids were dropped.
    func forEachId(_ body: (Int, Int64) throws -> Void) rethrows {
        precondition(!idsDropped, "order ids were dropped: rebuild the lists from the table")
        var id: Int64 = 0
        var far = 0
        for i in 0..<idSteps.count {
            let step = idSteps[i]
            if step == .max { id = farIds[far]; far += 1 } else { id &+= Int64(step) }
            try body(i, id)
        }
    }

    /// Each member's latest paid moment among these orders (as `stamps`; 0 = none), at index
    /// id - `first` for the `count` members from `first`: what member_stats will say of the load's
    /// orders, which the early search work predicts (BulkLoader: EarlyPairs' ranks, EarlyExtra's
    /// order). Nil when an order's member is below `first`, or above the range unless `ignoringAbove`.
    func latestPaid(from first: Int, count n: Int, ignoringAbove: Bool) -> [UInt32]? {
        var last = [UInt32](repeating: 0, count: n)
        let ok = members.withUnsafeBufferPointer { members in
            stamps.withUnsafeBufferPointer { stamps in
                last.withUnsafeMutableBufferPointer { last in
                    for i in 0..<members.count where stamps[i] != 0 {
                        let k = Int(members[i]) - first
                        guard k >= 0 else { return false }
                        if k < n { last[k] = max(last[k], stamps[i]) } else if !ignoringAbove { return false }
                    }
                    return true
                }
            }
        }
        return ok ? last : nil
    }

    /// Drops the paid columns once member_stats has them (the order lists need only ids and members).
    mutating func releasePaidColumns() {
        stamps = []
        amounts = []
    }
}
