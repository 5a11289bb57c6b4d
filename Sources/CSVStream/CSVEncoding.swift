/// Text encodings the reader understands.
///
/// GBK and GB2312 are subsets of GB18030, so `.gb18030` reads all three.
public enum CSVEncoding: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Decide from the file: a UTF-8 byte-order mark means UTF-8; otherwise samples of the file
    /// (its first 64 KiB and a few places further on) decide, preferring UTF-8 unless most of
    /// their non-ASCII bytes are invalid UTF-8 and fewer are invalid GB18030 (EncodingDetection).
    case auto
    case utf8
    case gb18030

    /// Parses a user-supplied encoding name such as `utf-8`, `UTF8`, `gbk`, `gb2312`, `gb18030`, `auto`.
    public init?(name: String) {
        switch String(name.lowercased().filter { $0 != "-" && $0 != "_" }) {
        case "auto": self = .auto
        case "utf8": self = .utf8
        case "gb18030", "gbk", "gb2312", "cp936": self = .gb18030
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .auto: "auto"
        case .utf8: "UTF-8"
        case .gb18030: "GB18030"
        }
    }
}

/// Encodings `CSVWriter` can produce.
public enum CSVOutputEncoding: Sendable {
    case utf8
    /// UTF-8 preceded by the byte-order mark EF BB BF, which makes Excel open the file as UTF-8.
    case utf8WithBOM
    /// GB18030 (a superset of GBK), what older Chinese Windows/Excel setups expect.
    case gb18030
}
