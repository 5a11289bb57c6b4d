import Foundation
import ECRMDomain

/// One editable field of the ladder: where it is (level 0 = the ladder-wide row) and how typed
/// text becomes a value. Pure, so edit mode can re-check the ladder on every keystroke.
struct TierFieldInput: Equatable {
    var level: Int
    var field: TierField

    /// Fields of each row in the table's column order (Tab follows what the eye reads): the
    /// ladder-wide row, then the four levels.
    static func fields(row: Int) -> [TierField] {
        row == 0 ? [.metric, .distributorFloor] : [.name, .enabled, .threshold, .discount]
    }

    /// Enabled and metric toggle on Enter; the others are typed.
    var isTyped: Bool { field != .enabled && field != .metric }

    /// The field's current value as the owner would type it (threshold in yuan, discount per-mille).
    func text(in ladder: TierLadder) -> String {
        switch field {
        case .name: return ladder[level].name
        case .threshold:
            let v = ladder[level].threshold
            return ladder.metric == .amount ? Money.yuanString(v) : String(v)
        case .discount: return String(ladder[level].discount)
        case .distributorFloor: return ladder.distributorFloor.map(String.init) ?? ""
        default: return ""
        }
    }

    /// `ladder` with `text` in this field, or nil when the text is not a value of the field's
    /// type (letters in a threshold). Rule violations are not checked here: TierRules does that.
    func applying(_ text: String, to ladder: TierLadder) -> TierLadder? {
        var l = ladder
        let s = text.trimmingCharacters(in: .whitespaces)
        switch field {
        case .name: l[level].name = s
        case .threshold:
            if l.metric == .amount {
                guard let fen = Money.parseYuan(s) else { return nil }
                l[level].threshold = fen
            } else {
                guard let n = Int64(s) else { return nil }
                l[level].threshold = n
            }
        case .discount:
            guard let d = Self.perMille(s) else { return nil }
            l[level].discount = d
        case .distributorFloor:
            if s.isEmpty { l.distributorFloor = nil } else {
                guard let d = Self.perMille(s) else { return nil }
                l.distributorFloor = d
            }
        case .enabled: l[level].enabled.toggle()
        case .metric: l.metric = l.metric == .amount ? .count : .amount
        case .levels: return nil
        }
        return l
    }

    /// "950" → 950; "9.5" or "9.5折" → 950 (people say discounts in 折 too).
    static func perMille(_ s: String) -> Int? {
        let t = s.hasSuffix("折") ? String(s.dropLast()) : s
        if let n = Int(t) { return n <= 10 ? n * 100 : n }
        guard t.contains("."), let x = Double(t), x > 0, x <= 10 else { return nil }
        return Int((x * 100).rounded())
    }
}
