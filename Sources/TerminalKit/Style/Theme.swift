import TOMLKit

/// How one role looks: colour fallback chains and attributes.
/// `fg`/`bg` are lists tried in order ("#ff8700", then 208, then "yellow");
/// if none fits the terminal natively the first is converted (nearest colour).
public struct RoleStyle: Hashable, Sendable {
    public var fg: [TermColor]
    public var bg: [TermColor]
    public var attributes: TextAttributes
    public init(fg: [TermColor] = [.terminalDefault], bg: [TermColor] = [.terminalDefault], attributes: TextAttributes = []) {
        self.fg = fg; self.bg = bg; self.attributes = attributes
    }

    /// (fg, bg) palette indices for a terminal with `colors` colours; -1 means
    /// the terminal's own colour; nil when the terminal has no colour.
    public func resolvedColors(forColors colors: Int) -> (fg: Int, bg: Int)? {
        guard colors >= 8 else { return nil }
        return (Self.pick(fg, colors), Self.pick(bg, colors))
    }

    static func pick(_ chain: [TermColor], _ colors: Int) -> Int {
        for c in chain {
            switch c {
            case .terminalDefault: return -1
            case .indexed(let i) where i < 8 || (i < 16 && colors >= 16) || (colors >= 256 && i < 256): return i
            case .rgb where colors >= 256: return c.resolved(forColors: colors) ?? -1
            default: continue
            }
        }
        return chain.first?.resolved(forColors: colors) ?? -1
    }
}

/// A named set of role styles, loaded from `themes/NAME.toml`:
/// ```toml
/// name = "default"
/// description = "Dark background"
/// [roles]
/// title     = { fg = "#ffaf00", attrs = ["bold"] }
/// selection = { fg = "black", bg = ["#5fafff", "cyan"] }
/// ```
/// Colours: "default" (terminal's own), a name ("red", "bright_blue"), 0-255, or "#rrggbb".
/// Attributes: bold, reverse, underline, dim, italic. Roles a theme omits fall back to `text`.
public struct Theme: Sendable, Equatable {
    public var name: String
    public var description: String
    public var roles: [StyleRole: RoleStyle]
    /// True for themes meant for no colour (NO_COLOR): only attributes are used.
    public var monochrome: Bool

    public init(name: String, description: String = "", roles: [StyleRole: RoleStyle], monochrome: Bool = false) {
        self.name = name; self.description = description; self.roles = roles; self.monochrome = monochrome
    }

    public func style(_ role: StyleRole) -> RoleStyle {
        roles[role] ?? roles[.text] ?? RoleStyle()
    }

    /// Parses theme TOML; `name` is used when the file has no `name` key.
    public static func parse(toml: String, name fallbackName: String) throws(ThemeError) -> Theme {
        let table: TOMLTable
        do { table = try TOMLTable(string: toml) } catch let e as TOMLParseError {
            throw ThemeError.syntax(theme: fallbackName, detail: "\(e.description) at line \(e.source.begin.line)")
        } catch {
            throw ThemeError.syntax(theme: fallbackName, detail: "\(error)")
        }
        let name = table["name"]?.string ?? fallbackName
        var roles: [StyleRole: RoleStyle] = [:]
        guard let rolesTable = table["roles"]?.table else {
            throw ThemeError.invalid(theme: name, detail: "missing [roles] table")
        }
        for key in rolesTable.keys {
            guard let entry = rolesTable[key]?.table else {
                throw ThemeError.invalid(theme: name, detail: "roles.\(key) must be a table like { fg = \"red\" }")
            }
            var style = RoleStyle()
            for field in entry.keys {
                let value = entry[field]!
                switch field {
                case "fg": style.fg = try colorChain(value, theme: name, at: "roles.\(key).fg")
                case "bg": style.bg = try colorChain(value, theme: name, at: "roles.\(key).bg")
                case "attrs":
                    let list = value.array.map { arr in (0..<arr.count).map { arr[$0] } } ?? [value]
                    for item in list {
                        guard let s = item.string, let a = TextAttributes(name: s) else {
                            throw ThemeError.invalid(theme: name, detail: "roles.\(key).attrs: unknown attribute \(item.debugDescription) (use bold, reverse, underline, dim, italic)")
                        }
                        style.attributes.insert(a)
                    }
                default:
                    throw ThemeError.invalid(theme: name, detail: "roles.\(key): unknown field \"\(field)\" (use fg, bg, attrs)")
                }
            }
            roles[StyleRole(key)] = style
        }
        return Theme(name: name, description: table["description"]?.string ?? "", roles: roles,
                     monochrome: table["monochrome"]?.bool ?? false)
    }

    static func colorChain(_ value: TOMLValueConvertible, theme: String, at path: String) throws(ThemeError) -> [TermColor] {
        let items = value.array.map { arr in (0..<arr.count).map { arr[$0] } } ?? [value]
        var chain: [TermColor] = []
        for item in items {
            let color: TermColor?
            if let i = item.int { color = (0...255).contains(i) ? .indexed(i) : nil }
            else if let s = item.string { color = TermColor(parsing: s) }
            else { color = nil }
            guard let c = color else {
                throw ThemeError.invalid(theme: theme, detail: "\(path): bad colour \(item.debugDescription) (use default, a name like red, 0-255, or #rrggbb)")
            }
            chain.append(c)
        }
        if chain.isEmpty { throw ThemeError.invalid(theme: theme, detail: "\(path): empty colour list") }
        return chain
    }
}

public enum ThemeError: Error, Equatable, CustomStringConvertible {
    case syntax(theme: String, detail: String)
    case invalid(theme: String, detail: String)
    case unknown(name: String, available: [String])

    public var description: String {
        switch self {
        case .syntax(let t, let d): return "theme \"\(t)\": TOML error: \(d)"
        case .invalid(let t, let d): return "theme \"\(t)\": \(d)"
        case .unknown(let n, let a): return "unknown theme \"\(n)\"; available: \(a.joined(separator: ", "))"
        }
    }
}
