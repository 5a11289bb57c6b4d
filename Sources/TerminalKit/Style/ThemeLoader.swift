import Foundation
import UserRights

/// Finds and loads themes by name. Search order (first hit wins):
/// 1. `$XDG_CONFIG_HOME/ecrm/themes/NAME.toml` (or `~/.config/ecrm/themes`)
/// 2. `$ECRM_THEMES_DIR/NAME.toml`
/// 3. a `themes/` dir next to the executable, in `../share/ecrm/themes`, or in
///    a parent of the executable's dir (the repo, for `swift run`)
/// 4. compiled-in `default` and `mono`.
/// `NO_COLOR` (set and non-empty) or a terminal with < 8 colours selects `mono`.
public struct ThemeLoader: Sendable {
    public var searchDirectories: [String]
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                executablePath: String? = CommandLine.arguments.first) {
        self.environment = environment
        var dirs: [String] = []
        if let cfg = ConfigPaths.configDirectory(environment) { dirs.append(cfg + "/themes") }
        if let d = environment["ECRM_THEMES_DIR"], !d.isEmpty { dirs.append(d) }
        if let exe = executablePath.map(Self.resolveExecutable) {
            var dir = (exe as NSString).deletingLastPathComponent
            dirs.append(dir + "/themes")
            dirs.append(dir + "/../share/ecrm/themes")
            for _ in 0..<4 {   // .build/debug/ecrm → repo/themes
                dir = (dir as NSString).deletingLastPathComponent
                if dir.isEmpty || dir == "/" { break }
                dirs.append(dir + "/themes")
            }
        }
        self.searchDirectories = dirs
    }

    public init(searchDirectories: [String], environment: [String: String] = [:]) {
        self.searchDirectories = searchDirectories
        self.environment = environment
    }

    static func resolveExecutable(_ arg0: String) -> String {
        if arg0.contains("/") {
            let path = arg0.hasPrefix("/") ? arg0 : FileManager.default.currentDirectoryPath + "/" + arg0
            return (path as NSString).resolvingSymlinksInPath
        }
        return (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? arg0
    }

    /// True when NO_COLOR asks for no colour (no-color.org: set and non-empty).
    public var noColorRequested: Bool { !(environment["NO_COLOR"] ?? "").isEmpty }

    /// Names of all themes that can be loaded, sorted.
    public func availableThemes() -> [String] {
        var names = Set(BuiltinThemes.sources.keys)
        for dir in searchDirectories {
            guard let files = UserRights.asUser({ try? FileManager.default.contentsOfDirectory(atPath: dir) }) else { continue }
            for f in files where f.hasSuffix(".toml") { names.insert(String(f.dropLast(5))) }
        }
        return names.sorted()
    }

    /// Loads `name`. Throws `ThemeError.unknown` listing available themes, or a
    /// parse error naming the file.
    public func load(_ name: String) throws(ThemeError) -> Theme {
        let safe = !name.isEmpty && !name.contains("/") && !name.hasPrefix(".")
        if safe {
            for dir in searchDirectories {
                let path = dir + "/" + name + ".toml"
                guard let data = UserRights.asUser({ FileManager.default.contents(atPath: path) }) else { continue }
                guard let text = String(data: data, encoding: .utf8) else {
                    throw ThemeError.invalid(theme: name, detail: "\(path) is not UTF-8")
                }
                do { return try Theme.parse(toml: text, name: name) } catch {
                    throw ThemeError.invalid(theme: name, detail: "\(path): \(error)")
                }
            }
            if let builtin = BuiltinThemes.sources[name] { return try Theme.parse(toml: builtin, name: name) }
        }
        throw ThemeError.unknown(name: name, available: availableThemes())
    }

    /// The theme the app should use: mono when NO_COLOR is set or the terminal
    /// has fewer than 8 colours, else `requested` (nil = "default").
    public func select(_ requested: String?, terminalColors: Int) throws(ThemeError) -> Theme {
        if noColorRequested || terminalColors < 8 { return try load("mono") }
        return try load(requested ?? "default")
    }
}

/// Where ecrm keeps user configuration (`$XDG_CONFIG_HOME/ecrm` or `~/.config/ecrm`).
public enum ConfigPaths {
    public static func configDirectory(_ env: [String: String]) -> String? {
        if let x = env["XDG_CONFIG_HOME"], x.hasPrefix("/") { return x + "/ecrm" }
        if let h = env["HOME"], !h.isEmpty { return h + "/.config/ecrm" }
        return nil
    }

    public static func configFile(_ env: [String: String]) -> String? {
        configDirectory(env).map { $0 + "/config.toml" }
    }
}
