import Foundation
import TerminalKit
import ECRMStore
import ECRMDomain

/// Starts the full-screen console on a real terminal and runs it until the operator quits.
public enum Console {
    public struct Options: Sendable {
        public var theme: String?
        public var language: String?
        public var asOf: Day
        public init(theme: String? = nil, language: String? = nil, asOf: Day = Clock.today()) {
            self.theme = theme; self.language = language; self.asOf = asOf
        }
    }

    public enum LaunchError: Error, CustomStringConvertible {
        case badLanguage(String)
        public var description: String {
            switch self { case .badLanguage(let l): return "--lang must be zh or en, not '\(l)'" }
        }
    }

    /// Throws TerminalError (not a tty, TERM=dumb...), ThemeError or UserConfig.LoadError with a
    /// sentence the caller prints; returns when the operator quits.
    public static func run(store: Store, options: Options) throws {
        let env = ProcessInfo.processInfo.environment
        guard let language = Labels.language(flag: options.language, environment: env) else {
            throw LaunchError.badLanguage(options.language ?? "")
        }
        let roleName = try store.requireRole()
        let role = OperatorRole(rawValue: roleName) ?? .staff
        let config = try UserConfig.load()
        let term = try Terminal()
        defer { term.stop() }
        let theme = try ThemeLoader().select(options.theme ?? config.theme, terminalColors: term.colorCount)
        term.setTheme(theme)
        let loop = EventLoop<ConsoleMessage>(terminal: term)
        let host = TerminalHost(term)
        let app = ConsoleApp(store: store, role: role, language: language, asOf: options.asOf,
                             mailbox: loop.mailbox, keyOverrides: config.keys)
        app.host = host
        let mailbox = loop.mailbox
        store.onWriteWait { mailbox.post(.writeWait($0)) }
        defer { store.onWriteWait(nil) }
        let problems = term.warnings + app.keyProblems()
        if let first = problems.first { app.show(first, .warning) }

        while !app.quitRequested {
            term.frame { app.draw(on: $0) }
            switch loop.next() {
            case .input(let event): app.handle(event)
            case .message(let m):
                app.handle(m)
                // Apply everything already queued before repainting once.
                while let more = loop.mailbox.take() { app.handle(more) }
            case .timeout: break
            case .terminated: app.quit()
            }
        }
        app.quit()
    }
}

/// The real terminal behind ConsoleHost.
final class TerminalHost: ConsoleHost {
    let term: Terminal
    init(_ term: Terminal) { self.term = term }
    func requestFullRepaint() { term.requestFullRepaint() }
    func setTheme(_ theme: Theme) { term.setTheme(theme) }
    var isUTF8: Bool { term.isUTF8 }
}
