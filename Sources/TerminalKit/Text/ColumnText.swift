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

/// Splits `text` into lines of at most `columns` columns (breaking anywhere,
/// which is right for CJK; ASCII words are not kept together).
public func wrapToWidth(_ text: String, _ columns: Int) -> [String] {
    guard columns > 0 else { return [] }
    var lines: [String] = []
    for para in text.split(separator: "\n", omittingEmptySubsequences: false) {
        var line = ""
        var used = 0
        for ch in sanitizeForDisplay(String(para)) {
            let w = displayWidth(ch)
            if used + w > columns && !line.isEmpty {
                lines.append(line); line = ""; used = 0
            }
            line.append(ch); used += w
        }
        lines.append(line)
    }
    return lines
}
