// The RFC 4180 state machine. It consumes UTF-8 bytes in whatever pieces the reader hands
// it, copies field contents into one growing record buffer (fields are delimited by end
// offsets, so no per-field allocation), and counts physical lines as it goes.
//
// Line endings: LF, CRLF and a lone CR all end a line (old Mac exports still exist); a
// CRLF counts once. Inside quotes they are kept verbatim and still advance the line count.

private let comma: UInt8 = 0x2C
private let quote: UInt8 = 0x22
private let lineFeed: UInt8 = 0x0A
private let carriageReturn: UInt8 = 0x0D

struct CSVParser: ~Copyable {
    private enum State: UInt8 {
        case recordStartAfterCR  // a record just ended with CR: swallow one LF
        case recordStart  // nothing of the next record seen yet; line ends here are blank lines
        case fieldStart  // after a comma, or the first byte of a record
        case unquoted
        case quotedAfterCR  // inside quotes right after a CR: an LF here does not start another line
        case quoted
        case quoteInQuoted  // saw `"` inside quotes: `""` is a quote, else the field's quotes are closed
    }

    private var state = State.recordStart
    /// Physical line of the next byte.
    private(set) var line = 1
    /// Physical line where the current record started.
    private(set) var recordLine = 1
    /// Line of the first non-UTF-8 byte in the current record, 0 if none.
    private(set) var encodingErrorLine = 0

    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private var byteCapacity: Int
    private(set) var byteCount = 0
    private(set) var fieldEnds: UnsafeMutablePointer<Int>
    private var fieldCapacity: Int
    private(set) var fieldCount = 0

    init() {
        byteCapacity = 4096
        bytes = .allocate(capacity: byteCapacity)
        fieldCapacity = 64
        fieldEnds = .allocate(capacity: fieldCapacity)
    }

    deinit {
        bytes.deallocate()
        fieldEnds.deallocate()
    }

    /// Forgets the last record so the next one can be collected.
    mutating func clearRecord() {
        byteCount = 0
        fieldCount = 0
        encodingErrorLine = 0
    }

    /// Parses `buffer[position..<end]`, advancing `position`. Returns true as soon as a
    /// record is complete (its terminator consumed); false when the input ran out first.
    mutating func parse(_ buffer: UnsafePointer<UInt8>, end: Int, position: inout Int) -> Bool {
        var i = position
        defer { position = i }
        while i < end {
            switch state {
            case .recordStartAfterCR:
                state = .recordStart
                if buffer[i] == lineFeed {
                    i += 1
                    continue
                }
                fallthrough
            case .recordStart:
                let c = buffer[i]
                if c == lineFeed || c == carriageReturn {  // blank line: skipped
                    line += 1
                    i += 1
                    state = c == carriageReturn ? .recordStartAfterCR : .recordStart
                    continue
                }
                recordLine = line
                state = .fieldStart
                fallthrough
            case .fieldStart:
                let c = buffer[i]
                if c == quote {
                    state = .quoted
                    i += 1
                    continue
                }
                if c == comma {
                    endField()
                    i += 1
                    continue
                }
                if c == lineFeed || c == carriageReturn {
                    endField()
                    endLine(c)
                    i += 1
                    return true
                }
                state = .unquoted
                fallthrough
            case .unquoted:
                // Hot loop: bytes 0x2D...0x7F are never special here (a stray quote is literal).
                let start = i
                while i < end {
                    let c = buffer[i]
                    if c &- 0x2D < 0x53 {
                        i += 1
                    } else if c >= 0x80 {
                        i += checkedSequenceLength(buffer + i, available: end - i)
                    } else if c == comma || c == lineFeed || c == carriageReturn {
                        break
                    } else {
                        i += 1
                    }
                }
                append(buffer + start, count: i - start)
                if i == end { continue }
                let c = buffer[i]
                i += 1
                endField()
                if c == comma {
                    state = .fieldStart
                } else {
                    endLine(c)
                    return true
                }
            case .quotedAfterCR:
                state = .quoted
                if buffer[i] == lineFeed {
                    append(lineFeed)
                    i += 1
                    continue
                }
                fallthrough
            case .quoted:
                // Hot loop: bytes 0x23...0x7F are never special inside quotes.
                let start = i
                while i < end {
                    let c = buffer[i]
                    if c &- 0x23 < 0x5D {
                        i += 1
                    } else if c >= 0x80 {
                        i += checkedSequenceLength(buffer + i, available: end - i)
                    } else if c == quote || c == lineFeed || c == carriageReturn {
                        break
                    } else {
                        i += 1
                    }
                }
                append(buffer + start, count: i - start)
                if i == end { continue }
                let c = buffer[i]
                i += 1
                if c == quote {
                    state = .quoteInQuoted
                } else {
                    append(c)
                    line += 1
                    if c == carriageReturn { state = .quotedAfterCR }
                }
            case .quoteInQuoted:
                let c = buffer[i]
                if c == quote {
                    append(quote)
                    i += 1
                    state = .quoted
                } else if c == comma {
                    endField()
                    i += 1
                    state = .fieldStart
                } else if c == lineFeed || c == carriageReturn {
                    endField()
                    endLine(c)
                    i += 1
                    return true
                } else {
                    // Lenient: text after the closing quote (`"ab"cd`) is kept literally.
                    state = .unquoted
                }
            }
        }
        return false
    }

    enum EndOfInput {
        case nothing
        case record
        case unterminatedQuote
    }

    /// Called once the input is exhausted: completes a final record that had no line break.
    mutating func finish() -> EndOfInput {
        defer { state = .recordStart }
        switch state {
        case .recordStart, .recordStartAfterCR:
            return .nothing
        case .fieldStart, .unquoted, .quoteInQuoted:
            endField()
            return .record
        case .quoted, .quotedAfterCR:
            return .unterminatedQuote
        }
    }

    /// Validates one non-ASCII sequence; a bad byte marks the record and is stepped over alone.
    @inline(__always)
    private mutating func checkedSequenceLength(_ p: UnsafePointer<UInt8>, available: Int) -> Int {
        let n = utf8SequenceLength(p, available: available)
        if n > 0 { return n }
        if encodingErrorLine == 0 { encodingErrorLine = line }
        return 1
    }

    @inline(__always)
    private mutating func endLine(_ terminator: UInt8) {
        line += 1
        state = terminator == carriageReturn ? .recordStartAfterCR : .recordStart
    }

    @inline(__always)
    private mutating func endField() {
        if fieldCount == fieldCapacity {
            let bigger = UnsafeMutablePointer<Int>.allocate(capacity: fieldCapacity * 2)
            bigger.update(from: fieldEnds, count: fieldCount)
            fieldEnds.deallocate()
            fieldEnds = bigger
            fieldCapacity *= 2
        }
        fieldEnds[fieldCount] = byteCount
        fieldCount += 1
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        if byteCount == byteCapacity { grow(toHold: byteCount + 1) }
        bytes[byteCount] = byte
        byteCount += 1
    }

    @inline(__always)
    private mutating func append(_ source: UnsafePointer<UInt8>, count: Int) {
        if byteCount + count > byteCapacity { grow(toHold: byteCount + count) }
        (bytes + byteCount).update(from: source, count: count)
        byteCount += count
    }

    private mutating func grow(toHold needed: Int) {
        var newCapacity = byteCapacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: bytes, count: byteCount)
        bytes.deallocate()
        bytes = bigger
        byteCapacity = newCapacity
    }
}
