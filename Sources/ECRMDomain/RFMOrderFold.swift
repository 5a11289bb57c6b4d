/// Where the "only paid orders count" filter lives (PRODUCT.md: Data, RFM): the store and the tests
/// feed orders of any status here, and refunded, closed or unpaid ones never reach R, F or M.
extension RFMAccumulator {
    /// Adds an order of any status; only `.paid` ones count.
    public mutating func add(day: Int32, amount: Fen, status: OrderStatus) {
        guard status == .paid else { return }
        add(day: day, amount: amount)
    }
}

extension RFM {
    /// One member's measure from their orders (any status, any order).
    public static func measure<S: Sequence>(orders: S, settings: RFMSettings) -> RFMMeasure
    where S.Element == (day: Day, amount: Fen, status: OrderStatus) {
        var acc = RFMAccumulator(settings: settings)
        for o in orders { acc.add(day: o.day.number, amount: o.amount, status: o.status) }
        return acc.measure()
    }
}
