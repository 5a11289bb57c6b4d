/// One-line text input. The cursor moves by Character (so 张 or é is one
/// step), width and scrolling are by display columns. Emacs-style editing:
/// C-a/C-e home/end, C-u/C-k kill to start/end, C-w delete word, ←/→,
/// Backspace/Delete, Home/End; pastes are inserted with newlines as spaces.
public struct TextField: Equatable, Sendable {
    public private(set) var characters: [Character]
    /// Cursor position in Characters (0...count).
    public private(set) var cursor: Int
    /// First visible Character (horizontal scroll), updated by `draw`.
    public private(set) var scroll = 0
    public var placeholder: String
    /// Maximum length in Characters (nil = unlimited).
    public var maxLength: Int?

    public init(_ text: String = "", placeholder: String = "", maxLength: Int? = nil) {
        characters = Array(sanitizeForDisplay(text))
        cursor = characters.count
        self.placeholder = placeholder
        self.maxLength = maxLength
    }

    public var text: String {
        get { String(characters) }
        set { characters = Array(sanitizeForDisplay(newValue)); cursor = characters.count; scroll = 0 }
    }

    /// Handles an editing event; returns false for events it does not use
    /// (Enter, Esc, Tab, ↑/↓...) so the owner can act on them.
    @discardableResult
    public mutating func handle(_ event: InputEvent) -> Bool {
        switch event {
        case .paste(let s):
            insert(String(s.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 }))
            return true
        case .resize: return false
        case .key(let key):
            switch key {
            case .char(let c): insert(String(c))
            case .left: cursor = max(0, cursor - 1)
            case .right: cursor = min(characters.count, cursor + 1)
            case .home, .ctrl("a"): cursor = 0
            case .end, .ctrl("e"): cursor = characters.count
            case .backspace, .ctrl("h"):
                guard cursor > 0 else { return true }
                characters.remove(at: cursor - 1); cursor -= 1
            case .delete, .ctrl("d"):
                guard cursor < characters.count else { return true }
                characters.remove(at: cursor)
            case .ctrl("u"): characters.removeSubrange(0..<cursor); cursor = 0
            case .ctrl("k"): characters.removeSubrange(cursor...)
            case .ctrl("w"): deleteWordBackward()
            default: return false
            }
            return true
        }
    }

    public mutating func insert(_ s: String) {
        var add = Array(sanitizeForDisplay(s))
        if let m = maxLength { add = Array(add.prefix(max(0, m - characters.count))) }
        characters.insert(contentsOf: add, at: cursor)
        cursor += add.count
    }

    /// Deletes back to the start of the previous word (spaces, then non-spaces).
    private mutating func deleteWordBackward() {
        var i = cursor
        while i > 0 && characters[i - 1].isWhitespace { i -= 1 }
        while i > 0 && !characters[i - 1].isWhitespace { i -= 1 }
        characters.removeSubrange(i..<cursor)
        cursor = i
    }

    /// Draws the field in `width` columns at (x, y), scrolling so the cursor is
    /// visible, and places the terminal cursor there when `focused`.
    public mutating func draw(on canvas: Canvas, x: Int, y: Int, width: Int, focused: Bool) {
        guard width > 0 else { return }
        let role: StyleRole = focused ? .inputFocused : .input
        canvas.fill(Rect(x: x, y: y, width: width, height: 1), role: role)
        if characters.isEmpty && !focused {
            canvas.put(placeholder, x: x, y: y, role: role, extra: .dim, maxWidth: width)
        }
        // Keep one column free for the cursor at the end.
        let room = width - 1
        if cursor < scroll { scroll = cursor }
        while scroll < cursor && columns(scroll..<cursor) > room { scroll += 1 }
        let visible = String(characters[scroll...])
        canvas.put(visible, x: x, y: y, role: role, maxWidth: width)
        if focused { canvas.setCursor((x + columns(scroll..<cursor), y)) }
    }

    private func columns(_ r: Range<Int>) -> Int {
        characters[r].reduce(0) { $0 + displayWidth($1) }
    }

    /// Display columns before the cursor (for tests and custom drawing).
    public var cursorColumn: Int { columns(0..<cursor) }
}
