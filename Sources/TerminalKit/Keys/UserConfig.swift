import Foundation
import UserRights
import TOMLKit

/// `$XDG_CONFIG_HOME/ecrm/config.toml` (or `~/.config/ecrm/config.toml`):
/// ```toml
/// theme = "light"
/// [keys]
/// move_down = ["j", "Down"]
/// quit = "Q"
/// ```
/// Apply with `keyMap.rebind(config.keys)`.
public struct UserConfig: Equatable, Sendable {
    public var theme: String?
    public var keys: [String: [String]]
    public init(theme: String? = nil, keys: [String: [String]] = [:]) { self.theme = theme; self.keys = keys }

    public struct LoadError: Error, Equatable, CustomStringConvertible {
        public var path: String
        public var detail: String
        public var description: String { "config \(path): \(detail)" }
    }

    /// Parses config text; errors name the line and what was expected.
    public static func parse(_ text: String, path: String = "config.toml") throws(LoadError) -> UserConfig {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let e as TOMLParseError {
            throw LoadError(path: path, detail: "line \(e.source.begin.line): \(e.description)")
        } catch { throw LoadError(path: path, detail: "\(error)") }

        var config = UserConfig()
        if let t = table["theme"] {
            guard let s = t.string else { throw LoadError(path: path, detail: "theme must be a string like \"light\"") }
            config.theme = s
        }
        if let k = table["keys"] {
            guard let keys = k.table else { throw LoadError(path: path, detail: "[keys] must be a table") }
            for name in keys.keys {
                let v = keys[name]!
                if let s = v.string { config.keys[name] = [s]; continue }
                guard let arr = v.array else {
                    throw LoadError(path: path, detail: "[keys] \(name) must be a key name or a list of key names")
                }
                var names: [String] = []
                for i in 0..<arr.count {
                    guard let s = arr[i].string else {
                        throw LoadError(path: path, detail: "[keys] \(name) must list key names as strings, e.g. [\"j\", \"Down\"]")
                    }
                    names.append(s)
                }
                config.keys[name] = names
            }
        }
        return config
    }

    /// Loads the user's config file; a missing file is an empty config.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws(LoadError) -> UserConfig {
        guard let path = ConfigPaths.configFile(environment),
              let data = UserRights.asUser({ FileManager.default.contents(atPath: path) }) else { return UserConfig() }
        guard let text = String(data: data, encoding: .utf8) else { throw LoadError(path: path, detail: "not UTF-8 text") }
        return try parse(text, path: path)
    }
}
