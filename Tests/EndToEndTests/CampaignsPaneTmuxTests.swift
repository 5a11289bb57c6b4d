import Foundation
import Testing

/// Issue 20 in a real pty: a segment's member list → `C` creates a campaign (analysing a past
/// send, so it has responders) → it is in pane 6 → Enter shows both groups and the uplift line →
/// `r` lists the treatment responders → Enter opens a card.
@Suite(.serialized) struct CampaignsPaneTmuxTests {
    /// Its own demo store: creating a campaign writes, and the shared demo store is read-only by agreement.
    func store() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecrm-e2e-campaign-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("shop.db").path
        let r = try runTool(builtEcrm, ["demo", "--db", path, "--members", "2000", "--end", "2026-11-20", "--force"], captureOutput: false)
        try #require(r.status == 0, "ecrm demo failed")
        return path
    }

    @Test func createOpenAndDrillIntoResponders() throws {
        let db = try store()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: db).deletingLastPathComponent().path) }
        let t = try Tmux(consoleCommand(db), width: 100, height: 30)
        try t.waitFor(text: "累计消费")
        try t.keys("2")
        try t.waitFor(text: "R×F人数")
        try t.keys("Enter")   // the first segment's member list
        try t.waitFor("a segment's member list", timeout: 30) { $0.contains("重要价值客户") && $0.contains("累计消费") }
        try t.keys("C")
        try t.waitFor(text: "创建营销活动")
        try t.type("十月回访")
        try t.keys("Enter", "Enter")               // name, holdout 10%
        try t.keys("C-u")
        try t.type("2026-10-01")                   // a past send: its window has ended
        try t.keys("Enter", "Enter", "Enter")      // start, window 30 days, the offered seed
        try t.waitFor("the new campaign's outcome", timeout: 60) { $0.contains("十月回访") && $0.contains("已到期") && $0.contains("对照组") }
        // Back to the pane's list: the campaign is there with its headline.
        try t.keys("q")
        _ = try t.waitFor("the Campaigns list", timeout: 30) { $0.contains("营销活动") && $0.contains("十月回访") && $0.contains("目标人数") }
        // A settled screen: the list is drawn over the detail it replaces, row by row.
        let list = try t.settledCapture()
        #expect(list.contains("已到期"), "\(list)")
        try t.keys("Enter")
        let detail = try t.waitFor("both groups and the uplift", timeout: 60) {
            $0.contains("发送组") && $0.contains("对照组") && $0.contains("回应率") && $0.contains("95%区间") && $0.contains("p = ")
        }
        #expect(detail.contains("提升 ") && detail.contains("增量销售额"))
        try t.keys("r")
        try t.waitFor("the treatment responders", timeout: 30) { $0.contains("发送组回应者") && $0.contains("累计消费") && $0.contains("> ") }
        try t.keys("Enter")
        try t.waitFor(text: "生命周期")   // the card's RFM lines
        try t.keys("q")
        try t.waitFor(text: "发送组回应者")
    }
}
