import Testing
@testable import TerminalKit

@Suite struct KeyNameTests {
    @Test(arguments: [
        ("j", Key.char("j")), ("G", .char("G")), ("?", .char("?")), ("C-d", .ctrl("d")), ("C-D", .ctrl("d")),
        ("ctrl+u", .ctrl("u")), ("<C-l>", .ctrl("l")), ("S-Tab", .backTab), ("PgDn", .pageDown),
        ("pagedown", .pageDown), ("PgUp", .pageUp), ("F1", .function(1)), ("F12", .function(12)),
        ("Space", .char(" ")), ("Esc", .escape), ("Enter", .enter), ("Down", .down), ("Home", .home), ("张", .char("张")),
    ])
    func parses(_ name: String, _ key: Key) {
        #expect(Key(name: name) == key)
    }

    @Test(arguments: ["", "C-", "C-dd", "F0", "F99", "Hyper-x", "S-q", "\u{1B}"])
    func rejects(_ name: String) {
        #expect(Key(name: name) == nil)
    }

    @Test func printsCanonicalNamesThatRoundTrip() {
        let keys: [Key] = [.ctrl("d"), .backTab, .pageDown, .function(5), .char(" "), .escape, .char("G"), .delete]
        #expect(keys.map(\.name) == ["C-d", "S-Tab", "PgDn", "F5", "Space", "Esc", "G", "Del"])
        for k in keys { #expect(Key(name: k.name) == k) }
    }

    @Test func decodesRawNcursesValues() {
        #expect(decodeKey(.char(127)) == .backspace)
        #expect(decodeKey(.char(8)) == .backspace)
        #expect(decodeKey(.keyCode(KEY_BACKSPACE_CODE)) == .backspace)
        #expect(decodeKey(.char(4)) == .ctrl("d"))
        #expect(decodeKey(.char(3)) == .ctrl("c"))
        #expect(decodeKey(.char(13)) == .enter)
        #expect(decodeKey(.char(9)) == .tab)
        #expect(decodeKey(.char(0x5F20)) == .char("张"))
    }
}
