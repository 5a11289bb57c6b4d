/// A file-level failure: the reader or writer cannot go on.
public enum CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened (missing, permission denied, a directory, ...).
    case cannotOpen(path: String, reason: String)
    /// A `read(2)` failed part-way through the file.
    case readFailed(path: String, reason: String)
    /// A `write(2)` or `close(2)` failed.
    case writeFailed(path: String, reason: String)
    /// glibc `iconv` has no converter for this pair (missing gconv modules).
    case converterUnavailable(from: String, to: String)
    /// The writer could not represent a character of `row` (1-based, counting the header) in the output encoding.
    case unrepresentable(row: Int, encoding: String)
    /// `writeRow` was called after `close()`.
    case writerClosed(path: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): "cannot open \(path): \(reason)"
        case let .readFailed(path, reason): "cannot read \(path): \(reason)"
        case let .writeFailed(path, reason): "cannot write \(path): \(reason)"
        case let .converterUnavailable(from, to): "no iconv converter from \(from) to \(to) on this system"
        case let .unrepresentable(row, encoding): "row \(row) has characters that cannot be written in \(encoding)"
        case let .writerClosed(path): "writer for \(path) is already closed"
        }
    }
}

/// A problem with one record. The reader reports it and carries on with the next record.
public struct CSVRowError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A byte sequence that is not UTF-8 in a file read as UTF-8.
        case invalidUTF8
        /// A byte sequence that is not GB18030 in a file read as GB18030.
        case invalidGB18030
        /// Text that is valid UTF-8 Chinese in a file read as GB18030: decoded it would be mojibake
        /// (a UTF-8 row pasted into a GBK export), so it is rejected instead.
        case utf8InGB18030
        /// A quoted field was still open at the end of the file.
        case unterminatedQuote
    }

    public let kind: Kind
    /// 1-based physical line of the problem: the bad byte, or for an unterminated quote the line the record started on.
    public let line: Int
    /// 1-based physical line where the affected record starts.
    public let recordLine: Int

    public init(kind: Kind, line: Int, recordLine: Int) {
        self.kind = kind
        self.line = line
        self.recordLine = recordLine
    }

    public var description: String {
        switch kind {
        case .invalidUTF8:
            "invalid UTF-8 byte at line \(line) (is the file GBK? try --encoding gb18030)"
        case .invalidGB18030:
            "invalid GB18030/GBK byte sequence at line \(line) (is the file UTF-8? try --encoding utf8)"
        case .utf8InGB18030:
            "line \(line) is UTF-8 text in a file read as GB18030/GBK; not imported, so it is not stored as mojibake (save the file in one encoding)"
        case .unterminatedQuote:
            "unterminated quoted field in the record starting at line \(line)"
        }
    }
}
