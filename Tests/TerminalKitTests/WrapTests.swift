import Testing
@testable import TerminalKit

/// Issue 17: text is wrapped only where a reader expects a break.
@Suite struct WrapTests {
    /// Every line fits, and joining the lines (with the dropped spaces) gives the text back.
    func check(_ text: String, _ width: Int) -> [String] {
        let lines = wrapToWidth(text, width)
        for l in lines { #expect(displayWidth(l) <= width, "\(l) wider than \(width)") }
        #expect(lines.joined().filter { $0 != " " } == text.filter { $0 != " " })
        return lines
    }

    @Test func neverInsideANumberOrAWord() {
        for w in 10...40 {
            for l in check("Raising the floor would have cost ¥1,047.45 in discounts last month.", w) {
                #expect(!l.hasSuffix("¥1,") && !l.hasPrefix("047"), "\(w): \(l)")
                #expect(!l.hasSuffix("discoun"), "\(w): \(l)")
            }
            for l in check("分销底价 ≥ 850（8.5折），当前为 800（8折）。", w) {
                #expect(!l.hasSuffix("（8") && !l.hasPrefix(".5"), "\(w): \(l)")
            }
        }
    }

    @Test func neverBeforeClosingPunctuation() {
        for w in 6...30 {
            for l in check("等级折扣只能升不能降，VIP会员的折扣不能比高级会员差。请先调整上一级。", w) {
                #expect(!l.hasPrefix("。") && !l.hasPrefix("，"), "\(w): \(l)")
            }
        }
    }

    @Test func chineseStillBreaksBetweenCharacters() {
        #expect(wrapToWidth("张三李四王五", 5) == ["张三", "李四", "王五"])
        #expect(wrapToWidth("one two three", 7) == ["one two", "three"])
        #expect(wrapToWidth("  indented", 20) == ["  indented"])
    }

    @Test func wholeItemsOrNone() {
        #expect(fittingItems(["新客 3,200", "老客 16,800"], separator: " · ", columns: 15) == "新客 3,200")
        #expect(fittingItems(["新客 3,200", "老客 16,800"], separator: " · ", columns: 30) == "新客 3,200 · 老客 16,800")
    }
}
