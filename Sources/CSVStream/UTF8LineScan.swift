/// Streams raw bytes line by line and tells, for each line, whether it is valid UTF-8 and whether
/// it holds a 3- or 4-byte sequence (Chinese written as UTF-8). Lines end as the parser ends them
/// (LF, CR, CRLF once), so the numbers match its lines. Lenient about overlongs and surrogates: it
/// only tells UTF-8-looking text from GBK, which a GBK row almost never passes (about 1 in 60,000).
struct UTF8LineScan {
    private(set) var line = 1
    private var need = 0
    private var invalid = false
    private var wide = false
    private var afterCR = false
    private var empty = true

    /// Calls `lineDone(line, valid, wide)` for each line that ends in `bytes[0..<count]`.
    mutating func scan(_ bytes: UnsafePointer<UInt8>, count: Int, _ lineDone: (Int, Bool, Bool) -> Void) {
        for i in 0..<count {
            let b = bytes[i]
            if need > 0 {
                if b & 0xC0 == 0x80 { need -= 1; continue }
                invalid = true
                need = 0
            }
            if b == 0x0A && afterCR { afterCR = false; continue }
            afterCR = false
            if b == 0x0A || b == 0x0D {
                lineDone(line, !invalid, wide)
                line += 1
                invalid = false; wide = false; empty = true
                afterCR = b == 0x0D
                continue
            }
            empty = false
            if b < 0x80 { continue }
            if b >= 0xC2 && b < 0xE0 { need = 1 }
            else if b >= 0xE0 && b < 0xF0 { need = 2; wide = true }
            else if b >= 0xF0 && b < 0xF5 { need = 3; wide = true }
            else { invalid = true }
        }
    }

    /// At the end of the input: the last line, if it had no line end.
    mutating func finish(_ lineDone: (Int, Bool, Bool) -> Void) {
        if need > 0 { invalid = true; need = 0 }
        if !empty { lineDone(line, !invalid, wide) }
        empty = true
    }
}
