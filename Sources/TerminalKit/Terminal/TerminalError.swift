/// Why the terminal could not be started. `description` is a sentence the
/// caller can print before exiting non-zero.
public enum TerminalError: Error, Equatable, CustomStringConvertible {
    case notATerminal
    case dumbTerminal
    case cannotOpen(term: String)
    case alreadyActive

    public var description: String {
        switch self {
        case .notATerminal:
            return "ecrm console needs an interactive terminal (stdin and stdout must be a tty); use the command-line subcommands for scripts"
        case .dumbTerminal:
            return "TERM=dumb cannot run the full-screen console; set TERM (e.g. xterm-256color) or use the command-line subcommands"
        case .cannotOpen(let term):
            return "cannot open terminal \"\(term)\" (no terminfo entry, and xterm-256color failed too)"
        case .alreadyActive:
            return "a Terminal is already active in this process"
        }
    }
}
