import CNcursesw

/// One value from `get_wch`: a function-key code or a character code point.
/// Kept separate from `Key` so paste parsing and decoding are testable
/// without a terminal.
public enum RawInput: Equatable, Sendable {
    case keyCode(Int32)
    case char(UInt32)
}

/// Private key codes registered with `define_key` for the bracketed-paste
/// markers, so ncurses reports them as single keys when it can.
enum PasteKeyCode {
    static let start: Int32 = KEY_MAX + 1
    static let end: Int32 = KEY_MAX + 2
}

/// Maps one raw ncurses value to a key (nil for codes we do not use).
public func decodeKey(_ raw: RawInput) -> Key? {
    switch raw {
    case .char(let v):
        switch v {
        case 8, 127: return .backspace       // tmux/xterm send DEL (127) for Backspace; ^H is 8
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 1...26: return .ctrl(Character(Unicode.Scalar(v + 96)!))
        case 0, 28...31: return nil
        default:
            guard let s = Unicode.Scalar(v) else { return nil }
            return .char(Character(s))
        }
    case .keyCode(let code):
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME, KEY_A1: return .home
        case KEY_END, KEY_C1, KEY_LL: return .end
        case KEY_IC: return .insert
        case KEY_DC: return .delete
        case KEY_BACKSPACE: return .backspace
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case KEY_F0 + 1 ... KEY_F0 + 24: return .function(Int(code - KEY_F0))
        default: return nil
        }
    }
}

// ncurses key codes re-exported for tests (which do not import CNcursesw).
let KEY_BACKSPACE_CODE: Int32 = KEY_BACKSPACE
let KEY_BTAB_CODE: Int32 = KEY_BTAB
