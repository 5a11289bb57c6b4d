// Clip/pad/truncate by display columns. A double-width glyph that would straddle
// the limit is replaced by a space so columns always line up.

/// Horizontal alignment inside a fixed number of columns.
public enum Alignment: Sendable { case left, right, center }

/// Sanitized `text` cut to at most `columns` columns; a wide char that does not
/// fit entirely is replaced by one space (so the result may be exactly `columns`).
public func clipToWidth(_ text: String, _ columns: Int) -> String {
    guard columns > 0 else { return "" }
    var out = String.UnicodeScalarView()
    var used = 0
    for s in text.unicodeScalars {
        guard let d = displayScalar(s) else { continue }
        let w = scalarWidth(d)
        if used + w > columns {
            if used < columns { out.append(" "); used += 1 }
            break
        }
        out.append(d)
        used += w
    }
    return String(out)
}

/// `text` clipped then padded with spaces to exactly `columns` columns.
public func padToWidth(_ text: String, _ columns: Int, align: Alignment = .left) -> String {
    guard columns > 0 else { return "" }
    let clipped = clipToWidth(text, columns)
    let gap = columns - displayWidth(clipped)
    if gap <= 0 { return clipped }
    switch align {
    case .left: return clipped + String(repeating: " ", count: gap)
    case .right: return String(repeating: " ", count: gap) + clipped
    case .center:
        let l = gap / 2
        return String(repeating: " ", count: l) + clipped + String(repeating: " ", count: gap - l)
    }
}

/// Right-aligned in `columns` columns (numbers in tables).
public func rightAlign(_ text: String, _ columns: Int) -> String {
    padToWidth(truncateWithEllipsis(text, columns), columns, align: .right)
}

/// Fits `text` in `columns` columns, ending with `ellipsis` when cut.
/// "…" is East-Asian-ambiguous (1 col in glibc, 2 in some CJK terminals), so
/// callers that care can pass "..." instead.
public func truncateWithEllipsis(_ text: String, _ columns: Int, ellipsis: String = "…") -> String {
    guard columns > 0 else { return "" }
    let clean = sanitizeForDisplay(text)
    if displayWidth(clean) <= columns { return clean }
    let ew = displayWidth(ellipsis)
    if ew >= columns { return clipToWidth(ellipsis, columns) }
    // Cut at a Character boundary so combining marks stay with their base.
    var out = ""
    var used = 0
    for ch in clean {
        let w = displayWidth(ch)
        if used + w > columns - ew { break }
        out.append(ch)
        used += w
    }
    return out + ellipsis
}

/// Splits `text` into lines of at most `columns` columns. Breaks only at spaces or next to a
/// Chinese character, never inside a word or a number ("¥1,047.45", "8.5"), never before closing
/// punctuation ("。", "）", ",") nor after opening punctuation ("（", "「", "¥"); spaces at a
/// break are dropped. Only a word wider than a whole line is cut.
public func wrapToWidth(_ text: String, _ columns: Int) -> [String] {
    guard columns > 0 else { return [] }
    var lines: [String] = []
    for para in text.split(separator: "\n", omittingEmptySubsequences: false) {
        var line = ""
        var used = 0
        var atParagraphStart = true
        for unit in breakUnits(sanitizeForDisplay(String(para))) {
            let bodyWidth = displayWidth(unit.body)
            guard bodyWidth > 0 else { continue }   // trailing spaces
            // The gap before a unit stays only at the start of a paragraph (indent) or inside a line.
            let gap = line.isEmpty && !atParagraphStart ? "" : unit.gap
            let gapWidth = displayWidth(gap)
            if used + gapWidth + bodyWidth <= columns {
                line += gap + unit.body; used += gapWidth + bodyWidth
            } else if bodyWidth <= columns {
                if !line.isEmpty { lines.append(line) }
                line = unit.body; used = bodyWidth
            } else {
                // Wider than a line: the one case where a word is cut.
                if !line.isEmpty { lines.append(line); line = ""; used = 0 }
                for ch in unit.body {
                    let w = displayWidth(ch)
                    if used + w > columns && !line.isEmpty { lines.append(line); line = ""; used = 0 }
                    line.append(ch); used += w
                }
            }
            atParagraphStart = false
        }
        lines.append(line)
    }
    return lines
}

/// Pieces a line may break between: each is the spaces before it and an unbreakable body.
private func breakUnits(_ text: String) -> [(gap: String, body: String)] {
    var units: [(gap: String, body: String)] = []
    var gap = "", body = ""
    var last: Character?
    for ch in text {
        if ch == " " {
            if !body.isEmpty { units.append((gap, body)); gap = ""; body = "" }
            gap.append(ch)
            last = nil
            continue
        }
        if let p = last, !body.isEmpty, mayBreak(between: p, and: ch) {
            units.append((gap, body)); gap = ""; body = ""
        }
        body.append(ch)
        last = ch
    }
    units.append((gap, body))
    return units
}

private let closingPunctuation: Set<Character> = Set("。，、；：？！）」』》】〉〕…—％·”’,.;:!?)]}%")
private let openingPunctuation: Set<Character> = Set("（「『《【〈〔“‘([{¥￥$")

/// Next to a double-width character a line may break (Chinese has no spaces), but not before
/// closing or after opening punctuation; between narrow characters (a word, a number) never.
private func mayBreak(between p: Character, and c: Character) -> Bool {
    if closingPunctuation.contains(c) || openingPunctuation.contains(p) { return false }
    // A number keeps its unit: "8折", "1,234位".
    if p.isASCII && p.isNumber && displayWidth(c) == 2 { return false }
    return displayWidth(p) == 2 || displayWidth(c) == 2
}

/// The items that fit in `columns` columns, joined by `separator`, whole: an item that does not
/// fit is left out with everything after it, never cut (a cut "老客 16,8" reads as a number).
public func fittingItems(_ items: [String], separator: String, columns: Int) -> String {
    var out = ""
    for item in items {
        let candidate = out.isEmpty ? item : out + separator + item
        guard displayWidth(candidate) <= columns else { break }
        out = candidate
    }
    return out
}
