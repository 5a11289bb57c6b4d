import CTermShims
import Foundation

/// What `EventLoop.next` returns.
public enum LoopEvent<Message: Sendable> {
    case input(InputEvent)
    case message(Message)
    /// The timeout passed with nothing to report.
    case timeout
    /// SIGINT/SIGTERM arrived and `Terminal.Options.exitOnSignal` is false.
    case terminated(signal: Int32)
}

/// Drives the app: blocks (poll on the tty and a wake pipe, 0% CPU) until a
/// key, a paste, a resize, or a mailbox message arrives.
///
/// ```swift
/// let loop = EventLoop<DBResult>(terminal: term)
/// let box = loop.mailbox                       // hand to background work: box.post(result)
/// while running {
///     term.frame { draw($0) }
///     switch loop.next() {                     // or next(timeout: .milliseconds(100)) while a spinner runs
///     case .input(.key(let k)): handle(k)
///     case .input(.paste(let s)): field.insert(s)
///     case .input(.resize): break              // just redraw
///     case .message(let m): apply(m)
///     case .timeout, .terminated: ...
///     }
/// }
/// ```
/// Ctrl-Z is handled here (suspend + `.resize` on resume so the app repaints).
public final class EventLoop<Message: Sendable> {
    public let mailbox: Mailbox<Message>
    private let terminal: Terminal
    private var parser = InputParser()
    private var ready: [InputEvent] = []

    public init(terminal: Terminal) {
        self.terminal = terminal
        self.mailbox = Mailbox(wakeFD: terminal.wakePipe.write)
    }

    /// Next event; `timeout` nil waits forever.
    public func next(timeout: Duration? = nil) -> LoopEvent<Message> {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        while true {
            if let sig = takeSignal() { return sig }
            if !ready.isEmpty { return .input(ready.removeFirst()) }
            if let m = mailbox.take() { return .message(m) }

            drainInput()
            if !ready.isEmpty { continue }

            // An ESC alone, or a paste missing its end marker: wait briefly for the rest.
            if parser.hasPendingEscape || parser.isPasting {
                let waitMs: Int32 = parser.isPasting ? 500 : 50
                if cts_poll2(0, -1, waitMs) == 0 {
                    ready += parser.flush(endPaste: true)
                }
                continue
            }

            var waitMs: Int32 = -1
            if let deadline {
                let left = deadline - ContinuousClock.now
                if left <= .zero { return .timeout }
                let (s, atto) = left.components
                waitMs = Int32(min(Int64(Int32.max), s * 1000 + atto / 1_000_000_000_000_000 + 1))
            }
            let r = cts_poll2(0, terminal.wakePipe.read, waitMs)
            if r > 0, r & 2 != 0 { cts_drain(terminal.wakePipe.read) }
            // r == -1: EINTR (SIGWINCH → KEY_RESIZE is read by drainInput next time round).
        }
    }

    /// Reads everything ncurses has right now (non-blocking) through the parser.
    private func drainInput() {
        while let raw = terminal.readRaw(timeoutMs: 0) {
            for ev in parser.feed(raw) {
                if terminal.options.handleSuspend, ev == .key(.ctrl("z")) {
                    terminal.suspend()
                    ready.append(.resize)
                } else {
                    ready.append(ev)
                }
            }
        }
    }

    private func takeSignal() -> LoopEvent<Message>? {
        let sig = cts_take_exit_signal()
        guard sig != 0 else { return nil }
        if terminal.options.exitOnSignal {
            terminal.stop()
            exit(128 + sig)
        }
        return .terminated(signal: sig)
    }
}
