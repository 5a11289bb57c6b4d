// TerminalKit: the ncursesw terminal layer and widgets of ecrm. It knows
// nothing about members; the console (ECRMConsole) builds screens from it.
//
// ## Start / stop
//     let term = try Terminal()            // TerminalError: not a tty, TERM=dumb... → print, exit 1
//     defer { term.stop() }                // also restored by atexit, SIGINT/TERM/HUP, deinit
//     term.warnings                        // e.g. unknown TERM → xterm-256color; show as a Toast
//     let config = try UserConfig.load()   // $XDG_CONFIG_HOME/ecrm/config.toml: theme, [keys]
//     let theme = try ThemeLoader().select(config.theme, terminalColors: term.colorCount)  // NO_COLOR → mono
//     term.setTheme(theme)
//
// ## Loop (one thread; 0% CPU while idle)
//     let loop = EventLoop<MyMessage>(terminal: term)
//     let mailbox = loop.mailbox           // Sendable: background work calls mailbox.post(result)
//     while running {
//         term.frame { canvas in ... }     // erase + draw + wnoutrefresh + one doupdate
//         switch loop.next(timeout: nil) { // .input(InputEvent) | .message(M) | .timeout | .terminated
//         ...
//     }
//   InputEvent: .key(Key) (text is .key(.char("张"))), .paste(String) (bracketed, whole), .resize.
//   Ctrl-Z is handled by the loop (suspend, then .resize). Ctrl-L: term.requestFullRepaint().
//
// ## Keys
//     var keys = KeyMap(KeyMap<MyAction>.standardBindings { .std($0) })   // j/k, PgUp/PgDn, C-d/u, g/G, / n N, ? q Q C-c, Tab 1-4, : C-l Esc C-g
//     keys.add(KeyBinding("reveal_phone", .revealPhone, ["p"], "显示手机号", hint: "手机号", context: "member",
//                         disabledReason: { readOnly ? "只读模式" : nil }))
//     let problems = keys.rebind(config.keys)        // messages for the user, never a crash
//     switch keys.resolve(key, contexts: ["member", "list"]) { case .action(a): ...; case .disabled(_, reason): toast(reason); case .unbound: ... }
//     HintBar.draw(on: canvas, y: h - 1, hints: keys.hints(contexts: [...]))
//     var help = HelpOverlay(keyMap: keys, contextTitles: ["global": "全局"])   // help.handle(ev), help.draw(on:)
//   Key names: Key(name: "C-d"), key.name → "C-d", "S-Tab", "PgDn", "F1", "Space", "Esc".
//
// ## Drawing
//   Canvas (protocol): put(text, x:, y:, role:, extra:, maxWidth:), putPadded, fill(rect, role:),
//   region(rect) → a clipped sub-canvas, setCursor. ScreenGrid is the in-memory Canvas for tests:
//   text(), line(y), cell(x:y:), roleMask(y, role).
//   StyleRole: semantic roles (.title, .selection, .tier1...); themes map them to colours/attributes.
//   Text: displayWidth, clipToWidth, padToWidth, truncateWithEllipsis, rightAlign, wrapToWidth,
//   sanitizeForDisplay — all by terminal columns (wcwidth), never bytes or Characters.
//
// ## Widgets (draw on any Canvas; state is plain structs)
//   ListViewport + ListView (RowSource: only visible rows fetched), Table/TableColumn/TableView,
//   TextField (CJK editing, C-a/e/u/k/w, paste), Form/FormField (validation), ConfirmDialog
//   (y/n or type-a-word), StatusLine, HintBar, HelpOverlay, Toast, Chart (sparkline, bars,
//   ASCII fallback), TooSmallScreen (min 60x16), Box (border, modal), Rect split helpers.
