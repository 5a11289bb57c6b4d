/// Actions every screen shares. The console wraps these in its own action
/// enum: `KeyMap.standard { ConsoleAction.std($0) }` plus its own bindings.
public enum StandardAction: String, CaseIterable, Hashable, Sendable {
    case moveDown = "move_down", moveUp = "move_up"
    case pageDown = "page_down", pageUp = "page_up"
    case halfPageDown = "half_page_down", halfPageUp = "half_page_up"
    case top, bottom
    case open
    case search, nextMatch = "next_match", prevMatch = "prev_match"
    case help, back, quit
    case nextPane = "next_pane", prevPane = "prev_pane"
    case pane1 = "pane_1", pane2 = "pane_2", pane3 = "pane_3", pane4 = "pane_4"
    case command, redraw, cancel
}

extension KeyMap {
    /// The default conventions (tig/lazygit/htop): arrows and j/k, PgUp/PgDn,
    /// C-d/C-u, g/G and Home/End, / n N, ? help, q back, Q and C-c quit,
    /// Tab/S-Tab and 1-4 panes, : command, C-l redraw, Esc and C-g cancel.
    public static func standardBindings(_ wrap: (StandardAction) -> Action) -> [KeyBinding<Action>] {
        typealias B = KeyBinding<Action>
        return [
            B("move_down", wrap(.moveDown), ["j", "Down"], "下移一行 Move down", hint: "移动"),
            B("move_up", wrap(.moveUp), ["k", "Up"], "上移一行 Move up"),
            B("page_down", wrap(.pageDown), ["PgDn"], "下一页 Page down"),
            B("page_up", wrap(.pageUp), ["PgUp"], "上一页 Page up"),
            B("half_page_down", wrap(.halfPageDown), ["C-d"], "下半页 Half page down"),
            B("half_page_up", wrap(.halfPageUp), ["C-u"], "上半页 Half page up"),
            B("top", wrap(.top), ["g", "Home"], "到顶部 Go to top"),
            B("bottom", wrap(.bottom), ["G", "End"], "到底部 Go to bottom"),
            B("open", wrap(.open), ["Enter"], "打开 Open", hint: "打开"),
            B("search", wrap(.search), ["/"], "搜索 Search", hint: "搜索"),
            B("next_match", wrap(.nextMatch), ["n"], "下一个匹配 Next match"),
            B("prev_match", wrap(.prevMatch), ["N"], "上一个匹配 Previous match"),
            B("next_pane", wrap(.nextPane), ["Tab"], "下一个面板 Next pane", hint: "切换"),
            B("prev_pane", wrap(.prevPane), ["S-Tab"], "上一个面板 Previous pane"),
            B("pane_1", wrap(.pane1), ["1"], "面板 1 Pane 1"),
            B("pane_2", wrap(.pane2), ["2"], "面板 2 Pane 2"),
            B("pane_3", wrap(.pane3), ["3"], "面板 3 Pane 3"),
            B("pane_4", wrap(.pane4), ["4"], "面板 4 Pane 4"),
            B("command", wrap(.command), [":"], "命令 Command prompt"),
            B("help", wrap(.help), ["?"], "帮助 Help", hint: "帮助"),
            B("back", wrap(.back), ["q"], "返回（首页时退出） Back / quit at root", hint: "返回"),
            B("quit", wrap(.quit), ["Q", "C-c"], "退出 Quit"),
            B("redraw", wrap(.redraw), ["C-l"], "重绘屏幕 Redraw screen"),
            B("cancel", wrap(.cancel), ["Esc", "C-g"], "取消 Cancel"),
        ]
    }
}

extension KeyMap where Action == StandardAction {
    /// The standard table on its own.
    public static var standard: KeyMap<StandardAction> { KeyMap(standardBindings { $0 }) }
}
