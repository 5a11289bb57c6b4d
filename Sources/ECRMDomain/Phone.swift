/// Phone numbers are shown masked everywhere by default (PRODUCT.md: Operators and privacy).
public enum Phone {
    /// 13812345678 → 138****5678. Short or odd numbers keep at most their last 4 digits visible.
    public static func masked(_ phone: String) -> String {
        let chars = Array(phone)
        guard !chars.isEmpty else { return "" }
        if chars.count >= 11 {
            return String(chars.prefix(3)) + "****" + String(chars.suffix(4))
        }
        if chars.count <= 4 { return String(repeating: "*", count: chars.count) }
        return String(repeating: "*", count: chars.count - 4) + String(chars.suffix(4))
    }

    /// Keeps digits only ("+86 138-1234-5678" → "8613812345678" → trims a leading 86 country code).
    public static func normalized(_ raw: String) -> String {
        // Fast path (nearly every imported phone): digits only already.
        if !raw.isEmpty, raw.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            return raw.utf8.count == 13 && raw.hasPrefix("86") ? String(raw.dropFirst(2)) : raw
        }
        var digits = String(raw.unicodeScalars.filter { $0.value >= 48 && $0.value <= 57 }.map(Character.init))
        if digits.count == 13 && digits.hasPrefix("86") { digits.removeFirst(2) }
        return digits
    }

    /// A phone from an import file. A masked one (Taobao exports and our own masked export:
    /// "138****8276") keeps its stars, so it stays a hint (shown as is, its tail searchable) and the
    /// store can tell it from a clear number it must never overwrite.
    public static func imported(_ raw: String) -> String {
        guard raw.utf8.contains(UInt8(ascii: "*")) else { return normalized(raw) }
        return String(raw.unicodeScalars.filter { ($0.value >= 48 && $0.value <= 57) || $0 == "*" }.map(Character.init))
    }

    /// Whether a stored or imported phone is only a masked hint.
    public static func isMasked(_ phone: String) -> Bool { phone.utf8.contains(UInt8(ascii: "*")) }

    /// The number a phone links identities by (PRODUCT.md: One member across channels): a mainland
    /// mobile, 11 digits starting with 1 once `+86`, spaces and dashes are dropped. A masked phone,
    /// a landline or anything else is nil: it never links two buyers.
    public static func linkKey(_ raw: String) -> String? {
        guard !isMasked(raw) else { return nil }
        var digits = normalized(raw)
        if digits.count == 15, digits.hasPrefix("0086") { digits.removeFirst(4) }
        guard digits.utf8.count == 11, digits.utf8.first == UInt8(ascii: "1") else { return nil }
        return digits
    }
}
