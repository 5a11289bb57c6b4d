/// The key-binding table (see `KeyBinding`). Generic over the app's action type.
public struct KeyMap<Action: Hashable> {
    public private(set) var bindings: [KeyBinding<Action>]

    public init(_ bindings: [KeyBinding<Action>]) { self.bindings = bindings }

    public mutating func add(_ binding: KeyBinding<Action>) { bindings.append(binding) }
    public mutating func add(contentsOf more: [KeyBinding<Action>]) { bindings += more }

    public enum Resolution {
        case action(Action)
        /// Bound but unavailable: show `reason` (never a silent no-op).
        case disabled(Action, reason: String)
        case unbound
    }

    /// Contexts in priority order, with "global" last.
    static func order(_ contexts: [String]) -> [String] {
        contexts.contains("global") ? contexts : contexts + ["global"]
    }

    /// What `key` does in `contexts` (most specific first; "global" is implied last).
    public func resolve(_ key: Key, contexts: [String] = []) -> Resolution {
        for ctx in Self.order(contexts) {
            if let b = bindings.first(where: { $0.context == ctx && $0.keys.contains(key) }) {
                if let reason = b.disabledReason?() { return .disabled(b.action, reason: reason) }
                return .action(b.action)
            }
        }
        return .unbound
    }

    public func binding(named name: String) -> KeyBinding<Action>? { bindings.first { $0.name == name } }

    /// Current keys of an action (after rebinding), for prompts like "按 ? 查看帮助".
    public func keys(for name: String) -> [Key] { binding(named: name)?.keys ?? [] }

    public struct Hint: Equatable, Sendable {
        public var keys: String
        public var label: String
        public var disabled: Bool
    }

    /// Hint-bar entries for `contexts`: bindings with a `hint`, in table order,
    /// specific contexts first; a key shadowed by a more specific context is dropped.
    /// `global` false: only the screen's own keys (a question whose other keys are off).
    public func hints(contexts: [String] = [], global: Bool = true) -> [Hint] {
        var out: [Hint] = []
        var seenKeys = Set<Key>()
        for ctx in global ? Self.order(contexts) : contexts {
            for b in bindings where b.context == ctx {
                let live = b.keys.filter { !seenKeys.contains($0) }
                seenKeys.formUnion(b.keys)
                guard let label = b.hint, !live.isEmpty else { continue }
                let keys = live.prefix(2).map(\.shortName).joined(separator: "/")
                out.append(Hint(keys: keys, label: label, disabled: b.disabledReason?() != nil))
            }
        }
        return out
    }

    public struct HelpSection: Sendable, Equatable {
        public var context: String
        public var entries: [(keys: String, description: String, disabledReason: String?)]
        public static func == (a: Self, b: Self) -> Bool {
            a.context == b.context && a.entries.map { "\($0.keys)|\($0.description)|\($0.disabledReason ?? "")" }
                == b.entries.map { "\($0.keys)|\($0.description)|\($0.disabledReason ?? "")" }
        }
    }

    /// Every binding grouped by context (contexts in first-appearance order),
    /// with all its current key names. Feed to `HelpOverlay`.
    public func helpSections(contexts: [String]? = nil) -> [HelpSection] {
        var order: [String] = []
        for b in bindings where !order.contains(b.context) { order.append(b.context) }
        guard let only = contexts else {
            return order.map { ctx in
                HelpSection(context: ctx, entries: bindings.filter { $0.context == ctx && !$0.keys.isEmpty }.map {
                    ($0.keys.map(\.name).joined(separator: ", "), $0.description, $0.disabledReason?())
                })
            }
        }
        // For one screen, as `resolve` sees it: a key taken by a more specific context is not
        // listed again under a later one (Space marks a tag in Tags; it is not also "page down").
        var seen = Set<Key>()
        return Self.order(only).filter(order.contains).map { ctx in
            var entries: [(keys: String, description: String, disabledReason: String?)] = []
            for b in bindings where b.context == ctx {
                let live = b.keys.filter { !seen.contains($0) }
                seen.formUnion(b.keys)
                if !live.isEmpty { entries.append((live.map(\.name).joined(separator: ", "), b.description, b.disabledReason?())) }
            }
            return HelpSection(context: ctx, entries: entries)
        }.filter { !$0.entries.isEmpty }
    }

    /// Applies `[keys]` overrides (`name → key names`). Valid entries are applied;
    /// problems come back as messages to show the user (never a crash).
    /// A key taken by another binding in the same context moves to the new one.
    @discardableResult
    public mutating func rebind(_ overrides: [String: [String]]) -> [String] {
        var problems: [String] = []
        for name in overrides.keys.sorted() {
            let names = overrides[name]!
            guard let idx = bindings.firstIndex(where: { $0.name == name }) else {
                let known = bindings.map(\.name).joined(separator: ", ")
                problems.append("[keys] \(name): unknown action (known: \(known))")
                continue
            }
            var keys: [Key] = []
            var bad = false
            for n in names {
                if let k = Key(name: n) { keys.append(k) } else {
                    problems.append("[keys] \(name): unknown key name \"\(n)\" (examples: j, G, C-d, S-Tab, PgDn, F1, Space, Esc)")
                    bad = true
                }
            }
            if bad { continue }
            let ctx = bindings[idx].context
            for j in bindings.indices where j != idx && bindings[j].context == ctx {
                let taken = bindings[j].keys.filter(keys.contains)
                guard !taken.isEmpty else { continue }
                bindings[j].keys.removeAll(where: keys.contains)
                if overrides[bindings[j].name] == nil {
                    problems.append("[keys] \(name): \(taken.map(\.name).joined(separator: ", ")) no longer does \(bindings[j].name)")
                }
            }
            bindings[idx].keys = keys
        }
        return problems
    }
}
