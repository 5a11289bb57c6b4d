import ECRMDomain

/// A text order number (OrderNumber) on its way from the parser to the store: up to 32 UTF-8 bytes
/// inline, so the millions of rows of a text-numbered file make no String each (a number like
/// `E2024111100000012345` is longer than a small String holds: one allocation, a retain for every
/// copy and a free per row). A longer number (up to 64 characters, of up to 4 bytes each) is kept
/// as a String.
struct OrderNumberText: Sendable, CustomStringConvertible {
    static let inlineCapacity = 32

    private var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// Inline bytes, or `isLong`: the number is `long`.
    private var count: UInt8 = 0
    private var long: String?
    private static let isLong: UInt8 = .max

    init(_ text: String) {
        var t = text
        if t.utf8.count <= Self.inlineCapacity {
            t.withUTF8 { setInline(UnsafeRawBufferPointer($0)) }
        } else {
            long = text
            count = Self.isLong
        }
    }

    /// The bytes of a number already checked (OrderNumber.problem) and valid UTF-8.
    init(bytes: UnsafeRawBufferPointer) {
        if bytes.count <= Self.inlineCapacity {
            setInline(bytes)
        } else {
            long = String(decoding: bytes, as: UTF8.self)
            count = Self.isLong
        }
    }

    private mutating func setInline(_ bytes: UnsafeRawBufferPointer) {
        withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: bytes) }
        count = UInt8(bytes.count)
    }

    var text: String { long ?? withBytes { String(decoding: $0, as: UTF8.self) } }
    var description: String { text }

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if count == Self.isLong, var long { return try long.withUTF8 { try body(UnsafeRawBufferPointer($0)) } }
        return try withUnsafeBytes(of: storage) { try body(UnsafeRawBufferPointer(rebasing: $0[0..<Int(count)])) }
    }

    /// SQLite's order of text under BINARY collation (the unique index's): bytes compared in turn,
    /// a prefix first.
    func precedes(_ other: OrderNumberText) -> Bool {
        withBytes { a in other.withBytes { b in
            let n = min(a.count, b.count)
            if n > 0 {
                let c = memcmp(a.baseAddress!, b.baseAddress!, n)
                if c != 0 { return c < 0 }
            }
            return a.count < b.count
        } }
    }

    /// The number a plain field makes by itself, read straight from its bytes: 1 to 64 printable
    /// ASCII characters other than the space, not starting with `=` or `'` (Excel's wrappings) and,
    /// in the taobao channel, not digits only (those may be a Taobao number's integer key). Such a
    /// field is what ImportFormat.unwrapExcel and OrderNumber.problem would leave as it is and
    /// accept; nil for anything else, which takes that slower way.
    static func plain(_ b: UnsafeRawBufferPointer, channel: Channel) -> OrderNumberText? {
        guard !b.isEmpty, b.count <= OrderNumber.maxLength, b[0] != UInt8(ascii: "="), b[0] != UInt8(ascii: "'") else { return nil }
        var digitsOnly = true
        for c in b {
            guard c > 0x20, c < 0x7F else { return nil }
            if c < UInt8(ascii: "0") || c > UInt8(ascii: "9") { digitsOnly = false }
        }
        if digitsOnly && channel == .taobao { return nil }
        return OrderNumberText(bytes: b)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
