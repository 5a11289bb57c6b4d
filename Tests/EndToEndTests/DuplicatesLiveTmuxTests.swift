import Foundation
import Testing

/// The duplicates view (`D` from the Members pane) follows the store's change feed like the panes:
/// another process (the real `ecrm` command line) imports a member that makes a new candidate and
/// dismisses a pair, and the view on screen shows each without a key, the cursor on the pair it was on.
@Suite(.serialized) struct DuplicatesLiveTmuxTests {
    func store() throws -> (db: String, dir: String) { try DuplicatesShop.make("ecrm-e2e-dupes-live") }

    func selectedLine(_ screen: String) -> String? {
        screen.split(separator: "\n").first { $0.hasPrefix(">") }.map(String.init)
    }

    func ecrm(_ args: [String], _ db: String) throws {
        let r = try runTool(builtEcrm, args + ["--db", db])
        try #require(r.status == 0, "ecrm \(args.joined(separator: " ")) failed: \(r.out)")
    }

    @Test func anotherProcesssImportAndDismissShowWithoutAKeyAndTheCursorStaysOnItsPair() throws {
        let (db, dir) = try store()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t = try Tmux(consoleCommand(db), width: 100, height: 30)
        try t.waitFor(text: "累计消费")
        try t.keys("D")
        try t.waitFor("two pairs", timeout: 30) { $0.contains("疑似重复会员") && $0.contains("2 对") }
        try t.keys("j")
        let before = try t.waitFor("the cursor on wei · wei2") { self.selectedLine($0)?.contains("wei2") == true }
        #expect(selectedLine(before)?.contains("fang") == false)
        // Another operator's import: wei3 shares wei's phone, a stronger candidate listed above wei · wei2.
        let more = dir + "/m2.csv"
        try "buyer_id,nick,name,phone,gender,birthday,province,city\nwei3,小伟,,13900000002,,,,\n".write(toFile: more, atomically: true, encoding: .utf8)
        try ecrm(["import", "members", more], db)
        let three = try t.waitFor("the new candidate on screen", timeout: 20) { $0.contains("3 对") && $0.contains("wei3") }
        var screen = try t.settledCapture()
        #expect(screen.contains("wei3"), "\(three)")
        let selected = try #require(selectedLine(screen), "no cursor:\n\(screen)")
        #expect(selected.contains("wei2") && !selected.contains("wei3"), "the cursor left wei · wei2:\n\(screen)")
        #expect(screen.contains("3/3"), "the cursor is not on the third pair:\n\(screen)")
        // Another operator dismisses fang · fang2: it leaves the list, the cursor stays on wei · wei2.
        try ecrm(["duplicates", "dismiss", "fang", "fang2"], db)
        try t.waitFor("the dismissed pair gone", timeout: 20) { $0.contains("2 对") && !$0.contains("fang2") }
        screen = try t.settledCapture()
        #expect(selectedLine(screen)?.contains("wei2") == true, "the cursor left wei · wei2:\n\(screen)")
        #expect(screen.contains("2/2"), "\(screen)")
    }
}
