// Byte-level UTF-8 checks shared by encoding detection and the parser.
// Strict per Unicode 15 table 3-7: no overlongs, no surrogates, nothing above U+10FFFF.

/// Length (2...4) of the well-formed UTF-8 sequence starting at `p[0]` (a byte >= 0x80),
/// or 0 if it is malformed or cut off by `available`.
@inline(__always)
func utf8SequenceLength(_ p: UnsafePointer<UInt8>, available: Int) -> Int {
    let b0 = p[0]
    if b0 < 0xC2 { return 0 }  // stray continuation byte or overlong 2-byte lead
    if b0 < 0xE0 {
        return available >= 2 && p[1] & 0xC0 == 0x80 ? 2 : 0
    }
    if b0 < 0xF0 {
        guard available >= 3 else { return 0 }
        let b1 = p[1]
        let low: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
        let high: UInt8 = b0 == 0xED ? 0x9F : 0xBF
        return b1 >= low && b1 <= high && p[2] & 0xC0 == 0x80 ? 3 : 0
    }
    if b0 < 0xF5 {
        guard available >= 4 else { return 0 }
        let b1 = p[1]
        let low: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
        let high: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
        return b1 >= low && b1 <= high && p[2] & 0xC0 == 0x80 && p[3] & 0xC0 == 0x80 ? 4 : 0
    }
    return 0
}

/// How many bytes at the end of `p[0..<count]` are the start of a multi-byte sequence
/// whose remaining bytes are not there yet (0...3). Those bytes belong to the next chunk.
func utf8IncompleteTailLength(_ p: UnsafePointer<UInt8>, count: Int) -> Int {
    var i = count - 1
    while i >= 0 && i >= count - 3 {
        let b = p[i]
        if b < 0x80 { return 0 }
        if b >= 0xC0 {
            let needed = b >= 0xF0 ? 4 : (b >= 0xE0 ? 3 : 2)
            let have = count - i
            return have < needed ? have : 0
        }
        i -= 1
    }
    return 0
}

/// Whether `bytes` is entirely valid UTF-8. If `mayBeCut` (a sample taken from a longer file),
/// a trailing incomplete sequence is ignored rather than counted as invalid.
func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>, mayBeCut: Bool) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let end = bytes.count - (mayBeCut ? utf8IncompleteTailLength(base, count: bytes.count) : 0)
    var i = 0
    while i < end {
        if base[i] < 0x80 {
            i += 1
            continue
        }
        let n = utf8SequenceLength(base + i, available: end - i)
        if n == 0 { return false }
        i += n
    }
    return true
}
