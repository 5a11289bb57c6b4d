/// Where an order was placed or a buyer is known (PRODUCT.md: Channels). The raw values are the
/// stable keys the command line, the store and exports use.
public enum Channel: String, CaseIterable, Sendable, Codable {
    case taobao, tmall, jd, pdd, douyin, youzan, wechat, shopify, tiktok, offline, other

    /// The channel of files and orders that name none: existing files and stores keep their meaning.
    public static let `default` = Channel.taobao

    public static var keyList: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// An order number as a shop writes it: any printable text up to 64 characters, unique within its channel.
public enum OrderNumber {
    public static let maxLength = 64
    /// Integer order keys from here up are the store's own numbers for text order numbers; a
    /// Taobao number is its own key only below (19-digit Taobao numbers are far below, ~4e18 < 2^62).
    public static let surrogateBase: Int64 = 1 << 62

    /// The integer key a number is stored under by itself: a Taobao number written as plain digits
    /// without a leading zero, below `surrogateBase`. Anything else keeps its text (and gets a key).
    public static func integerKey(_ text: String, channel: Channel) -> Int64? {
        guard channel == .taobao, let first = text.utf8.first, first != UInt8(ascii: "0"),
              text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let n = Int64(text), n < surrogateBase else { return nil }
        return n
    }

    /// Why `text` (already unwrapped and trimmed) cannot be an order number, or nil.
    public static func problem(_ text: String, _ language: MessageLanguage) -> String? {
        let zh = language == .zh
        if text.isEmpty { return zh ? "缺少订单号 order_id" : "missing order_id" }
        if text.count > maxLength {
            return zh ? "订单号 order_id“\(text.prefix(20))…”超过 \(maxLength) 个字符" : "order_id '\(text.prefix(20))…' is longer than \(maxLength) characters"
        }
        if text.unicodeScalars.contains(where: isControl) {
            let shown = text.unicodeScalars.map { isControl($0) ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
            return zh ? "订单号 order_id“\(shown)”含控制字符" : "order_id '\(shown)' contains a control character"
        }
        return nil
    }

    /// Unicode's control characters (general category Cc): U+0000–U+001F and U+007F–U+009F, a set
    /// Unicode promises never to change. Compared by value: looking the category up was a third of
    /// a text-numbered import's parsing.
    @inline(__always)
    public static func isControl(_ s: Unicode.Scalar) -> Bool { s.value < 0x20 || (s.value >= 0x7F && s.value <= 0x9F) }
}
