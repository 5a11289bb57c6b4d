import CNcursesw
import CTermShims
import Foundation

/// The ncursesw screen: start it once, draw frames, read input, stop it.
///
/// ```swift
/// let term = try Terminal()                 // throws TerminalError (print it, exit 1)
/// defer { term.stop() }
/// for w in term.warnings { showToast(w) }   // e.g. unknown TERM fell back to xterm-256color
/// term.setTheme(theme)
/// let loop = EventLoop<MyMessage>(terminal: term)
/// term.frame { canvas in draw(canvas) }
/// ```
/// Guarantees: raw mode (Ctrl-C/Ctrl-Z arrive as keys), no echo, keypad on,
/// cursor hidden, ESC delay 25 ms unless `ESCDELAY` is set, bracketed paste on.
/// The tty is restored by `stop()`, `deinit`, `atexit`, and on SIGINT/SIGTERM
/// (the event loop stops and exits), SIGHUP/SIGQUIT or a second signal (the
/// C handler restores the tty mode and leaves at once, no heap work).
/// All calls must come from one thread (the one that created it).
public final class Terminal {
    public struct Options: Sendable {
        /// Fallback when `$TERM` has no terminfo entry.
        public var fallbackTerm = "xterm-256color"
        public var bracketedPaste = true
        /// Ctrl-Z stops the process (endwin + SIGTSTP) and repaints on resume.
        public var handleSuspend = true
        /// SIGINT/SIGTERM: stop the terminal and `exit(128+signal)` from the loop.
        /// When false the loop returns `.terminated(signal)` instead.
        public var exitOnSignal = true
        public init() {}
    }

    public let options: Options
    /// Things the user should be told (e.g. "TERM=foo unknown, using xterm-256color").
    public private(set) var warnings: [String] = []
    /// True when the locale is UTF-8 (after the C.UTF-8 fallback); widgets use
    /// ASCII fallbacks (charts, borders) when false.
    public let isUTF8: Bool
    /// Colours the terminal supports (0 if none).
    public private(set) var colorCount: Int = 0
    public let termName: String

    let screen: OpaquePointer
    let outFile: UnsafeMutablePointer<FILE>
    let inFile: UnsafeMutablePointer<FILE>
    let wakePipe: (read: Int32, write: Int32)
    private(set) var active = true
    private var pendingFullRepaint = false
    let canvas: CursesCanvas

    public init(options: Options = Options(),
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(TerminalError) {
        guard !TerminalProcessState.active else { throw .alreadyActive }
        self.options = options
        guard cts_isatty(0) == 1, cts_isatty(1) == 1 else { throw .notATerminal }
        let envTerm = environment["TERM"] ?? ""
        if envTerm == "dumb" { throw .dumbTerminal }

        // Locale first, or ncursesw prints CJK as "~V~G".
        setlocale(LC_ALL, "")
        if cts_codeset_is_utf8() == 0 {
            if setlocale(LC_CTYPE, "C.UTF-8") == nil { _ = setlocale(LC_CTYPE, "C.utf8") }
            if cts_codeset_is_utf8() == 0 {
                warnings.append("locale is not UTF-8 and C.UTF-8 is unavailable; Chinese text may not display")
            }
        }
        isUTF8 = cts_codeset_is_utf8() == 1

        // The shell's own tty mode, saved before ncurses changes it: the SIGHUP/SIGTERM handler puts
        // exactly this back, so a dropped SSH session leaves a usable terminal (echo on).
        cts_save_termios(0)

        // ncurses gets duplicates so stop()'s fclose leaves the process' stdin/stdout open.
        guard let out = fdopen(dup(1), "w"), let inp = fdopen(dup(0), "r") else { throw .notATerminal }
        var name = envTerm.isEmpty ? options.fallbackTerm : envTerm
        var scr = newterm(name, out, inp)
        if scr == nil && name != options.fallbackTerm {
            warnings.append("terminal type \"\(name)\" is unknown here; using \(options.fallbackTerm) (set TERM to fix colours/keys)")
            name = options.fallbackTerm
            scr = newterm(name, out, inp)
        } else if envTerm.isEmpty {
            warnings.append("TERM is not set; using \(options.fallbackTerm)")
        }
        guard let scr else { throw .cannotOpen(term: envTerm) }
        screen = scr; outFile = out; inFile = inp; termName = name

        var fds: [Int32] = [-1, -1]
        _ = cts_make_pipe(&fds)
        wakePipe = (fds[0], fds[1])
        canvas = CursesCanvas()

        raw()                      // Ctrl-C / Ctrl-Z / Ctrl-S arrive as keys
        noecho()
        nonl()                     // Enter arrives as CR, and output needs no LF translation
        keypad(cn_stdscr(), true)
        intrflush(cn_stdscr(), false)
        if environment["ESCDELAY"] == nil { set_escdelay(25) }   // ncurses reads ESCDELAY itself
        curs_set(0)
        // Let ncurses scroll with insert/delete line when a list moves by a row instead of
        // rewriting every visible row: fewer bytes per key over slow SSH.
        idlok(cn_stdscr(), true)
        if has_colors() {
            start_color()
            use_default_colors()   // "default" = the terminal's own colours
            colorCount = Int(cn_COLORS())
        }
        // Bracketed paste markers as single key codes when possible (see InputParser).
        define_key("\u{1B}[200~", PasteKeyCode.start)
        define_key("\u{1B}[201~", PasteKeyCode.end)

        TerminalProcessState.install(restore: restoreSequence(), wakeFD: wakePipe.write)
        if options.bracketedPaste { writeRaw("\u{1B}[?2004h") }
        canvas.palette.colorCount = colorCount
    }

    deinit { stop() }

    /// Current size in columns x rows.
    public var size: TermSize {
        var y: Int32 = 0, x: Int32 = 0
        cn_getmaxyx(cn_stdscr(), &y, &x)
        return TermSize(width: Int(x), height: Int(y))
    }

    /// Uses `theme` for every role from the next frame on.
    public func setTheme(_ theme: Theme) {
        canvas.palette.theme = theme
    }

    /// Draws one frame: erase, your drawing, wnoutrefresh, one doupdate.
    /// Only changed cells go over the wire.
    public func frame(_ draw: (Canvas) -> Void) {
        guard active else { return }
        let win = cn_stdscr()
        canvas.beginFrame(size: size)
        werase(win)
        draw(canvas)
        if pendingFullRepaint { clearok(cn_curscr(), true); pendingFullRepaint = false }
        if let c = canvas.cursor {
            leaveok(win, false); curs_set(1); wmove(win, Int32(c.y), Int32(c.x))
        } else {
            leaveok(win, true); curs_set(0)
        }
        wnoutrefresh(win)
        doupdate()
    }

    /// Ctrl-L: the next frame repaints every cell (the only place clear is used).
    public func requestFullRepaint() { pendingFullRepaint = true }

    /// Ctrl-Z: give the shell back, stop, and repaint fully after `fg`.
    public func suspend() {
        guard active else { return }
        if options.bracketedPaste { writeRaw("\u{1B}[?2004l") }
        endwin()
        cts_stop_self()            // returns after SIGCONT
        if options.bracketedPaste { writeRaw("\u{1B}[?2004h") }
        pendingFullRepaint = true
        doupdate()                 // back to program mode
    }

    /// Restores the terminal. Safe to call more than once.
    public func stop() {
        guard active else { return }
        active = false
        endwin()
        if options.bracketedPaste { writeRaw("\u{1B}[?2004l") }
        delscreen(screen)
        fclose(outFile); fclose(inFile)
        close(wakePipe.read); close(wakePipe.write)
        TerminalProcessState.uninstall()
    }

    /// One raw value from ncurses, waiting at most `timeoutMs` (0 = poll, -1 = block).
    func readRaw(timeoutMs: Int32) -> RawInput? {
        wtimeout(cn_stdscr(), timeoutMs)
        var ch: wint_t = 0
        let r = wget_wch(cn_stdscr(), &ch)
        if r == KEY_CODE_YES { return .keyCode(Int32(bitPattern: ch)) }
        if r == OK { return .char(UInt32(ch)) }
        return nil
    }

    func writeRaw(_ s: String) {
        fflush(outFile)
        _ = s.withCString { write(1, $0, strlen($0)) }
    }

    /// Bytes the signal handler writes to undo our terminal changes.
    private func restoreSequence() -> String {
        var seq = options.bracketedPaste ? "\u{1B}[?2004l" : ""
        seq += "\u{1B}[0m"
        for cap in ["rmcup", "cnorm", "rmkx"] {
            if let p = tigetstr(cap), Int(bitPattern: p) != -1 { seq += String(cString: p) }
        }
        return seq + "\r\n"
    }
}

/// Process-wide bits that must outlive a Terminal object (atexit, signals).
enum TerminalProcessState {
    nonisolated(unsafe) static var active = false
    nonisolated(unsafe) static var atexitRegistered = false
    nonisolated(unsafe) static var pasteOnExit = false

    static func install(restore: String, wakeFD: Int32) {
        active = true
        restore.withCString { cts_install_exit_signals(wakeFD, 1, $0) }
        if !atexitRegistered {
            atexitRegistered = true
            // A path that calls exit() without stop() still gets the tty back.
            atexit {
                guard TerminalProcessState.active else { return }
                endwin()
                _ = "\u{1B}[?2004l".withCString { write(1, $0, strlen($0)) }
            }
        }
    }

    static func uninstall() {
        active = false
        cts_reset_exit_signals()
    }
}
