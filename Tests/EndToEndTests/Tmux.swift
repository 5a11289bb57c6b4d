import Foundation
import Testing

/// Runs a program and returns (exit status, stdout). posix_spawn + waitpid rather than
/// Foundation's Process, whose SIGCHLD-based reaping can miss a child (a tmux client whose
/// server lives on) and hang the test. `captureOutput` false for commands that leave a daemon
/// behind: the daemon would inherit the pipe and the read would never end.
@discardableResult
func runTool(_ exe: String, _ args: [String], captureOutput: Bool = true) throws -> (status: Int32, out: String) {
    var fds: [Int32] = [-1, -1]
    if captureOutput { guard pipe(&fds) == 0 else { throw POSIXError(.EMFILE) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    if captureOutput {
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
    } else {
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    }
    let argv = ([exe] + args).map { strdup($0) } + [nil]
    defer { for a in argv { free(a) } }
    // The test runner's threads block most signals and a spawned child inherits that mask:
    // tmux and the console must get SIGWINCH and SIGHUP like in a real terminal.
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    var none = sigset_t(), all = sigset_t()
    sigemptyset(&none); sigfillset(&all)
    posix_spawnattr_setsigmask(&attr, &none)
    posix_spawnattr_setsigdefault(&attr, &all)
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, exe, &actions, &attr, argv, environ)
    if captureOutput { close(fds[1]) }
    guard rc == 0 else { if captureOutput { close(fds[0]) }; throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .ENOENT) }
    var out = [UInt8]()
    if captureOutput {
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fds[0], &buf, buf.count)
            if n > 0 { out += buf[0..<n]; continue }
            if n < 0 && errno == EINTR { continue }
            break
        }
        close(fds[0])
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return (exit, String(decoding: out, as: UTF8.self))
}

/// The `ecrm` built with these tests: it sits next to the running test binary in
/// `<scratch>/<triple>/debug/` (CI: .build; here maybe .build-console).
let builtEcrm: String = {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("ecrm").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    // Fallback: the repository's default build dir, from this file's path.
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug/ecrm").path
}()

/// A demo store shared by the console scenarios (they only read it): 2000 members, fixed end day.
/// Made once; a failed `ecrm demo` fails every scenario that needs it, with the reason.
private let sharedDemo: Result<String, any Error> = Result {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecrm-e2e-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("shop.db").path
    let r = try runTool(builtEcrm, ["demo", "--db", path, "--members", "2000", "--end", "2026-11-20", "--force"], captureOutput: false)
    guard r.status == 0 else { throw DemoFailed(status: r.status, binary: builtEcrm) }
    return path
}

struct DemoFailed: Error, CustomStringConvertible {
    var status: Int32
    var binary: String
    var description: String { "`\(binary) demo` exited with status \(status)" }
}

/// The shared demo store's path; throws (failing the test with the reason) when it could not be made.
func sharedDemoStore() throws -> String { try sharedDemo.get() }

/// Display columns of a captured line (tmux prints each wide glyph once).
func columns(_ s: Substring) -> Int {
    s.unicodeScalars.reduce(0) { $0 + (isWide($1.value) ? 2 : 1) }
}
func columns(_ s: String) -> Int { columns(Substring(s)) }

private func isWide(_ v: UInt32) -> Bool {
    (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
        || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
        || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
}

/// One private tmux server (its own -L socket), killed at the end; never touches other servers.
final class Tmux {
    static let exe = "/usr/bin/tmux"
    nonisolated(unsafe) private static var counter = 0
    let socket: String

    /// Starts `command` (run by sh) in a detached session of `width` x `height`.
    init(_ command: String, width: Int = 80, height: Int = 24) throws {
        Tmux.counter += 1
        socket = "ecrm-e2e-\(getpid())-\(Tmux.counter)-\(UInt32.random(in: 0...UInt32.max))"
        // No tmux status line: the pane is the whole window, as a terminal of that size.
        let conf = FileManager.default.temporaryDirectory.appendingPathComponent("ecrm-e2e-tmux.conf").path
        try "set -g status off\n".write(toFile: conf, atomically: true, encoding: .utf8)
        let r = try runTool(Tmux.exe, ["-L", socket, "-f", conf, "new-session", "-d", "-x", String(width), "-y", String(height), command],
                            captureOutput: false)
        try #require(r.status == 0, "tmux new-session failed")
    }

    deinit { _ = try? runTool(Tmux.exe, ["-L", socket, "kill-server"]) }

    @discardableResult
    func tmux(_ args: [String]) throws -> String {
        let r = try runTool(Tmux.exe, ["-L", socket] + args)
        return r.out
    }

    /// Key names as tmux knows them ("Enter", "Tab", "C-c", "q").
    func keys(_ names: String...) throws { try tmux(["send-keys"] + names) }
    /// Literal text, Chinese included.
    func type(_ text: String) throws { try tmux(["send-keys", "-l", text]) }
    /// A bracketed paste, as a terminal pastes from the clipboard.
    func paste(_ text: String) throws {
        try tmux(["set-buffer", "--", text])
        try tmux(["paste-buffer", "-p"])
    }
    func resize(_ w: Int, _ h: Int) throws { try tmux(["resize-window", "-x", String(w), "-y", String(h)]) }

    func capture(escapes: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p"] + (escapes ? ["-e"] : []))
    }

    /// The screen once it has stopped changing (two captures 100 ms apart agree, within `timeout`):
    /// a capture taken while a frame is still being written would miss its lower rows.
    func settledCapture(timeout: Double = 10) throws -> String {
        var last = try capture()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            usleep(100_000)
            let now = try capture()
            if now == last { return now }
            last = now
        }
        return last
    }

    /// Polls the screen until `predicate` holds (never a fixed sleep); returns the last screen.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 30, escapes: Bool = false,
                 sourceLocation: SourceLocation = #_sourceLocation, _ predicate: (String) -> Bool) throws -> String {
        let end = Date().addingTimeInterval(timeout)
        var screen = ""
        repeat {
            screen = try capture(escapes: escapes)
            if predicate(screen) { return screen }
            usleep(50_000)
        } while Date() < end
        Issue.record("timed out waiting for \(what); screen:\n\(screen)", sourceLocation: sourceLocation)
        return screen
    }

    @discardableResult
    func waitFor(text: String, timeout: Double = 30, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try waitFor("\"\(text)\"", timeout: timeout, sourceLocation: sourceLocation) { $0.contains(text) }
    }

    var panePID: Int32 { Int32((try? tmux(["display-message", "-p", "#{pane_pid}"]))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? -1 }
}

/// The shell command that starts the console on `store` with a clean, explicit environment.
func consoleCommand(_ store: String, env: String = "", args: String = "") -> String {
    "env -u NO_COLOR LANG=C.UTF-8 TERM=xterm-256color \(env) '\(builtEcrm)' --db '\(store)' --lang zh \(args)"
}
