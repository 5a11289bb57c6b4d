/// A labelled input with an optional validator; the message (if any) is shown
/// under the field.
public struct FormField: Sendable {
    public var label: String
    public var input: TextField
    public var validate: (@Sendable (String) -> String?)?
    public var error: String?
    /// A fixed choice (←/→/Space cycle) instead of typed text: nothing to misspell.
    public var choices: [String] = []
    public var choice = 0
    public init(_ label: String, _ input: TextField = TextField(), validate: (@Sendable (String) -> String?)? = nil) {
        self.label = label; self.input = input; self.validate = validate
    }
    public init(_ label: String, choices: [String], selected: Int = 0) {
        self.label = label; input = TextField(); self.choices = choices
        choice = min(max(0, selected), max(0, choices.count - 1))
    }
    public var value: String { choices.isEmpty ? input.text : choices[choice] }
}

/// A vertical form: Tab/↓ and S-Tab/↑ move between fields, Enter moves on
/// and submits from the last field if every field validates.
public struct Form: Sendable {
    public var fields: [FormField]
    public private(set) var focus = 0

    public enum Outcome: Equatable, Sendable { case editing, submitted, cancelled }

    public init(_ fields: [FormField]) { self.fields = fields }

    public mutating func focus(_ i: Int) { focus = min(max(0, i), max(0, fields.count - 1)) }

    /// Runs every validator; focuses the first invalid field. True when all pass.
    @discardableResult
    public mutating func validateAll() -> Bool {
        var first: Int?
        for i in fields.indices {
            fields[i].error = fields[i].validate?(fields[i].value)
            if fields[i].error != nil && first == nil { first = i }
        }
        if let f = first { focus = f }
        return first == nil
    }

    @discardableResult
    public mutating func handle(_ event: InputEvent) -> Outcome {
        guard !fields.isEmpty else { return .editing }
        switch event {
        case .key(.tab), .key(.down): focus = (focus + 1) % fields.count
        case .key(.backTab), .key(.up): focus = (focus + fields.count - 1) % fields.count
        case .key(.escape), .key(.ctrl("g")): return .cancelled
        case .key(.enter):
            fields[focus].error = fields[focus].validate?(fields[focus].value)
            if focus < fields.count - 1 { focus += 1 } else if validateAll() { return .submitted }
        case .key(.left) where !fields[focus].choices.isEmpty: cycle(-1)
        case .key(.right) where !fields[focus].choices.isEmpty, .key(.char(" ")) where !fields[focus].choices.isEmpty: cycle(1)
        default:
            if fields[focus].choices.isEmpty, fields[focus].input.handle(event) { fields[focus].error = nil }
        }
        return .editing
    }

    private mutating func cycle(_ step: Int) {
        let n = fields[focus].choices.count
        fields[focus].choice = (fields[focus].choice + step + n) % n
        fields[focus].error = nil
    }

    /// Rows needed: one per field plus one per error message.
    public var height: Int { fields.count + fields.filter { $0.error != nil }.count }

    /// Rows needed at `width` columns: an error is wrapped under its field, never cut (a cut
    /// sentence can say the opposite of the whole one).
    public func height(width: Int) -> Int {
        let room = errorWidth(width)
        return fields.reduce(0) { $0 + 1 + ($1.error.map { wrapToWidth("⚠ " + $0, room).count } ?? 0) }
    }

    private func labelWidth(_ width: Int) -> Int { min(width / 3, (fields.map { displayWidth($0.label) }.max() ?? 0) + 1) }
    private func errorWidth(_ width: Int) -> Int { max(10, width - labelWidth(width) - 1) }

    public mutating func draw(on canvas: Canvas) {
        let labelWidth = labelWidth(canvas.width)
        var y = 0
        for i in fields.indices {
            guard y < canvas.height else { break }
            let focused = i == focus
            canvas.putPadded(fields[i].label, x: 0, y: y, width: labelWidth, role: focused ? .title : .text)
            if fields[i].choices.isEmpty {
                fields[i].input.draw(on: canvas, x: labelWidth + 1, y: y, width: canvas.width - labelWidth - 1, focused: focused)
            } else {
                // "< UTF-8 >": the arrows say it is a choice, not a text.
                canvas.put("< " + fields[i].value + " >", x: labelWidth + 1, y: y, role: focused ? .selection : .text)
            }
            y += 1
            if let e = fields[i].error {
                for line in wrapToWidth("⚠ " + e, errorWidth(canvas.width)) where y < canvas.height {
                    canvas.put(line, x: labelWidth + 1, y: y, role: .error)
                    y += 1
                }
            }
        }
    }
}
