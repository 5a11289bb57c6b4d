import Foundation
import Testing

/// The open pane refreshes itself when another process (the real `ecrm` command line, as another
/// operator) writes the store: no key is pressed between the write and the screen that shows it,
/// and the cursor stays on the same item. Each scenario writes, so each has its own demo store.
@Suite(.serialized) struct LivePanesTmuxTests {
    func freshStore() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecrm-e2e-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("shop.db").path
        let r = try runTool(builtEcrm, ["demo", "--db", path, "--members", "300", "--end", "2026-11-20", "--force"], captureOutput: false)
        try #require(r.status == 0)
        return path
    }

    /// Runs `ecrm ARGS --db store` as another process; fails the test on a non-zero exit.
    func ecrm(_ args: [String], _ store: String) throws {
        let r = try runTool(builtEcrm, args + ["--db", store])
        try #require(r.status == 0, "ecrm \(args.joined(separator: " ")) failed: \(r.out)")
    }

    func selectedLine(_ screen: String) -> String? {
        screen.split(separator: "\n").first { $0.hasPrefix(">") }.map(String.init)
    }

    @Test func theTagsPaneShowsAnotherProcesssTagWithoutAKey() throws {
        let store = try freshStore()
        let t = try Tmux(consoleCommand(store))
        try t.waitFor(text: "累计消费")
        try t.keys("3")
        try t.waitFor(text: "老客户")
        try t.keys("j", "j")
        try t.waitFor("the cursor on the third tag") { s in s.split(separator: "\n").firstIndex { $0.hasPrefix(">") } == 5 }
        let before = try t.settledCapture()
        let cursorTag = try #require(selectedLine(before)?.dropFirst(1).split(separator: " ").first.map(String.init))
        let regulars = try #require(before.split(separator: "\n").first { $0.contains("老客户") }.map(String.init))
        // Another operator's process: a new tag, and one more regular customer.
        try ecrm(["tags", "create", "直播抽奖"], store)
        try ecrm(["tags", "add", "直播抽奖", "tb00000002"], store)
        try ecrm(["tags", "add", "老客户", "tb00000007"], store)
        try t.waitFor(text: "直播抽奖", timeout: 20)
        let after = try t.waitFor("the new regular counted") { s in
            s.split(separator: "\n").first { $0.contains("老客户") }.map(String.init) != regulars
        }
        let screen = try t.settledCapture()
        #expect(screen.contains("直播抽奖"), "the new tag is not on screen:\n\(after)")
        #expect(selectedLine(screen)?.contains(cursorTag) == true, "the cursor left \(cursorTag):\n\(screen)")
        for l in screen.split(separator: "\n") { #expect(columns(l) <= 80, "too wide: \(l)") }
    }

    @Test func theMemberListShowsAnotherProcesssImportAndTheCursorFollowsTheMember() throws {
        let store = try freshStore()
        let t = try Tmux(consoleCommand(store))
        try t.waitFor(text: "累计消费")
        try t.keys("j", "j", "j")
        try t.waitFor("the cursor on the fourth member") { s in s.split(separator: "\n").firstIndex { $0.hasPrefix(">") } == 5 }
        let before = try t.settledCapture()
        let row = try #require(selectedLine(before))
        let nick = try #require(row.dropFirst(2).split(separator: " ").first.map(String.init))
        let card = try runTool(builtEcrm, ["member", "show", nick, "--db", store]).out
        let buyer = try #require(card.firstMatch(of: /\((tb\d+)\)/).map { String($0.1) }, "no buyer id in: \(card)")
        let orders = FileManager.default.temporaryDirectory.appendingPathComponent("ecrm-e2e-live-\(UUID().uuidString).csv").path
        try "order_id,buyer_id,paid_at,amount,status\nLIVE-1,\(buyer),2026-11-20 09:00:00,1000,paid\n".write(toFile: orders, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: orders) }
        // Another process imports an order for the member under the cursor: the newest buyer now.
        try ecrm(["import", "orders", orders], store)
        try t.waitFor("the member's new order on screen", timeout: 20) { s in
            s.split(separator: "\n").first { $0.contains(nick) }?.contains("2026-11-20") == true
        }
        let screen = try t.settledCapture()
        let selected = try #require(selectedLine(screen), "no cursor:\n\(screen)")
        #expect(selected.contains(nick) && selected.contains("2026-11-20"), "the cursor did not stay on \(nick):\n\(screen)")
        // Moved to the top as the most recent buyer, the cursor with it.
        #expect(screen.split(separator: "\n").firstIndex { $0.hasPrefix(">") } == 2, "\(nick) is not the newest buyer:\n\(screen)")
    }
}
