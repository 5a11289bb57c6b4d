/// A semantic colour role ("selection", "tier1"...). Widgets draw with roles;
/// the theme decides what they look like. Open-ended so the console can add
/// its own roles (`StyleRole("vip_badge")`), which then fall back to `.text`.
public struct StyleRole: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let name: String
    public init(_ name: String) { self.name = name }
    public init(stringLiteral value: String) { self.name = value }
    public var description: String { name }

    public static let text: StyleRole = "text"
    public static let title: StyleRole = "title"
    public static let muted: StyleRole = "muted"
    public static let selection: StyleRole = "selection"
    public static let selectionUnfocused: StyleRole = "selection_unfocused"
    public static let tier1: StyleRole = "tier1"
    public static let tier2: StyleRole = "tier2"
    public static let tier3: StyleRole = "tier3"
    public static let tier4: StyleRole = "tier4"
    public static let positive: StyleRole = "positive"
    public static let warning: StyleRole = "warning"
    public static let error: StyleRole = "error"
    public static let chartBar: StyleRole = "chart_bar"
    public static let border: StyleRole = "border"
    public static let header: StyleRole = "header"
    public static let status: StyleRole = "status"
    public static let hintKey: StyleRole = "hint_key"
    public static let hintText: StyleRole = "hint_text"
    public static let input: StyleRole = "input"
    public static let inputFocused: StyleRole = "input_focused"
    public static let match: StyleRole = "match"
    public static let disabled: StyleRole = "disabled"

    /// Roles every shipped theme defines (checked by tests).
    public static let standard: [StyleRole] = [
        .text, .title, .muted, .selection, .selectionUnfocused, .tier1, .tier2, .tier3, .tier4,
        .positive, .warning, .error, .chartBar, .border, .header, .status, .hintKey, .hintText,
        .input, .inputFocused, .match, .disabled,
    ]
}

/// Text attributes independent of colour (they survive NO_COLOR / mono).
public struct TextAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = TextAttributes(rawValue: 1)
    public static let reverse = TextAttributes(rawValue: 2)
    public static let underline = TextAttributes(rawValue: 4)
    public static let dim = TextAttributes(rawValue: 8)
    public static let italic = TextAttributes(rawValue: 16)

    static let names: [(String, TextAttributes)] = [
        ("bold", .bold), ("reverse", .reverse), ("underline", .underline), ("dim", .dim), ("italic", .italic),
    ]

    public init?(name: String) {
        let n = name.lowercased()
        if n == "standout" { self = .reverse; return }
        guard let hit = Self.names.first(where: { $0.0 == n }) else { return nil }
        self = hit.1
    }

    public var names: [String] { Self.names.filter { contains($0.1) }.map(\.0) }
}
