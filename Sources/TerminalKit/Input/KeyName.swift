// Key names as written in config files and shown in the hint bar/help:
// "j", "G", "?", "C-d", "S-Tab", "PgDn", "F1", "Space", "Esc"...
// Parsing is forgiving ("ctrl+d", "<C-d>", "pagedown", "Ctrl-D");
// printing is canonical.

extension Key: CustomStringConvertible {
    public var description: String { name }

    /// Canonical name: "C-d", "S-Tab", "PgDn", "F5", "Space", "j".
    public var name: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "C-" + String(c)
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .insert: return "Ins"
        case .delete: return "Del"
        case .backspace: return "Backspace"
        case .enter: return "Enter"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .escape: return "Esc"
        case .function(let n): return "F\(n)"
        }
    }

    /// Short form for the hint bar: arrows as glyphs.
    public var shortName: String {
        switch self {
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        default: return name
        }
    }

    static let namedKeys: [String: Key] = [
        "up": .up, "down": .down, "left": .left, "right": .right,
        "pgup": .pageUp, "pageup": .pageUp, "prior": .pageUp,
        "pgdn": .pageDown, "pgdown": .pageDown, "pagedown": .pageDown, "next": .pageDown,
        "home": .home, "end": .end, "ins": .insert, "insert": .insert,
        "del": .delete, "delete": .delete, "backspace": .backspace, "bs": .backspace,
        "enter": .enter, "return": .enter, "ret": .enter, "cr": .enter,
        "tab": .tab, "backtab": .backTab, "s-tab": .backTab, "shift-tab": .backTab,
        "esc": .escape, "escape": .escape, "space": .char(" "), "spc": .char(" "),
        "lt": .char("<"), "gt": .char(">"), "bar": .char("|"),
    ]

    /// Parses a key name; nil when it is not one.
    public init?(name raw: String) {
        var s = raw.trimmingWhitespace()
        if s.count > 2, s.hasPrefix("<"), s.hasSuffix(">") { s = String(s.dropFirst().dropLast()) }
        guard !s.isEmpty else { return nil }
        if s.count == 1 {
            let c = s.first!
            guard c.unicodeScalars.allSatisfy({ displayScalar($0) == $0 }) else { return nil }
            self = .char(c); return
        }
        let lower = s.lowercased()
        if let k = Self.namedKeys[lower] { self = k; return }
        for prefix in ["c-", "ctrl-", "ctrl+", "control-", "^"] where lower.hasPrefix(prefix) {
            let rest = s.dropFirst(prefix.count)
            guard rest.count == 1, let c = rest.lowercased().first, c.isASCII, c.isLetter else { return nil }
            self = .ctrl(c); return
        }
        for prefix in ["s-", "shift-", "shift+"] where lower.hasPrefix(prefix) {
            if lower.dropFirst(prefix.count) == "tab" { self = .backTab; return }
            return nil
        }
        if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...24).contains(n) {
            self = .function(n); return
        }
        return nil
    }
}
