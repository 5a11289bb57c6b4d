import Foundation
import Testing

/// Issue 19 in a real pty: Members pane → `D` lists the duplicate candidates with their evidence →
/// Enter shows the pair side by side (phones masked) → `m` previews the merged card and asks y/n →
/// `y` merges (the pair leaves the list, `ecrm member show` finds the merged member by the id merged
/// away) → the other pair is dismissed with `d`, `y` → `ecrm member unmerge` restores the first.
@Suite(.serialized) struct DuplicatesTmuxTests {
    func store() throws -> (db: String, dir: String) { try DuplicatesShop.make("ecrm-e2e-dupes") }

    @Test func reviewMergeDismissAndUnmerge() throws {
        let (db, dir) = try store()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t = try Tmux(consoleCommand(db), width: 100, height: 30)
        try t.waitFor(text: "累计消费")
        try t.keys("D")
        let list = try t.waitFor("the candidates", timeout: 30) { $0.contains("疑似重复会员") && $0.contains("2 对") }
        #expect(list.contains("同一手机号 138****0001") && list.contains("同名同生日 张伟 1985-05-05"))
        #expect(!list.contains("13800000001"))
        try t.keys("Enter")
        let pair = try t.waitFor("the pair side by side") { $0.contains("保留") && $0.contains("并入左边") && $0.contains("fang2") }
        #expect(pair.contains("身份 taobao:fang2") && !pair.contains("13800000001"))
        try t.keys("m")
        let preview = try t.waitFor("the merge preview") { $0.contains("把 fang2 合并进 fang？") }
        #expect(preview.contains("F 2 · M ¥1,100.00") && preview.contains("确认"))
        try t.keys("y")
        try t.waitFor("the list without the merged pair", timeout: 30) { $0.contains("已把 fang2 合并进 fang") && $0.contains("1 对") }
        let shown = try runTool(builtEcrm, ["member", "show", "fang2", "--db", db, "--json"])
        #expect(shown.status == 0 && shown.out.contains("\"buyerId\" : \"fang\""))
        try t.keys("Enter", "d")
        try t.waitFor(text: "不再列出")
        try t.keys("y")
        try t.waitFor("an empty list", timeout: 30) { $0.contains("已排除 wei 与 wei2") && $0.contains("没有疑似重复的会员") }
        try t.keys("Q")
        let undone = try runTool(builtEcrm, ["member", "unmerge", "fang2", "--db", db, "--lang", "en"])
        #expect(undone.status == 0 && undone.out.contains("unmerged fang2 from fang"))
        let again = try runTool(builtEcrm, ["member", "show", "fang2", "--db", db, "--json"])
        #expect(again.out.contains("\"buyerId\" : \"fang2\""))
    }
}
