/// One row of the key-binding table. The same record drives dispatch
/// (`KeyMap.resolve`), the hint bar (`KeyMap.hints`) and the help overlay
/// (`KeyMap.helpSections`), so they can never disagree — even after the user
/// rebinds keys in config.toml (where `name` is the key: `[keys] move_down = ["j"]`).
public struct KeyBinding<Action: Hashable> {
    /// Stable config name, e.g. "move_down", "reveal_phone".
    public var name: String
    public var action: Action
    public var keys: [Key]
    /// Help overlay text ("下移一行 Move down").
    public var description: String
    /// Short hint-bar label; nil keeps the binding out of the hint bar.
    public var hint: String?
    /// Where it applies ("global", "list", "form", ...). Resolution tries the
    /// caller's contexts in order, so a specific context can shadow "global".
    public var context: String
    /// Non-nil = currently unavailable, with the reason to show instead of a
    /// silent no-op ("只读模式，不能加标签").
    public var disabledReason: (() -> String?)?

    public init(_ name: String, _ action: Action, keys: [Key], description: String, hint: String? = nil,
                context: String = "global", disabledReason: (() -> String?)? = nil) {
        self.name = name; self.action = action; self.keys = keys; self.description = description
        self.hint = hint; self.context = context; self.disabledReason = disabledReason
    }

    /// Convenience: keys by name ("C-d", "PgDn"); invalid names are a programming error.
    public init(_ name: String, _ action: Action, _ keyNames: [String], _ description: String, hint: String? = nil,
                context: String = "global", disabledReason: (() -> String?)? = nil) {
        let keys = keyNames.map { n -> Key in
            guard let k = Key(name: n) else { preconditionFailure("bad key name \(n) in binding \(name)") }
            return k
        }
        self.init(name, action, keys: keys, description: description, hint: hint, context: context,
                  disabledReason: disabledReason)
    }

    /// "j/↓" style label of the first two keys.
    public var keyLabel: String { keys.prefix(2).map(\.shortName).joined(separator: "/") }
}
