import Foundation
import Testing

/// The console in a real pty (tmux), driven by keys and read back from the screen.
/// Serialized: each scenario has its own tmux server, but the machine is small.
@Suite(.serialized) struct ConsoleTmuxTests {
    let store: String

    init() throws { store = try sharedDemoStore() }

    @Test func chineseRowsFitAndColumnsLineUp() throws {
        let t = try Tmux(consoleCommand(store))
        // The header can be on screen while the frame's lower rows are still being written (a capture
        // once caught 7 rows): wait for a full page of rows, then for the screen to settle.
        func dateRows(_ screen: String) -> Int {
            screen.split(separator: "\n").filter { $0.range(of: #"\d{4}-\d\d-\d\d"#, options: .regularExpression) != nil }.count
        }
        try t.waitFor("a page of rows") { $0.contains("累计消费") && dateRows($0) >= 15 }
        let screen = try t.settledCapture()
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
        for l in lines { #expect(columns(l) <= 80, "too wide: \(l)") }
        let header = try #require(lines.first { $0.contains("最近购买") })
        // Display column where a substring starts / ends.
        func col(_ line: Substring, _ range: Range<Substring.Index>) -> Int { columns(line[..<range.lowerBound]) }
        let dateCol = col(header, try #require(header.range(of: "最近购买")))
        let spendEnd = col(header, try #require(header.range(of: "累计消费"))) + columns("累计消费")
        let rows = lines.filter { $0.range(of: #"\d{4}-\d\d-\d\d"#, options: .regularExpression) != nil }
        #expect(rows.count >= 15)
        var chinese = 0
        for r in rows {
            let date = try #require(r.range(of: #"\d{4}-\d\d-\d\d"#, options: .regularExpression))
            #expect(col(r, date) == dateCol, "date column misaligned: \(r)")
            let money = try #require(r.range(of: #"¥[\d,]+\.\d\d"#, options: .regularExpression), "no amount in: \(r)")
            #expect(col(r, money) + columns(r[money]) == spendEnd, "spend not right-aligned: \(r)")
            if r.unicodeScalars.contains(where: { (0x4E00...0x9FFF).contains($0.value) }) { chinese += 1 }
        }
        #expect(chinese == rows.count)
        // Chinese typed into the search prompt renders too.
        try t.type("王")
        try t.waitFor(text: "搜索: 王")
    }

    @Test func helpOverlayOpensAndCloses() throws {
        let t = try Tmux(consoleCommand(store))
        try t.waitFor(text: "累计消费")
        try t.keys("?")
        let help = try t.waitFor(text: "q/Esc 关闭")
        #expect(help.contains("切换排序"))
        #expect(help.contains("上一个匹配"))   // the member list's keys; moving keys follow further down
        try t.keys("q")
        try t.waitFor("help closed") { !$0.contains("q/Esc 关闭") && $0.contains("? 帮助") }
    }

    @Test func tabAndNumbersSwitchPanes() throws {
        let t = try Tmux(consoleCommand(store))
        try t.waitFor(text: "累计消费")
        try t.keys("Tab")
        try t.waitFor(text: "RFM分层")
        try t.keys("3")
        try t.waitFor(text: "老客户")
        try t.keys("4")
        try t.waitFor(text: "会员等级")
        try t.keys("BTab")
        try t.waitFor(text: "老客户")
        try t.keys("2")
        try t.waitFor(text: "R×F人数")
        try t.keys("1")
        try t.waitFor(text: "累计消费")
    }

    @Test func pastedNickOpensTheCard() throws {
        let nick = try uniqueNick()
        let t = try Tmux(consoleCommand(store))
        try t.waitFor(text: "累计消费")
        try t.paste(nick)
        let card = try t.waitFor(text: "最近订单")
        #expect(card.contains(nick))
        #expect(card.contains("****"))          // phone masked
        try t.keys("q")
        try t.waitFor(text: "累计消费")
    }

    @Test func resizeKeepsTheSearchPromptAndItsText() throws {
        let t = try Tmux(consoleCommand(store))
        try t.waitFor(text: "累计消费")
        try t.keys("/")
        try t.type("张丽")
        try t.waitFor(text: "搜索: 张丽")
        try t.resize(100, 30)
        // Waits for the repaint to finish: the prompt on the new bottom line (a capture taken mid-repaint
        // may already be 30 lines tall with the prompt still on the old line 23).
        let s = try t.waitFor("the prompt on line 30 after the resize") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count >= 30 && lines[29].hasPrefix("搜索: 张丽")
        }
        let lines = s.split(separator: "\n", omittingEmptySubsequences: false)
        try #require(lines.count >= 30, "\(s)")
        #expect(lines[29].hasPrefix("搜索: 张丽"), "\(s)")
        try t.type("x")
        try t.waitFor(text: "搜索: 张丽x")
    }

    @Test func noColorStillShowsTheSelection() throws {
        let t = try Tmux("env NO_COLOR=1 LANG=C.UTF-8 TERM=xterm-256color '\(builtEcrm)' --db '\(store)' --lang zh")
        try t.waitFor(text: "累计消费")
        let s = try t.waitFor("reverse video", escapes: true) { $0.contains("\u{1B}[7m") }
        #expect(!s.contains("38;5;"), "NO_COLOR must not use colours")
        try t.keys("j")
        try t.waitFor(text: "2/2,000")   // counts are grouped
    }

    @Test func tinyTerminalShowsTooSmallAndRecovers() throws {
        let t = try Tmux(consoleCommand(store), width: 40, height: 10)
        try t.waitFor(text: "终端窗口太小")
        try t.resize(80, 24)
        try t.waitFor(text: "累计消费")
    }

    @Test func sighupEndsTheConsoleAndLeavesThePaneUsable() throws {
        let t = try Tmux("env -u NO_COLOR PS1='$ ' sh")
        try t.type(consoleCommand(store))
        try t.keys("Enter")
        try t.waitFor(text: "累计消费")
        let shell = t.panePID
        let pid = try #require(childPID(of: shell))
        kill(pid, SIGHUP)
        let end = Date().addingTimeInterval(30)
        while FileManager.default.fileExists(atPath: "/proc/\(pid)") && Date() < end { usleep(20_000) }
        #expect(!FileManager.default.fileExists(atPath: "/proc/\(pid)"))
        try t.type("echo ok-$((40+2))")
        try t.keys("Enter")
        try t.waitFor(text: "ok-42")
    }

    @Test func qAtTheRootQuitsWithStatusZero() throws {
        let t = try Tmux("\(consoleCommand(store)); echo exit=$?; sleep 30")
        try t.waitFor(text: "累计消费")
        try t.keys("Enter")
        try t.waitFor(text: "最近订单")
        try t.keys("q")
        try t.waitFor(text: "累计消费")
        try t.keys("q")
        try t.waitFor(text: "再按 q 退出")   // asks once at the top of a pane
        try t.keys("q")
        try t.waitFor(text: "exit=0")
    }

    // MARK: helpers

    /// A nick that exactly one member has (so a paste must open that card directly).
    private func uniqueNick() throws -> String {
        let r = try runTool("/usr/bin/sqlite3", [store, "SELECT nick FROM member GROUP BY nick HAVING count(*) = 1 ORDER BY min(id) LIMIT 1"])
        let nick = r.out.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(!nick.isEmpty)
        return nick
    }

    /// The child process of `parent` (the console started by the pane's shell).
    private func childPID(of parent: Int32) -> Int32? {
        let end = Date().addingTimeInterval(30)
        repeat {
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
                guard let pid = Int32(entry),
                      let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                      let close = stat.lastIndex(of: ")") else { continue }
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                if fields.count > 1, Int32(fields[1]) == parent { return pid }
            }
            usleep(50_000)
        } while Date() < end
        return nil
    }
}
