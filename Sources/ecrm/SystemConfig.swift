import Foundation
import TOMLKit
import UserRights

/// The machine's ecrm configuration: `store = "/var/lib/ecrm/shop.sqlite"` names the shared store,
/// so operators just type `ecrm`. Looked for beside the installed binary (`<bin>/../etc/ecrm/`,
/// how a test or a /opt install keeps its own) and in /etc/ecrm/. Only a file root owns and
/// nobody else may write counts: a setgid ecrm must not take the store's name from a user.
enum SystemConfig {
    static let defaultPath = "/etc/ecrm/config.toml"

    static func candidates() -> [String] {
        var list: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            let bin = (exe as NSString).deletingLastPathComponent
            list.append(((bin as NSString).deletingLastPathComponent as NSString).appendingPathComponent("etc/ecrm/config.toml"))
        }
        list.append(defaultPath)
        return list
    }

    /// A root-owned file (and folder) that neither group nor others may write.
    static func trusted(_ path: String) -> Bool {
        for p in [path, (path as NSString).deletingLastPathComponent] {
            var st = stat()
            guard stat(p, &st) == 0, st.st_uid == 0, st.st_mode & 0o022 == 0 else { return false }
        }
        return true
    }

    static let sharedStore: String? = {
        for path in candidates() where trusted(path) {
            guard let text = UserRights.asUser({ try? String(contentsOfFile: path, encoding: .utf8) }),
                  let table = try? TOMLTable(string: text),
                  let store = table["store"]?.string, store.hasPrefix("/") else { continue }
            return store
        }
        return nil
    }()

    /// Whether `a` names the file `b` (after symlinks), so `--db` may name the shared store.
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return a == b }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }
}
