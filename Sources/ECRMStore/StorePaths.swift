import Foundation

/// Where the store lives by default: `$XDG_DATA_HOME/ecrm/shop.sqlite`, else `~/.local/share/ecrm/shop.sqlite`.
public enum StorePaths {
    public static func defaultDatabasePath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base: String
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
            base = xdg
        } else {
            base = (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        }
        return base + "/ecrm/shop.sqlite"
    }

    /// Creates the parent folder private to the user (0700): member data is personal data.
    public static func prepareParent(of path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        guard !dir.isEmpty else { return }
        if !FileManager.default.fileExists(atPath: dir) {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
    }
}
