/// Money is always integer fen (分); floating point never touches it.
public typealias Fen = Int64

public enum Money {
    /// Parses a yuan amount with up to two decimals ("12", "12.5", "12.50", "¥1,234.00") into fen.
    /// Returns nil for negative, empty or malformed input, and for a comma that is not a thousands
    /// separator ("12,5"): the importer rejects such rows (`checkYuan` says why).
    public static func parseYuan(_ text: String) -> Fen? {
        try? checkYuan(text).get()
    }

    /// Byte-level parse for the importer's hot path (no String allocation); inlinable so it is
    /// specialized for the caller's byte collection.
    @inlinable
    public static func parseYuan<C: Collection>(bytes: C) -> Fen? where C.Element == UInt8 {
        var whole: Int64 = 0, frac: Int64 = 0, fracDigits = 0
        var seenDot = false, seenDigit = false
        for b in bytes {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                seenDigit = true
                let d = Int64(b &- UInt8(ascii: "0"))
                if seenDot {
                    fracDigits += 1
                    if fracDigits > 2 { return nil }
                    frac = frac * 10 + d
                } else {
                    let (m, o1) = whole.multipliedReportingOverflow(by: 10)
                    let (s, o2) = m.addingReportingOverflow(d)
                    if o1 || o2 || s > 100_000_000_000 { return nil }
                    whole = s
                }
            case UInt8(ascii: "."):
                if seenDot { return nil }
                seenDot = true
            default:
                return nil
            }
        }
        guard seenDigit else { return nil }
        if fracDigits == 1 { frac *= 10 }
        return whole * 100 + frac
    }

    /// "1234.50" — the export and JSON format (yuan with exactly two decimals).
    public static func yuanString(_ fen: Fen) -> String {
        let sign = fen < 0 ? "-" : ""
        let a = fen.magnitude
        let cents = a % 100
        return "\(sign)\(a / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// "¥1,234.50" — for people.
    public static func display(_ fen: Fen) -> String {
        let sign = fen < 0 ? "-" : ""
        let a = fen.magnitude
        var whole = String(a / 100)
        var groups: [Substring] = []
        while whole.count > 3 {
            groups.insert(Substring(whole.suffix(3)), at: 0)
            whole.removeLast(3)
        }
        groups.insert(Substring(whole), at: 0)
        let cents = a % 100
        return "\(sign)¥\(groups.joined(separator: ",")).\(cents < 10 ? "0" : "")\(cents)"
    }
}

/// Why an amount was not accepted (the importer's reason for a rejected row).
public enum AmountProblem: Error, Sendable, Equatable {
    case malformed
    /// A comma that is not a thousands separator (`12,5`, `12,50`, `1,23.4`): it may have been
    /// meant as a decimal point (¥12.50) or be a typo (¥125), so no amount is guessed.
    case ambiguousComma

    public func reason(_ text: String, _ language: MessageLanguage) -> String {
        let zh = language == .zh
        switch self {
        case .malformed:
            return zh ? "金额“\(text)”无效（以元为单位，不能为负，最多两位小数）"
                      : "bad amount '\(text)' (yuan, not negative, at most 2 decimals)"
        case .ambiguousComma:
            return zh ? "金额“\(text)”有歧义：逗号只能分隔千位（1,234.50）；小数点请写成点（12.50）"
                      : "ambiguous amount '\(text)': a comma may only separate thousands (1,234.50); write the decimal point as a dot (12.50)"
        }
    }
}

extension Money {
    /// `parseYuan` with the reason a text is not an amount.
    public static func checkYuan(_ text: String) -> Result<Fen, AmountProblem> {
        var utf8 = Array(text.utf8)
        utf8.removeAll { $0 == UInt8(ascii: " ") }
        if utf8.starts(with: Array("¥".utf8)) { utf8.removeFirst("¥".utf8.count) }
        else if utf8.starts(with: Array("￥".utf8)) { utf8.removeFirst("￥".utf8.count) }
        if utf8.contains(UInt8(ascii: ",")) {
            // Thousands groups only: 1-3 digits, then groups of exactly three, all before any dot.
            let whole = utf8.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)[0]
            let groups = whole.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            let grouped = whole.count == utf8.count || !utf8[whole.count...].contains(UInt8(ascii: ","))
            guard grouped, let first = groups.first, (1...3).contains(first.count),
                  groups.dropFirst().allSatisfy({ $0.count == 3 }),
                  groups.allSatisfy({ $0.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } }) else {
                return .failure(.ambiguousComma)
            }
            utf8.removeAll { $0 == UInt8(ascii: ",") }
        }
        return parseYuan(bytes: utf8).map { .success($0) } ?? .failure(.malformed)
    }
}
