/// One key press. Text (including Chinese from an IME) arrives as `.char`;
/// control letters as `.ctrl("d")` (always lowercase).
public enum Key: Hashable, Sendable {
    case char(Character)
    case ctrl(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case insert, delete, backspace
    case enter, tab, backTab, escape
    case function(Int)
}

/// What the event loop hands the app.
public enum InputEvent: Equatable, Sendable {
    case key(Key)
    /// A bracketed paste, delivered whole (newlines as "\n"), never as key presses.
    case paste(String)
    /// The terminal changed size; re-layout and repaint.
    case resize

    /// The character typed, if this is plain text input.
    public var character: Character? {
        if case .key(.char(let c)) = self { return c }
        return nil
    }
}
