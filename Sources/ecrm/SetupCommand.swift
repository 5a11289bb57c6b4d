import ArgumentParser
import Foundation
import ECRMStore

/// `ecrm setup shared`: run once as root. A group only the ecrm binary belongs to (operators are
/// not in it), a folder and a store only that group may open, the binary installed setgid to the
/// group, and the system config naming the store. Then roles, masking and the audit hold against
/// every operator: none of them can open the file except through ecrm (README: threat model).
struct SetupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "setup", abstract: "Machine set-up (root): a shared store for several operators.",
                                                    subcommands: [Shared.self])

    struct Shared: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "shared",
            abstract: "Create the shared store: group, folder (2770), store (0660), setgid ecrm on the PATH, /etc/ecrm/config.toml. Run as root.")
        @Option(help: "Folder of the shared store.") var dir = "/var/lib/ecrm"
        @Option(help: "The group only ecrm runs as (no operator is a member).") var group = "ecrm"
        @Option(help: "The OS user who owns the shop (default: $SUDO_USER).") var owner: String?
        @Option(help: "Where to install the setgid ecrm binary.") var binDir = "/usr/local/bin"
        @Option(help: "System config file to write (default: /etc/ecrm/config.toml; <bin-dir>/../etc/ecrm/config.toml when --bin-dir is given).") var config: String?

        func run() throws {
            try guarded {
                guard getuid() == 0 else { fail(CLIMessages.now.setupAsRoot) }
                guard let owner = owner ?? ProcessInfo.processInfo.environment["SUDO_USER"], !owner.isEmpty, owner != "root" else {
                    fail(CLIMessages.now.setupOwner)
                }
                guard getpwnam(owner) != nil else { fail(CLIMessages.now.noOSUser(owner)) }
                // Folders on the way to the store, the binary and the config are for everyone to
                // traverse and read, whatever umask root has.
                umask(0o022)
                let gid = try ensureGroup(group)
                // The folder: only root and the group may enter; new files inherit the group (setgid).
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                try check(chown(dir, 0, gid), "chown \(dir)")
                try check(chmod(dir, 0o2770), "chmod \(dir)")
                let store = (dir as NSString).appendingPathComponent("shop.sqlite")
                let created = try SharedStore.prepare(path: store, owner: owner)
                // The store set umask 007 for its own files; what follows is for everyone to run and read.
                umask(0o022)
                for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: store + suffix) {
                    try check(chown(store + suffix, 0, gid), "chown \(store + suffix)")
                    try check(chmod(store + suffix, 0o660), "chmod \(store + suffix)")
                }
                let bin = try install(gid: gid)
                let conf = config ?? (binDir == "/usr/local/bin" ? SystemConfig.defaultPath
                                      : (((binDir as NSString).deletingLastPathComponent as NSString).appendingPathComponent("etc/ecrm/config.toml")))
                let confDir = (conf as NSString).deletingLastPathComponent
                try FileManager.default.createDirectory(atPath: confDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
                try Data("# Written by `ecrm setup shared`: the store operators open when they type `ecrm`.\nstore = \"\(store)\"\n".utf8)
                    .write(to: URL(fileURLWithPath: conf), options: .atomic)
                try check(chown(conf, 0, 0), "chown \(conf)")
                try check(chmod(conf, 0o644), "chmod \(conf)")
                print(CLIMessages.now.sharedStoreReady("\(store)", created: created, owner: "\(owner)", group: "\(group)", bin: "\(bin)", conf: "\(conf)"))
                print(CLIMessages.now.sharedStoreNext("\(owner)"))
            }
        }

        func check(_ rc: Int32, _ what: String) throws {
            if rc != 0 { throw StoreError.invalid("\(what): \(String(cString: strerror(errno)))") }
        }

        func ensureGroup(_ name: String) throws -> gid_t {
            if let g = getgrnam(name) { return g.pointee.gr_gid }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/sbin/groupadd")
            p.arguments = ["--system", name]
            try p.run()
            p.waitUntilExit()
            guard p.terminationStatus == 0, let g = getgrnam(name) else { throw StoreError.invalid("groupadd --system \(name) failed") }
            return g.pointee.gr_gid
        }

        /// Copies this very binary to `binDir/ecrm`, root:group, mode 2755 (setgid), then runs it
        /// once: as root with a foreign effective group the loader is in secure mode, as for every
        /// operator, so a binary that needs LD_LIBRARY_PATH or $ORIGIN for the Swift runtime fails
        /// here with the fix, not later for the staff.
        func install(gid: gid_t) throws -> String {
            let me = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
            try FileManager.default.createDirectory(atPath: binDir, withIntermediateDirectories: true)
            let dest = (binDir as NSString).appendingPathComponent("ecrm")
            let tmp = dest + ".new-\(getpid())"
            try? FileManager.default.removeItem(atPath: tmp)
            try FileManager.default.copyItem(atPath: me, toPath: tmp)
            try check(chown(tmp, 0, gid), "chown \(tmp)")
            try check(chmod(tmp, 0o2755), "chmod \(tmp)")   // after chown, which clears setgid
            try check(rename(tmp, dest), "install \(dest)")
            let p = Process()
            p.executableURL = URL(fileURLWithPath: dest)
            p.arguments = ["--help"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            guard p.terminationStatus == 0 else {
                throw StoreError.invalid("the installed \(dest) does not start setgid (the loader ignores $ORIGIN and LD_LIBRARY_PATH then): build it with `swift build -c release --static-swift-stdlib` and run setup with that binary")
            }
            return dest
        }
    }
}
