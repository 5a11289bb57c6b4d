import Testing
@testable import TerminalKit

/// Feeds bytes the way ncurses hands them over with keypad on: every byte
/// (here: every scalar) as its own get_wch value.
private func feedAll(_ text: String, _ parser: inout InputParser) -> [InputEvent] {
    var out: [InputEvent] = []
    for s in text.unicodeScalars { out += parser.feed(.char(s.value)) }
    return out + parser.flush()
}

@Suite struct PasteParserTests {
    @Test func bracketedPasteAsEscThenBytesIsOneEvent() {
        var p = InputParser()
        let events = feedAll("x\u{1B}[200~张三\r13800000001\u{1B}[201~y", &p)
        #expect(events == [.key(.char("x")), .paste("张三\n13800000001"), .key(.char("y"))])
    }

    @Test func pasteMarkersAsDefinedKeyCodes() {
        var p = InputParser()
        var out = p.feed(.keyCode(PasteKeyCode.start))
        for s in "a\r\nb".unicodeScalars { out += p.feed(.char(s.value)) }
        out += p.feed(.keyCode(PasteKeyCode.end))
        #expect(out == [.paste("a\nb")])
    }

    @Test func pastedTextIsNotInterpretedAsKeys() {
        var p = InputParser()
        let events = feedAll("\u{1B}[200~q:Q\u{1B}[201~", &p)
        #expect(events == [.paste("q:Q")])   // not back/command/quit
    }

    @Test func loneEscapeIsAnEscKeyOnFlush() {
        var p = InputParser()
        #expect(p.feed(.char(27)) == [])
        #expect(p.hasPendingEscape)
        #expect(p.flush() == [.key(.escape)])
    }

    @Test func escFollowedByOtherTextIsNotAPaste() {
        var p = InputParser()
        #expect(feedAll("\u{1B}[2x", &p) == [.key(.escape), .key(.char("[")), .key(.char("2")), .key(.char("x"))])
    }

    @Test func unterminatedPasteEndsWhenForced() {
        var p = InputParser()
        _ = feedAll("\u{1B}[200~abc", &p)
        #expect(p.isPasting)
        #expect(p.flush(endPaste: true) == [.paste("abc")])
    }

    @Test func resizeAndFunctionKeys() {
        var p = InputParser()
        #expect(p.feed(.keyCode(KEY_RESIZE_CODE)) == [.resize])
        #expect(p.feed(.keyCode(KEY_BTAB_CODE)) == [.key(.backTab)])
    }
}
