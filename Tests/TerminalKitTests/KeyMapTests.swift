import Testing
@testable import TerminalKit

enum AppAction: Hashable { case std(StandardAction), revealPhone, addTag }

@Suite struct KeyMapTests {
    static func appMap(readOnly: Bool = false) -> KeyMap<AppAction> {
        var m = KeyMap(KeyMap<AppAction>.standardBindings { .std($0) })
        m.add(KeyBinding("reveal_phone", .revealPhone, ["p"], "显示完整手机号 Reveal phone", hint: "手机号", context: "member"))
        m.add(KeyBinding("add_tag", .addTag, ["t"], "添加标签 Add tag", hint: "标签", context: "member",
                         disabledReason: readOnly ? { "只读模式 read-only" } : nil))
        return m
    }

    @Test func dispatchUsesContextsThenGlobal() {
        let m = Self.appMap()
        guard case .action(.std(.moveDown)) = m.resolve(.char("j")) else { Issue.record("j"); return }
        guard case .action(.std(.moveDown)) = m.resolve(.down) else { Issue.record("Down"); return }
        guard case .action(.std(.quit)) = m.resolve(.ctrl("c")) else { Issue.record("C-c"); return }
        guard case .action(.revealPhone) = m.resolve(.char("p"), contexts: ["member"]) else { Issue.record("p"); return }
        guard case .unbound = m.resolve(.char("p"), contexts: ["list"]) else { Issue.record("p outside member"); return }
    }

    @Test func disabledReasonInsteadOfSilentNoOp() {
        let m = Self.appMap(readOnly: true)
        guard case .disabled(.addTag, let reason) = m.resolve(.char("t"), contexts: ["member"]) else {
            Issue.record("expected disabled"); return
        }
        #expect(reason == "只读模式 read-only")
        #expect(m.hints(contexts: ["member"]).first { $0.label == "标签" }?.disabled == true)
        #expect(m.helpSections(contexts: ["member"])[0].entries[1].disabledReason == "只读模式 read-only")
    }

    @Test func hintBarComesFromTheTable() {
        let m = Self.appMap()
        #expect(HintBar.text(m.hints(contexts: ["member"]))
                == "p 手机号  t 标签  j/↓ 移动  Enter 打开  / 搜索  Tab 切换  ? 帮助  q 返回")
        #expect(HintBar.text(m.hints()) == "j/↓ 移动  Enter 打开  / 搜索  Tab 切换  ? 帮助  q 返回")
    }

    @Test func rebindingFromTOMLChangesDispatchHintsAndHelp() throws {
        var m = Self.appMap()
        let config = try UserConfig.parse("""
        theme = "light"
        [keys]
        move_down = ["e", "Down"]
        search = "C-f"
        """)
        #expect(config.theme == "light")
        let problems = m.rebind(config.keys)
        #expect(problems.isEmpty)
        guard case .action(.std(.moveDown)) = m.resolve(.char("e")) else { Issue.record("e"); return }
        guard case .unbound = m.resolve(.char("j")) else { Issue.record("j still bound"); return }
        guard case .action(.std(.search)) = m.resolve(.ctrl("f")) else { Issue.record("C-f"); return }
        #expect(HintBar.text(m.hints()).hasPrefix("e/↓ 移动  Enter 打开  C-f 搜索"))
        let help = HelpOverlay(keyMap: m).lines.map(\.text)
        #expect(help.contains { $0.hasPrefix("  e, Down") && $0.hasSuffix("下移一行 Move down") })
    }

    @Test func rebindingAKeyTakesItFromTheOtherAction() {
        var m = Self.appMap()
        let problems = m.rebind(["bottom": ["g"]])   // g was "top"
        guard case .action(.std(.bottom)) = m.resolve(.char("g")) else { Issue.record("g"); return }
        #expect(m.keys(for: "top") == [.home])
        #expect(problems == ["[keys] bottom: g no longer does top"])
    }

    @Test func badConfigGivesMessagesNotCrashes() {
        var m = Self.appMap()
        let problems = m.rebind(["move_sideways": ["x"], "quit": ["Hyper-q"]])
        #expect(problems.count == 2)
        #expect(problems[0].contains("move_sideways: unknown action"))
        #expect(problems[1].contains("unknown key name \"Hyper-q\""))
        #expect(m.keys(for: "quit") == [.char("Q"), .ctrl("c")])   // unchanged

        #expect(throws: UserConfig.LoadError.self) { try UserConfig.parse("[keys\nmove_down = 1") }
        do { _ = try UserConfig.parse("[keys]\nmove_down = 3") } catch {
            #expect(error.description.contains("move_down must be a key name"))
        }
    }

    @Test func helpOverlayListsEveryBindingAndScrolls() {
        var help = HelpOverlay(keyMap: Self.appMap(), contextTitles: ["global": "全局 Global", "member": "会员 Member"])
        #expect(help.lines.first?.text == "全局 Global")
        #expect(help.lines.contains { $0.text.hasPrefix("  Q, C-c") })
        #expect(help.lines.contains { $0.text == "会员 Member" })
        let g = ScreenGrid(width: 80, height: 24)
        help.draw(on: g)
        #expect(g.line(2).contains("全局 Global"))
        #expect(help.handle(.key(.char("j"))) == .open)
        #expect(help.scroll == 1)
        _ = help.handle(.key(.char("G")))
        // modal is 22 rows: 20 inside the border, minus the footer line = 19 per page
        #expect(help.scroll == help.lines.count - 19)
        #expect(help.handle(.key(.escape)) == .closed)
    }
}
