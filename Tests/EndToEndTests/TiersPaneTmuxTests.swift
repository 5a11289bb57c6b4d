import Foundation
import Testing

/// The Tiers pane in a real pty (tmux): edit the draft, see the violation while typing, try to
/// publish, read the refusal on screen; and publish a valid improvement by typing the word.
/// Each scenario writes, so each gets its own demo store (live v1: 9.8/9.5/9.2/8.8折, floor 8.5折).
@Suite(.serialized) struct TiersPaneTmuxTests {
    func freshStore() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecrm-e2e-tiers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("shop.db").path
        let r = try runTool(builtEcrm, ["demo", "--db", path, "--members", "300", "--end", "2026-11-20", "--force"], captureOutput: false)
        try #require(r.status == 0)
        return path
    }

    func liveJSON(_ store: String) throws -> String {
        try runTool(builtEcrm, ["tiers", "show", "--json", "--db", store]).out
    }

    /// Opens edit mode on level `level`'s discount and types `value` into its input.
    func typeDiscount(_ t: Tmux, level: Int, _ value: String) throws {
        try t.keys("4")
        try t.waitFor(text: "黑名单")
        try t.keys("e")
        try t.waitFor(text: "编辑等级草稿")
        for _ in 1..<level { try t.keys("j") }
        try t.keys("Tab", "Tab", "Tab", "Enter")
        try t.waitFor(text: "折扣（千分比）")
        try t.keys("C-u")
        try t.type(value)
    }

    @Test func aWorseDiscountIsRefusedOnScreen() throws {
        let store = try freshStore()
        let t = try Tmux(consoleCommand(store))
        try t.waitFor(text: "累计消费")
        try typeDiscount(t, level: 2, "960")
        try t.waitFor(text: "折扣 ≤ 950")                 // beside the field, before Enter
        try t.keys("Enter")
        try t.waitFor(text: "已存入草稿")
        try t.keys("p")
        try t.waitFor(text: "不能发布：")
        try t.keys("P")
        // The refusal from the store's own words: tier, field, value, why, and what is allowed.
        // Waits for the whole message: a capture may land mid-repaint on a loaded machine.
        let refusal = "不能发布：高级会员（2级）的折扣960（9.6折）比已发布的950（9.5折）浅"
        let screen = try t.waitFor("the refusal") { $0.contains("允许：≤ 950（9.5折）") && $0.contains(refusal) }
        #expect(screen.contains(refusal))
        #expect(screen.contains("已发布的等级只能"))
        #expect(!screen.contains("输入 publish"))
        for l in screen.split(separator: "\n") { #expect(columns(l) <= 80, "too wide: \(l)") }
        let live = try liveJSON(store)
        #expect(live.contains("\"discount\" : 950"))
        #expect(!live.contains("\"discount\" : 960"))
    }

    @Test func aValidImprovementIsPublishedByTypingTheWord() throws {
        let store = try freshStore()
        let t = try Tmux(consoleCommand(store))
        try t.waitFor(text: "累计消费")
        try typeDiscount(t, level: 4, "860")
        try t.keys("Enter")
        try t.waitFor(text: "检查通过")
        try t.keys("p")
        // The preview's own closing line, drawn once it is computed ("P 发布" alone is also the hint
        // bar's, there at once: P pressed before the preview is ready only says it is computing).
        try t.waitFor(text: "P 发布（需输入 publish 确认")
        try t.keys("P")
        // The form's own title: "输入 publish" is also in the preview's hint line, already on screen.
        try t.waitFor(text: "发布 v2：无法撤销")
        try t.type("publish")
        try t.keys("Enter")
        // The title line is drawn first: wait for the ladder below it too (a capture may land
        // while the frame is still being written).
        let screen = try t.waitFor("the published ladder") { $0.contains("已发布 v2") && $0.contains("8.6折 (860)") && $0.contains("黑名单") }
        #expect(screen.contains("8.6折 (860)"))
        #expect(try liveJSON(store).contains("\"discount\" : 860"))
        try t.keys("q")
    }
}
