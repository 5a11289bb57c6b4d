import Testing
@testable import TerminalKit

@Suite struct ScreenGridTests {
    @Test func wideCharTakesTwoCells() {
        let g = ScreenGrid(width: 6, height: 1)
        g.put("张三x", x: 0, y: 0, role: .title)
        #expect(g.cell(x: 0, y: 0).glyph == "张")
        #expect(g.cell(x: 1, y: 0).isContinuation)
        #expect(g.cell(x: 4, y: 0).glyph == "x")
        #expect(g.cell(x: 4, y: 0).role == .title)
        #expect(g.roleMask(0, .title) == "#####.")
    }

    @Test func clippedAtTheRightEdgeWithASpace() {
        let g = ScreenGrid(width: 5, height: 1)
        g.put("ab张三", x: 0, y: 0)
        #expect(g.line(0) == "ab张 ")
        g.put("李", x: 4, y: 0)   // one column left: nothing half-drawn
        #expect(g.line(0) == "ab张 ")
        #expect(g.cell(x: 4, y: 0).glyph == " ")
    }

    @Test func negativeXCutsAtTheLeftEdge() {
        let g = ScreenGrid(width: 6, height: 1)
        g.put("张三李", x: -1, y: 0)
        #expect(g.line(0) == " 三李 ")
    }

    @Test func overwritingHalfAWideCharBlanksTheOtherHalf() {
        let g = ScreenGrid(width: 4, height: 1)
        g.put("张三", x: 0, y: 0)
        g.put("x", x: 1, y: 0)
        #expect(g.line(0) == " x三")
    }

    @Test func regionsTranslateAndClip() {
        let g = ScreenGrid(width: 10, height: 3)
        let r = g.region(Rect(x: 2, y: 1, width: 4, height: 1))
        r.put("王小明同学", x: 0, y: 0)
        r.put("zz", x: 0, y: 1)             // outside the region: dropped
        #expect(g.text() == "\n  王小\n")
    }
}
