import Foundation
import Testing

/// Below the minimum size the console draws only "too small": keys typed blind must not act
/// (only resize, Ctrl-L and quit do), or an operator could bulk-tag 2,000 members with nothing
/// on screen.
@Suite(.serialized) struct TooSmallTmuxTests {
    @Test func aTooSmallConsoleIgnoresABlindBulkTag() throws {
        let dir = NSTemporaryDirectory() + "ecrm-toosmall-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = dir + "/shop.db"
        _ = try runTool(builtEcrm, ["demo", "--db", store, "--members", "2000", "--end", "2026-11-20", "--force"], captureOutput: false)
        let t = try Tmux(consoleCommand(store), width: 80, height: 24)
        try t.waitFor(text: "累计消费")
        try t.resize(20, 6)
        try t.waitFor("the too-small screen") { !$0.contains("累计消费") }
        try t.keys("B")
        try t.type("盲打")
        try t.keys("Enter")
        try t.keys("y")
        // Ctrl-L still repaints and a resize back shows the list, with no form or dialog left over.
        try t.keys("C-l")
        try t.resize(80, 24)
        let screen = try t.waitFor(text: "累计消费")
        #expect(!screen.contains("盲打"))
        // Give a wrongly started bulk tag time to land before looking for it.
        let end = Date().addingTimeInterval(3)
        var listed = ""
        while Date() < end {
            listed = try runTool(builtEcrm, ["tags", "list", "--db", store]).out
            if listed.contains("盲打") { break }
            usleep(200_000)
        }
        #expect(!listed.contains("盲打"), "keys typed at 20x6 tagged members: \(listed)")
        // Quit still works at the small size.
        try t.resize(20, 6)
        try t.waitFor("the too-small screen") { !$0.contains("累计消费") }
        try t.keys("C-c")
        let end2 = Date().addingTimeInterval(10)
        while Date() < end2, !(try t.tmux(["list-sessions"])).isEmpty { usleep(100_000) }
        #expect(try t.tmux(["list-sessions"]).isEmpty, "Ctrl-C did not quit the too-small console")
    }
}
