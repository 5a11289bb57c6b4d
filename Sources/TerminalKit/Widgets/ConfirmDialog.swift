/// A yes/no confirmation, or — for dangerous actions — "type this word to
/// confirm" (the user must type `confirmWord` exactly, then Enter).
/// Cancel: n, q, Esc, C-g (Esc is never the only way out).
public struct ConfirmDialog: Sendable {
    public var title: String
    public var message: String
    public var confirmWord: String?
    /// How to answer a yes/no question, in the caller's language.
    public var answerHint = "[y] 确认 Yes    [n/Esc] 取消 No"
    public private(set) var input = TextField()
    public private(set) var error: String?

    public enum Outcome: Equatable, Sendable { case pending, confirmed, cancelled }

    public init(title: String, message: String, confirmWord: String? = nil) {
        self.title = title; self.message = message; self.confirmWord = confirmWord
    }

    public mutating func handle(_ event: InputEvent) -> Outcome {
        switch event {
        case .key(.escape), .key(.ctrl("g")): return .cancelled
        default: break
        }
        guard let word = confirmWord else {
            switch event {
            case .key(.char("y")), .key(.char("Y")), .key(.enter): return .confirmed
            case .key(.char("n")), .key(.char("N")), .key(.char("q")): return .cancelled
            default: return .pending
            }
        }
        if event == .key(.enter) {
            if input.text == word { return .confirmed }
            error = "输入不一致，请输入「\(word)」 Type \"\(word)\" exactly"
            return .pending
        }
        if input.handle(event) { error = nil }
        return .pending
    }

    public mutating func draw(on canvas: Canvas, glyphs: BorderGlyphs = .unicode) {
        let prompt = confirmWord.map { "请输入「\($0)」确认 Type \"\($0)\" to confirm:" }
        let width = min(canvas.width - 2, max(40, displayWidth(message) + 4, displayWidth(prompt ?? "") + 4))
        let lines = wrapToWidth(message, width - 4)
        // Borders, a blank row, the message, a blank row, then the answer line (or the prompt,
        // the input and its error): 4 was one row short and cut the answer line off.
        let height = lines.count + (confirmWord == nil ? 5 : 6)
        let inner = Box.modal(on: canvas, width: width, height: height, title: title, glyphs: glyphs)
        var y = 1
        for l in lines { inner.put(l, x: 1, y: y); y += 1 }
        y += 1
        if let word = confirmWord {
            inner.put(prompt ?? word, x: 1, y: y - 1, role: .warning)
            input.draw(on: inner, x: 1, y: y, width: inner.width - 2, focused: true)
            y += 1
            if let e = error { inner.put(e, x: 1, y: y, role: .error) }
        } else {
            inner.put(answerHint, x: 1, y: y, role: .muted)
        }
    }
}
