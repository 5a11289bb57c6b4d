/// One parsed record, lent to a `CSVReader.forEachRecord` callback.
///
/// It points into the reader's buffers, so it is non-copyable and only valid during the
/// callback; take `fields`, `string(at:)` or `int64(at:)` to keep anything.
///
/// Field indices past `count` read as an empty field (`""`, `isEmpty` true, `int64` nil):
/// short rows are common in exported CSV, and a missing trailing column should be a data
/// problem the importer reports, not a crash.
public struct CSVRecord: ~Copyable {
    /// Number of fields (at least 1: an empty line is skipped, not a record).
    public let count: Int
    /// 1-based physical line where the record starts (embedded newlines in earlier records are counted).
    public let line: Int

    private let bytes: UnsafePointer<UInt8>
    private let fieldEnds: UnsafePointer<Int>

    init(line: Int, bytes: UnsafePointer<UInt8>, fieldEnds: UnsafePointer<Int>, count: Int) {
        self.line = line
        self.bytes = bytes
        self.fieldEnds = fieldEnds
        self.count = count
    }

    /// The UTF-8 bytes of field `index` (unquoted, `""` already collapsed), valid only inside `body`.
    public func withBytes<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard index >= 0 && index < count else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        let start = index == 0 ? 0 : fieldEnds[index - 1]
        return try body(UnsafeRawBufferPointer(start: bytes + start, count: fieldEnds[index] - start))
    }

    /// Field `index` as a String.
    public func string(at index: Int) -> String {
        withBytes(at: index) { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether field `index` has no bytes (or does not exist).
    public func isEmpty(at index: Int) -> Bool {
        withBytes(at: index) { $0.isEmpty }
    }

    /// Field `index` as an Int64 if it is exactly ASCII digits with an optional leading `-`
    /// (no spaces, no `+`, no separators); nil otherwise, including on overflow.
    public func int64(at index: Int) -> Int64? {
        withBytes(at: index) { CSVRecord.parseInt64($0) }
    }

    /// All fields as Strings (allocates; fine for headers and small files).
    public var fields: [String] {
        (0..<count).map { string(at: $0) }
    }

    /// Parses ASCII decimal digits straight from bytes, without building a String.
    public static func parseInt64(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard let first = bytes.first else { return nil }
        let negative = first == UInt8(ascii: "-")
        var i = negative ? 1 : 0
        guard i < bytes.count else { return nil }
        // Accumulate on the negative side so Int64.min parses.
        var value: Int64 = 0
        while i < bytes.count {
            let digit = bytes[i] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = shifted.subtractingReportingOverflow(Int64(digit))
            guard !overflow1 && !overflow2 else { return nil }
            value = next
            i += 1
        }
        if negative { return value }
        return value == .min ? nil : -value
    }
}

/// A record copied out into Strings, for callers that prefer values to a callback.
public struct CSVRow: Sendable, Equatable {
    /// 1-based physical line where the record starts.
    public let line: Int
    public let fields: [String]

    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}
