import CTermShims

// Terminal cells are counted per Unicode scalar with glibc's wcwidth (what
// ncursesw itself uses), never bytes or Characters: "张三" is 2 Characters but
// 4 columns, "é" as e + U+0301 is 2 scalars but 1 column.

/// Columns one scalar occupies after `sanitizeForDisplay` (0, 1 or 2).
@inline(__always)
public func scalarWidth(_ s: Unicode.Scalar) -> Int {
    let v = s.value
    if v >= 0x20 && v < 0x7F { return 1 }          // ASCII fast path
    let w = Int(cts_wcwidth(v))
    return w < 0 ? 1 : w                           // non-printables are drawn as U+FFFD (1 col)
}

/// Display width of `text` in terminal columns (after sanitizing).
public func displayWidth(_ text: String) -> Int { displayWidth(of: text.unicodeScalars) }

/// Display width of one Character (sum of its scalars).
public func displayWidth(_ ch: Character) -> Int { displayWidth(of: ch.unicodeScalars) }

private func displayWidth(of scalars: some Sequence<Unicode.Scalar>) -> Int {
    var total = 0
    for s in scalars {
        guard let d = displayScalar(s) else { continue }
        total += scalarWidth(d)
    }
    return total
}

/// Scalars that would move the cursor or reorder text (bidi overrides/isolates,
/// marks, soft hyphen, BOM) are dropped; other control characters become U+FFFD.
/// Returns nil for "drop".
@inline(__always)
func displayScalar(_ s: Unicode.Scalar) -> Unicode.Scalar? {
    let v = s.value
    if v >= 0x20 && v < 0x7F { return s }
    switch v {
    case 0x200E, 0x200F, 0x061C,           // LRM, RLM, ALM
         0x202A...0x202E,                  // LRE RLE PDF LRO RLO
         0x2066...0x2069,                  // LRI RLI FSI PDI
         0x00AD, 0xFEFF:                   // soft hyphen, BOM/ZWNBSP
        return nil
    case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029:
        return "\u{FFFD}"
    default:
        // Anything glibc considers unprintable (unassigned, surrogates...) is
        // shown as U+FFFD rather than handed to the terminal.
        if v > 0x9F && cts_wcwidth(v) < 0 && !isZeroWidthJoinerLike(v) { return "\u{FFFD}" }
        return s
    }
}

@inline(__always)
private func isZeroWidthJoinerLike(_ v: UInt32) -> Bool { v == 0x200D || v == 0x200C }

/// Text with unsafe scalars replaced/dropped, safe to hand to the terminal.
public func sanitizeForDisplay(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    var changed = false
    for s in text.unicodeScalars {
        if let d = displayScalar(s) {
            if d != s { changed = true }
            out.append(d)
        } else { changed = true }
    }
    return changed ? String(out) : text
}
