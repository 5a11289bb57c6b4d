/// The `?` help screen, generated from the key-binding table
/// (`KeyMap.helpSections`), in a centred modal; scrolls with j/k, ↑/↓,
/// PgUp/PgDn, g/G; closes with ?, q, Esc or C-g.
public struct HelpOverlay: Sendable {
    public private(set) var lines: [(text: String, role: StyleRole)]
    public private(set) var scroll = 0
    private var pageHeight = 10
    private let words: Words

    /// The overlay's own words, from the caller's language table.
    public struct Words: Sendable {
        public var scroll, close, unavailable: String
        public init(scroll: String = "滚动", close: String = "关闭", unavailable: String = "不可用") {
            self.scroll = scroll; self.close = close; self.unavailable = unavailable
        }
    }

    /// `contextTitles` maps context names to headings ("global" → "全局 Global").
    public init<A>(keyMap: KeyMap<A>, contexts: [String]? = nil, contextTitles: [String: String] = [:], words: Words = Words()) {
        self.words = words
        var out: [(String, StyleRole)] = []
        let sections = keyMap.helpSections(contexts: contexts)
        let keyColumn = min(18, (sections.flatMap { $0.entries.map { displayWidth($0.keys) } }.max() ?? 8) + 2)
        for (n, s) in sections.enumerated() {
            if n > 0 { out.append(("", .text)) }
            out.append((contextTitles[s.context] ?? s.context, .header))
            for e in s.entries {
                var line = "  " + padToWidth(e.keys, keyColumn) + e.description
                if let r = e.disabledReason { line += " (\(words.unavailable): \(r))" }
                out.append((line, e.disabledReason == nil ? .text : .disabled))
            }
        }
        lines = out
    }

    public enum Outcome: Equatable, Sendable { case open, closed }

    public mutating func handle(_ event: InputEvent) -> Outcome {
        switch event {
        case .key(.char("?")), .key(.char("q")), .key(.escape), .key(.ctrl("g")): return .closed
        case .key(.char("j")), .key(.down): scroll += 1
        case .key(.char("k")), .key(.up): scroll -= 1
        case .key(.pageDown), .key(.char(" ")), .key(.ctrl("d")): scroll += pageHeight
        case .key(.pageUp), .key(.ctrl("u")): scroll -= pageHeight
        case .key(.char("g")), .key(.home): scroll = 0
        case .key(.char("G")), .key(.end): scroll = lines.count
        default: break
        }
        clampScroll()
        return .open
    }

    private mutating func clampScroll() {
        scroll = max(0, min(scroll, lines.count - pageHeight))
    }

    public mutating func draw(on canvas: Canvas, title: String = "帮助 Help", glyphs: BorderGlyphs = .unicode) {
        let width = min(canvas.width - 2, 76)
        let height = canvas.height - 2
        let inner = Box.modal(on: canvas, width: width, height: height, title: title, glyphs: glyphs)
        pageHeight = max(1, inner.height - 1)
        clampScroll()
        for row in 0..<pageHeight {
            let i = scroll + row
            guard i < lines.count else { break }
            inner.put(lines[i].text, x: 1, y: row, role: lines[i].role, maxWidth: inner.width - 2)
        }
        let more = lines.count > pageHeight
            ? "\(scroll + 1)-\(min(lines.count, scroll + pageHeight))/\(lines.count)  j/k \(words.scroll)  q/Esc \(words.close)"
            : "q/Esc \(words.close)"
        inner.put(more, x: max(1, inner.width - displayWidth(more) - 1), y: inner.height - 1, role: .muted)
    }
}
