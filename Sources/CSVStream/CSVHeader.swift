/// The header row of a CSV file, mapping column names to field indices.
public struct CSVHeader: Sendable, Equatable {
    /// Column names as written, with surrounding whitespace and any stray byte-order mark removed.
    public let names: [String]
    /// 1-based physical line of the header.
    public let line: Int

    public init(names: [String], line: Int = 1) {
        self.names = names.map { CSVHeader.clean($0) }
        self.line = line
    }

    /// Index of the first column named `name`, compared trimmed and case-insensitively.
    public func index(of name: String) -> Int? {
        let wanted = CSVHeader.clean(name).lowercased()
        return names.firstIndex { $0.lowercased() == wanted }
    }

    /// Index of the first column matching any of `aliases`, tried in order
    /// (e.g. `["buyer_nick", "买家会员名"]`).
    public func index(ofAny aliases: [String]) -> Int? {
        for alias in aliases {
            if let index = index(of: alias) { return index }
        }
        return nil
    }

    /// The names in `required` that have no column, in the order given.
    public func missing(_ required: [String]) -> [String] {
        required.filter { index(of: $0) == nil }
    }

    private static func clean(_ name: String) -> String {
        var scalars = Substring(name).unicodeScalars
        while let first = scalars.first, first == "\u{FEFF}" || first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
