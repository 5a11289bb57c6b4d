import Testing
@testable import TerminalKit

@Suite struct DisplayWidthTests {
    @Test(arguments: [
        ("张三", 4), ("VIP会员", 7), ("abc", 3), ("", 0),
        ("🙂", 2), ("e\u{0301}", 1), ("欧阳娜娜 Alice", 14), ("ｶ", 1), ("…", 1),
    ])
    func widths(_ text: String, _ expected: Int) {
        #expect(displayWidth(text) == expected)
    }

    @Test func controlAndBidiCharactersCannotReachTheScreen() {
        // ESC would start an escape sequence; RLO would reverse the rest of the row.
        let hostile = "A\u{1B}[2J\u{202E}B\u{2066}C\u{200F}\tD"
        let clean = sanitizeForDisplay(hostile)
        #expect(!clean.unicodeScalars.contains { $0.value < 0x20 || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) || $0.value == 0x200F })
        #expect(clean == "A\u{FFFD}[2JBC\u{FFFD}D")
        #expect(displayWidth(hostile) == displayWidth(clean))
    }

    @Test func clippingNeverSplitsAWideCharacter() {
        #expect(clipToWidth("张三李四", 3) == "张 ")
        #expect(displayWidth(clipToWidth("张三李四", 3)) == 3)
        #expect(clipToWidth("张三李四", 4) == "张三")
        #expect(clipToWidth("a张", 2) == "a ")
        #expect(clipToWidth("e\u{0301}x", 1) == "e\u{0301}")
        for n in 0...9 {
            #expect(displayWidth(clipToWidth("王小明VIP会员", n)) == min(n, 13))
        }
    }

    @Test func padAndAlign() {
        #expect(padToWidth("张三", 6) == "张三  ")
        #expect(padToWidth("张三", 6, align: .right) == "  张三")
        #expect(padToWidth("张三", 7, align: .center) == " 张三  ")
        #expect(rightAlign("1,234", 8) == "   1,234")
        #expect(padToWidth("张三李四", 5) == "张三 ")
    }

    @Test func ellipsisTruncation() {
        #expect(truncateWithEllipsis("欧阳娜娜", 8) == "欧阳娜娜")
        #expect(truncateWithEllipsis("欧阳娜娜", 7) == "欧阳娜…")
        #expect(truncateWithEllipsis("欧阳娜娜", 6) == "欧阳…")
        #expect(truncateWithEllipsis("VIP会员", 5, ellipsis: "...") == "VI...")
        #expect(displayWidth(truncateWithEllipsis("张三李四王五", 4)) <= 4)
    }

    @Test func wrapping() {
        #expect(wrapToWidth("张三李四王五", 5) == ["张三", "李四", "王五"])
        #expect(wrapToWidth("ab\n张三", 10) == ["ab", "张三"])
    }
}
