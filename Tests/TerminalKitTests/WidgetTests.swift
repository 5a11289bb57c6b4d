import Testing
@testable import TerminalKit

/// Counts which rows were requested, to prove only the visible ones are fetched.
final class CountingSource: RowSource {
    let total: Int
    var requested: [Range<Int>] = []
    init(_ total: Int) { self.total = total }
    var count: Int { total }
    func rows(in range: Range<Int>) -> [Int] { requested.append(range); return Array(range) }
}

@Suite struct ListViewportTests {
    @Test func fetchesOnlyVisibleRows() {
        let source = CountingSource(1_000_000)
        var vp = ListViewport()
        let g = ScreenGrid(width: 20, height: 5)
        ListView.draw(on: g, viewport: &vp, source: source) { c, row, y, _ in c.put("row \(row)", x: 0, y: y) }
        #expect(source.requested == [0..<5])
        vp.apply(.bottom)
        ListView.draw(on: g, viewport: &vp, source: source) { c, row, y, _ in c.put("row \(row)", x: 0, y: y) }
        #expect(source.requested.last == 999_995..<1_000_000)
        #expect(vp.positionText == "1000000/1000000")
    }

    @Test func movementAndScrolling() {
        var vp = ListViewport(count: 100, height: 10)
        vp.apply(.moveDown); vp.apply(.moveDown)
        #expect(vp.selected == 2 && vp.top == 0)
        vp.apply(.pageDown)
        #expect(vp.selected == 12 && vp.top == 10)
        vp.apply(.halfPageDown)
        #expect(vp.selected == 17 && vp.top == 15)
        vp.apply(.halfPageUp)
        #expect(vp.selected == 12 && vp.top == 10)
        vp.apply(.bottom)
        #expect(vp.selected == 99 && vp.top == 90)
        vp.apply(.pageDown)
        #expect(vp.selected == 99 && vp.top == 90)
        vp.apply(.top)
        #expect(vp.selected == 0 && vp.top == 0)
        vp.apply(.moveUp)
        #expect(vp.selected == 0)
        vp.setCount(5)
        #expect(vp.visibleRange == 0..<5)
        vp.setCount(0)
        #expect(vp.selected == -1 && vp.positionText == "0/0")
        #expect(vp.apply(.search) == false)
    }

    @Test func selectedRowIsHighlighted() {
        var vp = ListViewport()
        vp.setCount(3); vp.select(1)
        let g = ScreenGrid(width: 8, height: 3)
        ListView.draw(on: g, viewport: &vp, source: ArrayRowSource(["张三", "李四", "王五"])) { c, row, y, sel in
            c.put(row, x: 0, y: y, role: sel ? .selection : .text)
        }
        #expect(g.roleMask(1, .selection) == "########")
        #expect(g.roleMask(0, .selection) == "........")
        ListView.draw(on: g, viewport: &vp, source: ArrayRowSource(["张三", "李四", "王五"]), focused: false) { _, _, _, _ in }
        #expect(g.roleMask(1, .selectionUnfocused) == "########")
    }
}

@Suite struct TableTests {
    let table = Table([
        TableColumn("姓名", .fixed(8)),
        TableColumn("等级", .flex(min: 4)),
        TableColumn("消费", .fixed(9), align: .right),
    ])

    @Test func layoutSharesFlexSpace() {
        #expect(table.layout(totalWidth: 30) == [8, 11, 9])
        #expect(table.layout(totalWidth: 15) == [8, 4, 1])   // too narrow: rightmost column shrinks
    }

    @Test func rowsAlignWithChineseAndNumbersRightAligned() {
        let g = ScreenGrid(width: 30, height: 3)
        table.drawHeader(on: g, y: 0)
        table.drawRow(on: g, y: 1, cells: ["欧阳娜娜娜", "VIP会员", "12,345.00"])
        table.drawRow(on: g, y: 2, cells: ["Bob", "普通", "8.50"], cellRoles: [nil, .tier1, nil])
        #expect(g.text() == """
        姓名     等级             消费
        欧阳娜…  VIP会员     12,345.00
        Bob      普通             8.50
        """)
        #expect(g.roleMask(0, .header) == String(repeating: "#", count: 30))
        #expect(g.roleMask(2, .tier1) == ".........###########..........")
    }
}

@Suite struct TextFieldTests {
    func type(_ s: String, into f: inout TextField) { for c in s { f.handle(.key(.char(c))) } }

    @Test func cjkEditingMovesByCharacterAndMeasuresByColumns() {
        var f = TextField()
        type("张三丰", into: &f)
        #expect(f.cursor == 3 && f.cursorColumn == 6)
        f.handle(.key(.left))
        f.handle(.key(.backspace))
        #expect(f.text == "张丰" && f.cursor == 1)
        type("e\u{301}", into: &f)          // a combining sequence is one Character
        #expect(f.text == "张e\u{301}丰")
        f.handle(.key(.left))
        #expect(f.cursorColumn == 2)
        f.handle(.key(.delete))
        #expect(f.text == "张丰")
    }

    @Test func emacsKeys() {
        var f = TextField("VIP 会员 张三")
        f.handle(.key(.ctrl("w")))
        #expect(f.text == "VIP 会员 ")
        f.handle(.key(.ctrl("a")))
        f.handle(.key(.ctrl("k")))
        #expect(f.text == "")
        f = TextField("abc张三")
        f.handle(.key(.left)); f.handle(.key(.ctrl("u")))
        #expect(f.text == "三" && f.cursor == 0)
        f.handle(.key(.ctrl("e")))
        #expect(f.cursor == 1)
        #expect(f.handle(.key(.enter)) == false)   // left to the owner
    }

    @Test func pasteFlattensNewlinesAndDropsControls() {
        var f = TextField("名:")
        f.handle(.paste("王小明\n138\u{1B}0000"))
        #expect(f.text == "名:王小明 138\u{FFFD}0000")
    }

    @Test func horizontalScrollKeepsCursorVisible() {
        var f = TextField("一二三四五六七八九十")   // 20 columns
        let g = ScreenGrid(width: 10, height: 1)
        f.draw(on: g, x: 0, y: 0, width: 10, focused: true)
        #expect(g.line(0) == "七八九十  ")        // cursor after 十 needs a free cell
        #expect(g.cursor.map { $0 == (8, 0) } == true, "cursor \(String(describing: g.cursor))")
        f.handle(.key(.home))
        f.draw(on: g, x: 0, y: 0, width: 10, focused: true)
        #expect(g.line(0) == "一二三四五")
        #expect(g.cursor.map { $0 == (0, 0) } == true, "cursor \(String(describing: g.cursor))")
    }

    @Test func maxLength() {
        var f = TextField(maxLength: 4)
        f.handle(.paste("13800000001"))
        #expect(f.text == "1380")
    }
}

@Suite struct DialogTests {
    @Test func formValidatesAndMovesFocus() {
        var form = Form([
            FormField("姓名", validate: { $0.isEmpty ? "必填 required" : nil }),
            FormField("手机", validate: { $0.count == 11 ? nil : "需要 11 位" }),
        ])
        #expect(form.handle(.key(.enter)) == .editing)   // name empty: error, focus moves on
        #expect(form.fields[0].error == "必填 required")
        #expect(form.focus == 1)
        form.handle(.paste("1380000000"))
        #expect(form.handle(.key(.enter)) == .editing)
        #expect(form.focus == 0)                          // first invalid field
        for c in "张三" { _ = form.handle(.key(.char(c))) }
        #expect(form.fields[0].error == nil)              // editing clears the message
        _ = form.handle(.key(.tab))
        _ = form.handle(.key(.char("1")))
        #expect(form.handle(.key(.enter)) == .submitted)
        #expect(form.handle(.key(.ctrl("g"))) == .cancelled)
    }

    @Test func formDrawsErrorsUnderTheField() {
        var form = Form([FormField("姓名", validate: { $0.isEmpty ? "必填" : nil }), FormField("手机号码")])
        form.validateAll()
        let g = ScreenGrid(width: 30, height: 4)
        form.draw(on: g)
        #expect(g.text() == """
        姓名
                  ⚠ 必填
        手机号码

        """)
        // label column = widest label (8) + 1, then one space
        #expect(g.roleMask(0, .inputFocused) == "..........####################")
        #expect(g.cursor.map { $0 == (10, 0) } == true, "cursor \(String(describing: g.cursor))")
    }

    @Test func simpleConfirm() {
        var d = ConfirmDialog(title: "删除", message: "删除会员 张三？")
        #expect(d.handle(.key(.char("x"))) == .pending)
        #expect(d.handle(.key(.char("y"))) == .confirmed)
        #expect(d.handle(.key(.char("q"))) == .cancelled)
    }

    @Test func typeTheWordToConfirm() {
        var d = ConfirmDialog(title: "批量改折扣", message: "将修改 1,024 位会员的折扣", confirmWord: "确认")
        #expect(d.handle(.key(.char("y"))) == .pending)    // y is text here, not yes
        #expect(d.handle(.key(.enter)) == .pending)
        #expect(d.error != nil)
        _ = d.handle(.key(.backspace))
        _ = d.handle(.paste("确认"))
        #expect(d.handle(.key(.enter)) == .confirmed)
        #expect(d.handle(.key(.escape)) == .cancelled)
    }
}

@Suite struct ChromeTests {
    @Test func statusLineRightSegmentWins() {
        let g = ScreenGrid(width: 30, height: 1)
        StatusLine.draw(on: g, y: 0, left: "会员列表 筛选: 等级=金卡 标签=复购", right: "12/1024")
        #expect(g.line(0) == " 会员列表 筛选: 等级… 12/1024 ")
        #expect(g.roleMask(0, .status) == String(repeating: "#", count: 30))
    }

    @Test func hintBarDropsWholeHintsThatDoNotFit() {
        let hints: [KeyMap<StandardAction>.Hint] = KeyMap.standard.hints()
        let g = ScreenGrid(width: 30, height: 1)
        HintBar.draw(on: g, y: 0, hints: hints)
        #expect(g.text() == "j/↓ 移动  Enter 打开  / 搜索")
        #expect(g.roleMask(0, .hintKey) == "###.......#####.......#.......")
    }

    @Test func sparklineAndBars() {
        #expect(Chart.sparkline([0, 1, 2, 3, 4, 5, 6, 7]) == "▁▂▃▄▅▆▇█")
        #expect(Chart.sparkline([0, 7], utf8: false) == "_#")
        #expect(Chart.sparkline([3, 3, 3]) == "███")   // scaled from 0, not from the minimum
        #expect(Chart.sparkline([0, 0]) == "▁▁")
        #expect(Chart.sparkline([1, 2, 3, 4], width: 2) == "▆█")
        #expect(Chart.bar(5, maxValue: 10, width: 4) == "██")
        #expect(Chart.bar(3, maxValue: 8, width: 4) == "█▌")
        #expect(Chart.bar(3, maxValue: 8, width: 4, utf8: false) == "##")
        let g = ScreenGrid(width: 24, height: 2)
        Chart.drawBars(on: g, items: [("金卡", 80), ("普通会员", 20)])
        #expect(g.text() == """
        金卡     ███████████  80
        普通会员 ██▊          20
        """)
    }

    @Test func tooSmallScreen() {
        #expect(TooSmallScreen.isTooSmall(TermSize(width: 50, height: 24)))
        #expect(!TooSmallScreen.isTooSmall(TermSize(width: 80, height: 24)))
        let g = ScreenGrid(width: 40, height: 10)
        TooSmallScreen.draw(on: g)
        #expect(g.text() == "\n\n              终端窗口太小\n           Terminal too small\n             当前 now 40x10\n            至少 need 60x16\n            建议 best 80x24\n\n\n")
    }

    @Test func modalBoxClearsUnderneath() {
        let g = ScreenGrid(width: 12, height: 5)
        for y in 0..<5 { g.put(String(repeating: "x", count: 12), x: 0, y: y) }
        let inner = Box.modal(on: g, width: 10, height: 3, title: "提示")
        inner.put("你好", x: 0, y: 0)
        #expect(g.text() == """
        xxxxxxxxxxxx
        x┌─ 提示 ─┐x
        x│你好    │x
        x└────────┘x
        xxxxxxxxxxxx
        """)
    }
}
