/// Order status after import. Only `.paid` counts toward R, F, M and tiers (PRODUCT.md: Data).
public enum OrderStatus: String, Sendable, CaseIterable, Codable {
    case paid, refunded, closed, unpaid

    /// Maps the import vocabulary (generic English words and Taobao's Chinese states) to a status.
    /// Returns nil for a word we do not know, so the row is rejected rather than guessed.
    public static func fromImport(_ raw: String) -> OrderStatus? {
        let s = raw.trimmingSpaces().lowercased()
        switch s {
        case "", "paid", "success", "交易成功", "买家已付款，等待卖家发货", "买家已付款,等待卖家发货",
             "卖家已发货，等待买家确认", "卖家已发货,等待买家确认", "已付款", "已发货":
            return .paid
        case "refunded", "refund", "退款", "退款成功", "已退款":
            return .refunded
        case "closed", "交易关闭":
            return .closed
        case "unpaid", "等待买家付款":
            return .unpaid
        default:
            return nil
        }
    }
}

extension String {
    /// Trims ASCII and ideographic spaces without Foundation.
    public func trimmingSpaces() -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{3000}" || $0 == "\r" || $0 == "\n" }
        // Fast path (nearly every imported field): nothing to trim at either end.
        if let f = utf8.first, let l = utf8.last, f > 32, l > 32, f != 0xE3, !(l == 0x80 && hasSuffix("\u{3000}")) { return self }
        guard let first = firstIndex(where: { !blank($0) }) else { return "" }
        let last = lastIndex(where: { !blank($0) })!
        return String(self[first...last])
    }
}
