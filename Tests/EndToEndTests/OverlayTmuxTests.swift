import Foundation
import Testing

/// Issue 17: a dialog over a list of Chinese names must be drawn in place (its right border in
/// one column, nothing spilling into the next row) and leave, once closed, exactly the screen it
/// covered; no Ctrl-L needed.
@Suite(.serialized) struct OverlayTmuxTests {
    let store: String
    init() throws { store = try sharedDemoStore() }

    @Test func bulkTagConfirmOverAListRestoresTheListExactly() throws {
        let t = try Tmux(consoleCommand(store))
        try t.waitFor(text: "累计消费")
        try t.keys("2")
        try t.waitFor(text: "R×F人数")
        for _ in 0..<10 { try t.keys("j") }
        for _ in 0..<4 { try t.keys("Right") }
        try t.waitFor(text: "R5 F5")
        try t.keys("Enter")
        try t.waitFor("the R5×F5 member list", timeout: 15) { $0.contains("R5×F5") && $0.contains("> ") }
        let before = try t.settledCapture()
        try t.keys("B")
        try t.waitFor(text: "批量打标签")
        try t.type("回头客")
        try t.keys("Enter")
        let dialog = try t.waitFor(text: "确认批量打标签")
        let lines = dialog.split(separator: "\n", omittingEmptySubsequences: false)
        for l in lines { #expect(columns(l) <= 80, "a row spills past the edge: \(l)") }
        // The right border: the same column on every row of the box.
        var rights = Set<Int>()
        for l in lines where l.contains("┐") || l.contains("┘") || l.contains("│") {
            if let i = l.lastIndex(where: { "┐┘│".contains($0) }) { rights.insert(columns(l[..<i])) }
        }
        #expect(rights.count == 1, "right border columns \(rights.sorted()):\n\(dialog)")
        try t.keys("Escape")
        try t.waitFor("the dialog to close") { !$0.contains("确认批量打标签") && !$0.contains("┐") }
        let after = try t.settledCapture()
        let a = after.split(separator: "\n", omittingEmptySubsequences: false)
        let b = before.split(separator: "\n", omittingEmptySubsequences: false)
        // Tab bar and list rows (the status and hint rows may carry a message).
        for y in 0..<21 where y < a.count && y < b.count {
            #expect(a[y] == b[y], "row \(y) not restored:\n  before: \(b[y])\n  after:  \(a[y])")
        }
        // A form overlay (the tag input), closed with Esc, and the help overlay, closed with q.
        for (open, shown, close) in [("B", "批量打标签", "Escape"), ("?", "q/Esc 关闭", "q")] {
            try t.keys(open)
            try t.waitFor(text: shown)
            try t.keys(close)
            try t.waitFor("\(open) closed") { !$0.contains(shown) }
            let again = try t.settledCapture().split(separator: "\n", omittingEmptySubsequences: false)
            for y in 0..<21 where y < again.count && y < b.count {
                #expect(again[y] == b[y], "\(open): row \(y) not restored:\n  before: \(b[y])\n  after:  \(again[y])")
            }
        }
    }

    /// The card's forms (reveal reason, add tag, note), the export form, the Tags pane's new and
    /// rename forms, the Segments as-of date, the Audit filter, the campaign form and the tier editor's
    /// field form: each closed
    /// with Esc leaves exactly the screen it covered.
    @Test func everyFormRestoresTheScreenItCovered() throws {
        let t = try Tmux(consoleCommand(store))
        try t.waitFor(text: "累计消费")
        func check(_ open: [String], shown: String, on name: String) throws {
            let before = try t.settledCapture().split(separator: "\n", omittingEmptySubsequences: false)
            try t.tmux(["send-keys"] + open)
            try t.waitFor(text: shown)
            try t.keys("Escape")
            try t.waitFor("\(name) closed") { !$0.contains(shown) }
            let after = try t.settledCapture().split(separator: "\n", omittingEmptySubsequences: false)
            for y in 0..<22 where y < after.count && y < before.count {
                #expect(after[y] == before[y], "\(name): row \(y) not restored:\n  before: \(before[y])\n  after:  \(after[y])")
            }
        }
        try check(["x"], shown: "导出列表", on: "export form")
        try t.keys("Enter")
        try t.waitFor(text: "最近订单")
        for (key, title) in [("p", "显示完整手机号"), ("t", "添加标签"), ("a", "添加备注")] {
            try check([key], shown: title, on: "card \(key)")
        }
        try t.keys("3")
        try t.waitFor(text: "老客户")
        try check(["n"], shown: "新建标签", on: "new tag")
        try check(["r"], shown: "重命名「", on: "rename tag")
        // The other forms: the as-of date on Segments, the Audit filter, a campaign on a member list.
        try t.keys("2")
        try t.waitFor(text: "R×F人数")
        // "截至日期" is also the pane's own hint: the box's corner says the form is up.
        try check(["d"], shown: "┌", on: "segments as-of")
        try t.keys("5")
        try t.waitFor(text: "操作员")          // the Audit pane's header ("审计" is in every tab bar)
        try check(["/"], shown: "筛选审计日志", on: "audit filter")
        try t.keys("2")                      // a segment's member list (the whole store is no target)
        try t.waitFor(text: "R×F人数")
        try t.keys("Enter")
        try t.waitFor("the segment's member list") { $0.contains("累计消费") && !$0.contains("R×F人数") }
        try check(["C"], shown: "创建营销活动", on: "campaign create")
        // The tier editor's field form (Esc saves nothing, so the shared store stays as it was).
        try t.keys("4")
        try t.waitFor(text: "黑名单")
        try t.keys("e")
        try t.waitFor(text: "编辑等级草稿")
        try t.keys("Tab", "Tab", "Tab")
        try check(["Enter"], shown: "折扣（千分比）", on: "tier field")
        try t.keys("Escape")
    }
}
