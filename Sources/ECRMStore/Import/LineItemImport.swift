import Foundation
import CSVStream
import ECRMDomain

/// Shopify's and TikTok Shop's order exports (PRODUCT.md: Channels): one row per line item, the
/// order-level values on the order's first row (Shopify) or on every row (TikTok). Recognised by
/// their header; folded into one order per order number, item counts summed, the amount once.
/// Such exports are a shop's own few thousand orders, so a file is folded in memory before loading.
struct LineItemLayout: Sendable {
    enum Kind: String, Sendable { case shopify = "shopify-orders", tiktok = "tiktok-orders" }
    let kind: Kind
    let channel: Channel
    let number, buyer, status, paidAt, total, quantity: Int
    let refunded, name, phone, province, city: Int?

    static func recognise(_ h: CSVHeader) -> LineItemLayout? {
        if let n = h.index(of: "Name"), let e = h.index(of: "Email"), let s = h.index(of: "Financial Status"),
           let p = h.index(of: "Paid at"), let t = h.index(of: "Total"), let q = h.index(of: "Lineitem quantity") {
            return .init(kind: .shopify, channel: .shopify, number: n, buyer: e, status: s, paidAt: p, total: t, quantity: q,
                         refunded: h.index(of: "Refunded Amount"), name: h.index(of: "Billing Name"), phone: h.index(of: "Phone"),
                         province: h.index(of: "Billing Province"), city: h.index(of: "Billing City"))
        }
        if let n = h.index(of: "Order ID"), let s = h.index(of: "Order Status"), let p = h.index(of: "Paid Time"),
           let t = h.index(of: "Order Amount"), let b = h.index(of: "Buyer Username"), let q = h.index(of: "Quantity") {
            return .init(kind: .tiktok, channel: .tiktok, number: n, buyer: b, status: s, paidAt: p, total: t, quantity: q,
                         refunded: nil, name: h.index(of: "Recipient"), phone: h.index(of: "Phone #"),
                         province: h.index(of: "State"), city: h.index(of: "City"))
        }
        return nil
    }

    func status(_ word: String) -> OrderStatus? {
        switch kind {
        case .shopify:
            switch word.lowercased() {
            case "paid", "partially_refunded": return .paid
            case "refunded": return .refunded
            case "pending", "authorized", "unpaid", "partially_paid": return .unpaid
            case "voided": return .closed
            default: return nil
            }
        case .tiktok:
            switch word.lowercased() {
            case "completed", "delivered", "shipped", "to ship", "awaiting shipment", "awaiting collection", "in transit": return .paid
            case "cancelled", "canceled": return .closed
            case "unpaid": return .unpaid
            default: return nil
            }
        }
    }

    /// An amount as these exports write it: `12.50`, `$12.50`, `1,234.50`.
    static func amount(_ text: String) -> Result<Int64, RowProblem> {
        var t = text.trimmingSpaces()
        if let f = t.first, "$€£".contains(f) { t.removeFirst() }
        switch Money.checkYuan(t) {
        case .success(let fen): return .success(fen)
        case .failure(let p): return .failure(RowProblem(message: t.isEmpty ? StoreMessages.rows.missingAmount : StoreMessages.rows.amount(text, p)))
        }
    }

    /// One folded order: its first row's values, the items of all its rows.
    struct Folded {
        var row: BulkLoader.OrderRow
        var firstLine: Int
        var orderLevel: [String]
    }

    /// The order-level values compared between rows of one order (empty ones are not compared).
    func orderLevel(_ r: borrowing CSVRecord) -> [String] {
        ([buyer, status, paidAt, total] + [refunded].compactMap { $0 }).map { r.string(at: $0).trimmingSpaces() }
    }

    var orderLevelNames: [String] {
        switch kind {
        case .shopify: ["Email", "Financial Status", "Paid at", "Total", "Refunded Amount"]
        case .tiktok: ["Buyer Username", "Order Status", "Paid Time", "Order Amount"]
        }
    }

    /// Folds the file: good orders in the order their first rows came, rejected rows, and warnings
    /// for a later row whose order-level values disagree with the first (the first row wins).
    func fold(_ reader: CSVReader, latestPaidDay: Day, timeZone: TimeZone) throws
        -> (orders: [BulkLoader.OrderRow], problems: [ImportReport.Problem], warnings: [ImportReport.Problem]) {
        var folded: [Folded] = []
        var at: [String: Int] = [:]
        var rejectedAt: [String: Int] = [:]
        var problems: [ImportReport.Problem] = []
        var warnings: [ImportReport.Problem] = []
        try reader.forEachRecord({ r in
            let line = r.line
            let number = ImportFormat.unwrapExcel(r.string(at: self.number))
            if let p = StoreMessages.rows.order(number) { problems.append(.init(line: line, reason: p)); return }
            let qText = r.string(at: quantity).trimmingSpaces()
            guard let q = qText.isEmpty ? 1 : Int64(qText), q >= 0 else {
                problems.append(.init(line: line, reason: StoreMessages.rows.badQuantity(qText))); return
            }
            if let k = at[number] {
                folded[k].row.items += q
                let values = orderLevel(r)
                for (i, v) in values.enumerated() where !v.isEmpty && v != folded[k].orderLevel[i] {
                    warnings.append(.init(line: line, reason: StoreMessages.rows.differs(number, column: orderLevelNames[i], value: v,
                                                                                        firstLine: folded[k].firstLine, first: folded[k].orderLevel[i])))
                }
                return
            }
            if let first = rejectedAt[number] {
                problems.append(.init(line: line, reason: StoreMessages.rows.rejectedEarlier(number, line: first))); return
            }
            switch firstRow(r, number: number, items: q, latestPaidDay: latestPaidDay, timeZone: timeZone) {
            case .failure(let p):
                problems.append(.init(line: line, reason: p.message))
                rejectedAt[number] = line
            case .success(let row):
                at[number] = folded.count
                folded.append(Folded(row: row, firstLine: line, orderLevel: orderLevel(r)))
            }
        }, onError: { e in problems.append(.init(line: e.recordLine, reason: StoreMessages.rows.unreadable(e))) })
        return (folded.map(\.row), problems, warnings)
    }

    private func firstRow(_ r: borrowing CSVRecord, number: String, items: Int64, latestPaidDay: Day, timeZone: TimeZone) -> Result<BulkLoader.OrderRow, RowProblem> {
        let buyerId = r.string(at: buyer).trimmingSpaces()
        if let p = ImportFormat.idProblem(buyerId, kind == .shopify ? "Email" : "Buyer Username") { return .failure(p) }
        let word = r.string(at: status).trimmingSpaces()
        guard let st = status(word) else { return .failure(RowProblem(message: StoreMessages.rows.unknownStatus(word))) }
        var fen: Int64
        switch Self.amount(r.string(at: total)) {
        case .success(let f): fen = f
        case .failure(let p): return .failure(p)
        }
        // Shopify: a partly refunded order counts what the buyer kept.
        if kind == .shopify, word.lowercased() == "partially_refunded", let ri = refunded {
            let rText = r.string(at: ri)
            if !rText.trimmingSpaces().isEmpty {
                switch Self.amount(rText) {
                case .success(let back): fen = max(0, fen - back)
                case .failure(let p): return .failure(RowProblem(message: "Refunded Amount: " + p.message))
                }
            }
        }
        let paidText = r.string(at: paidAt).trimmingSpaces()
        var paid: LocalTime?
        if !paidText.isEmpty {
            switch ShopTime.local(paidText, in: timeZone) {
            case .success(let t): paid = t
            case .failure(let p): return .failure(p)
            }
        } else if st == .paid {
            return .failure(RowProblem(message: StoreMessages.rows.missingPaidTime))
        }
        if let t = paid, t.day > latestPaidDay {
            return .failure(RowProblem(message: StoreMessages.rows.future(t, after: latestPaidDay)))
        }
        var row = BulkLoader.OrderRow(orderId: 0, buyerId: buyerId, nick: nil, paidAt: paid, amount: fen, status: st, items: items)
        row.number = OrderNumberText(number)
        row.line = r.line
        func opt(_ i: Int?) -> String? { i.flatMap { r.isEmpty(at: $0) ? nil : r.string(at: $0).trimmingSpaces() } }
        row.nick = opt(name)
        row.taobaoRaw = .init(name: opt(name), mobile: opt(phone), address: nil, province: opt(province), city: opt(city))
        return .success(row)
    }
}

/// Times in the shop's local time (PRODUCT.md: Data). The shop's time zone is this machine's
/// (TZ, else /etc/localtime): a time with an offset (`2024-03-01 10:00:00 +0800`, `+08:00`, `Z`)
/// is moved into it; one without is taken as already local.
enum ShopTime {
    static func local(_ text: String, in zone: TimeZone) -> Result<LocalTime, RowProblem> {
        var t = text.trimmingSpaces()
        var offset: Int?
        if t.hasSuffix("Z") || t.hasSuffix(" UTC") {
            t = String(t.dropLast(t.hasSuffix("Z") ? 1 : 4)).trimmingSpaces(); offset = 0
        } else if let signAt = t.lastIndex(where: { $0 == "+" || $0 == "-" }), t.distance(from: t.startIndex, to: signAt) >= 16 {
            let tail = t[t.index(after: signAt)...].filter { $0 != ":" }
            guard tail.count == 4, let hh = Int(tail.prefix(2)), let mm = Int(tail.suffix(2)), hh <= 14, mm < 60, [0, 30, 45].contains(mm) else {
                return .failure(RowProblem(message: StoreMessages.rows.badOffset(text)))
            }
            offset = (hh * 3600 + mm * 60) * (t[signAt] == "-" ? -1 : 1)
            if offset! < -12 * 3600 { return .failure(RowProblem(message: StoreMessages.rows.badOffset(text))) }
            t = String(t[..<signAt]).trimmingSpaces()
        }
        if t.count > 19, t.dropFirst(10).first == "T" { t = String(t.prefix(10)) + " " + String(t.dropFirst(11)) }
        guard let wall = LocalTime.parse(t) else { return .failure(RowProblem(message: StoreMessages.rows.badTime(text))) }
        guard let offset else { return .success(wall) }
        let utc = wall.stamp - Int64(offset)
        let local = utc + Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(utc))))
        return .success(LocalTime(stamp: local))
    }
}
