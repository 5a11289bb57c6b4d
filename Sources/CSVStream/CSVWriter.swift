import Glibc
import UserRights

/// Writes CSV files for export: RFC 4180 quoting, buffered large writes, UTF-8 (optionally
/// with a BOM for Excel) or GB18030.
///
/// Call `close()` to flush and see write errors; `deinit` only flushes on a best-effort basis.
public final class CSVWriter {
    /// Line terminator between rows.
    public enum LineEnding: Sendable {
        /// `\r\n`, as RFC 4180 specifies and Excel expects.
        case crlf
        case lf
    }

    public let path: String
    public let encoding: CSVOutputEncoding
    /// Rows written so far (the header counts as a row).
    public private(set) var rowsWritten = 0

    private static let flushThreshold = 1 << 20
    private var fd: Int32
    private let lineEnding: [UInt8]
    private let encoder: IconvConverter?
    private var output: [UInt8] = []
    private var row: [UInt8] = []
    private var encoded: [UInt8] = []

    /// Creates (or truncates) the file at `path`.
    /// - Throws: `CSVError.cannotOpen`, or `.converterUnavailable` if iconv lacks GB18030.
    public init(path: String, encoding: CSVOutputEncoding = .utf8, lineEnding: LineEnding = .crlf) throws {
        self.path = path
        self.encoding = encoding
        self.lineEnding = lineEnding == .crlf ? [0x0D, 0x0A] : [0x0A]
        encoder = encoding == .gb18030 ? try IconvConverter(from: "UTF-8", to: "GB18030") : nil
        // A user's file: created with the user's own rights, never the shared store's group.
        let (opened, failure) = UserRights.asUser { () -> (Int32, String) in
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            return (fd, fd < 0 ? systemErrorMessage() : "")
        }
        fd = opened
        guard fd >= 0 else { throw CSVError.cannotOpen(path: path, reason: failure) }
        output.reserveCapacity(Self.flushThreshold + 64 * 1024)
        if encoding == .utf8WithBOM { output.append(contentsOf: EncodingDetection.utf8BOM) }
    }

    deinit {
        if fd >= 0 {
            try? flush(to: fd)
            Glibc.close(fd)
        }
    }

    /// Appends one row. A field is quoted when it contains a comma, quote, CR or LF; inner
    /// quotes are doubled.
    /// - Throws: `CSVError.unrepresentable` naming the row if the output encoding cannot hold
    ///   one of its characters (nothing of that row is written), or a write error.
    public func writeRow(_ fields: [String]) throws {
        guard fd >= 0 else { throw CSVError.writerClosed(path: path) }
        row.removeAll(keepingCapacity: true)
        for (index, field) in fields.enumerated() {
            if index > 0 { row.append(UInt8(ascii: ",")) }
            appendField(field)
        }
        row.append(contentsOf: lineEnding)
        if let encoder {
            let count = try encode(with: encoder)
            output.append(contentsOf: encoded[..<count])
        } else {
            output.append(contentsOf: row)
        }
        rowsWritten += 1
        if output.count >= Self.flushThreshold { try flush(to: fd) }
    }

    /// Flushes buffered rows and closes the file. Further `writeRow` calls throw.
    public func close() throws {
        guard fd >= 0 else { return }
        let descriptor = fd
        fd = -1
        do {
            try flush(to: descriptor)
        } catch {
            Glibc.close(descriptor)
            throw error
        }
        // close(2) can report a deferred write error (e.g. a full disk on NFS).
        guard Glibc.close(descriptor) == 0 else {
            throw CSVError.writeFailed(path: path, reason: systemErrorMessage())
        }
    }

    private func appendField(_ field: String) {
        let needsQuotes = field.utf8.contains { byte in
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 0x0D || byte == 0x0A
        }
        guard needsQuotes else {
            row.append(contentsOf: field.utf8)
            return
        }
        row.append(UInt8(ascii: "\""))
        for byte in field.utf8 {
            if byte == UInt8(ascii: "\"") { row.append(byte) }
            row.append(byte)
        }
        row.append(UInt8(ascii: "\""))
    }

    /// Converts `row` (UTF-8) into the start of `encoded`; returns the byte count.
    private func encode(with encoder: IconvConverter) throws -> Int {
        // Every UTF-8 sequence becomes at most 2x its length in GB18030 (U+0080 → 4 bytes).
        if encoded.count < row.count * 2 + 16 { encoded = [UInt8](repeating: 0, count: row.count * 2 + 16) }
        let result = row.withUnsafeBufferPointer { input in
            encoded.withUnsafeMutableBufferPointer { out in
                encoder.convert(input.baseAddress!, count: input.count, into: out.baseAddress!, capacity: out.count)
            }
        }
        guard result.stop == .done else {
            throw CSVError.unrepresentable(row: rowsWritten + 1, encoding: "GB18030")
        }
        return result.produced
    }

    private func flush(to fd: Int32) throws {
        var written = 0
        while written < output.count {
            let n = output.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CSVError.writeFailed(path: path, reason: systemErrorMessage())
            }
            written += n
        }
        output.removeAll(keepingCapacity: true)
    }
}
