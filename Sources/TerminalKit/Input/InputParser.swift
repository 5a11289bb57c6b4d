/// Turns raw `get_wch` values into `InputEvent`s, assembling bracketed pastes.
///
/// A paste arrives as `ESC [200~ text ESC [201~`. With keypad on, ncurses
/// either reports the markers as the key codes we registered with
/// `define_key`, or (if that failed, or the sequence arrived split) as a bare
/// ESC followed by the characters "[200~". Both are handled. While an ESC is
/// pending the parser cannot know whether it is a lone Esc press: the loop
/// calls `flush()` when no more input is immediately available.
public struct InputParser: Sendable {
    private static let startMarker: [UInt32] = Array("[200~".unicodeScalars.map(\.value))
    private static let endMarker: [UInt32] = Array("[201~".unicodeScalars.map(\.value))

    private var pending: [UInt32] = []   // ESC + partial marker chars seen so far
    private var pasting = false
    private var paste = String.UnicodeScalarView()

    public init() {}

    /// True while inside a paste (the loop should keep reading, not flush).
    public var isPasting: Bool { pasting }
    /// True when an ESC is held back waiting to see if a marker follows.
    public var hasPendingEscape: Bool { !pending.isEmpty }

    public mutating func feed(_ raw: RawInput) -> [InputEvent] {
        var out: [InputEvent] = []
        switch raw {
        case .keyCode(PasteKeyCode.start):
            out += flushPending(); pasting = true; paste = .init()
        case .keyCode(PasteKeyCode.end):
            if pasting { out += finishPaste() }
        case .keyCode(let code):
            if pasting {
                if decodeKey(raw) == .enter { paste.append("\n") }   // keypad Enter inside a paste
            } else {
                out += flushPending()
                if code == KEY_RESIZE_CODE { out.append(.resize) }
                else if let k = decodeKey(raw) { out.append(.key(k)) }
            }
        case .char(let v):
            out += feedChar(v)
        }
        return out
    }

    /// No more input is immediately available: a held ESC was a real Esc press.
    /// Inside a paste nothing is emitted (the paste waits for its end marker)
    /// unless `endPaste` is set (the terminal never sent one).
    public mutating func flush(endPaste: Bool = false) -> [InputEvent] {
        if pasting {
            guard endPaste else { return [] }
            let held = pending.compactMap(Unicode.Scalar.init)
            pending = []
            paste.append(contentsOf: held)
            return finishPaste()
        }
        return flushPending()
    }

    private mutating func feedChar(_ v: UInt32) -> [InputEvent] {
        if !pending.isEmpty || v == 27 {
            if v == 27 && !pending.isEmpty {
                // A second ESC: the first was a lone Esc (or literal ESC in a paste).
                let out = flushPending()
                pending = [27]
                return out
            }
            pending.append(v)
            let marker = pasting ? Self.endMarker : Self.startMarker
            let got = Array(pending.dropFirst())
            if got == marker {
                pending = []
                if pasting { return finishPaste() }
                pasting = true; paste = .init()
                return []
            }
            if got.count <= marker.count && Array(marker.prefix(got.count)) == got { return [] }
            return flushPending()
        }
        if pasting {
            if let s = Unicode.Scalar(v) { paste.append(s) }   // CR/CRLF normalised at the end
            return []
        }
        return decodeKey(.char(v)).map { [.key($0)] } ?? []
    }

    private mutating func flushPending() -> [InputEvent] {
        guard !pending.isEmpty else { return [] }
        let held = pending
        pending = []
        if pasting {
            paste.append(contentsOf: held.compactMap(Unicode.Scalar.init))
            return []
        }
        return held.compactMap { decodeKey(.char($0)) }.map { .key($0) }
    }

    private mutating func finishPaste() -> [InputEvent] {
        pasting = false
        // Normalise CRLF from some terminals, keep the text otherwise verbatim.
        let text = String(paste).replacingCRLF()
        paste = .init()
        return [.paste(text)]
    }
}

import CNcursesw
let KEY_RESIZE_CODE: Int32 = KEY_RESIZE

extension String {
    func replacingCRLF() -> String {
        var out = String.UnicodeScalarView()
        var lastCR = false
        for s in unicodeScalars {
            if s == "\n" && lastCR { lastCR = false; continue }
            lastCR = (s == "\r")
            out.append(s == "\r" ? "\n" : s)
        }
        return String(out)
    }
}
