import ArgumentParser
import Foundation
import ECRMStore
import ECRMDomain
import UserRights

/// `ecrm --version`.
let ecrmVersion = "0.17.0"

/// `ecrm`: open the console, or run one of the subcommands (PRODUCT.md: Command line).
///
/// Every command names itself (`commandName:`): ArgumentParser builds the whole command tree on each
/// start, and a command without a name is named from `String(describing:)` of its type, a dynamic
/// cast that scans the binary's protocol conformances: with 52 commands that was about 3 ms of the
/// 17 ms CPU an `ecrm search` or the console takes to start at 1M members.
@main
struct Ecrm: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ecrm",
        abstract: "Member console for small online shops: member cards, RFM segments, tags and VIP tiers.",
        version: ecrmVersion,
        subcommands: [Demo.self, Import.self, Search.self, MemberCommand.self, RFMCommand.self, Export.self,
                      TiersCommand.self, TagsCommand.self, OperatorsCommand.self, AuditCommand.self,
                      HealthCommand.self, BirthdaysCommand.self, SetupCommand.self, CampaignCommand.self, DuplicatesCommand.self, ChannelsCommand.self])

    /// The locale comes first: display widths (wcwidth) and ncursesw need a UTF-8 LC_CTYPE.
    static func main() {
        // Before anything opens a file: remember the store group of a setgid ecrm (UserRights).
        UserRights.start()
        setlocale(LC_ALL, "")
        if String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" { setlocale(LC_CTYPE, "C.UTF-8") }
        // The store's access and privacy messages follow --lang like the rest (else LANG).
        if let given = TierLanguageOption.fromArguments(), let language = MessageLanguage(rawValue: given.lowercased()) {
            StoreMessages.language = language
        }
        main(nil)
    }

    @OptionGroup var store: StoreOptions
    @Option(help: "Colour theme (default, light, high-contrast, mono).") var theme: String?
    @Option(help: "Interface language: zh or en (default from LANG).") var lang: String?

    func run() throws {
        try guarded {
            let s = try store.open()
            try ConsoleLauncher.run(store: s, theme: theme, lang: lang)
        }
    }
}

struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "Path of the store (default: the shared store of /etc/ecrm/config.toml, else $XDG_DATA_HOME/ecrm/shop.sqlite).")
    var db: String?

    /// The store this command works on: `--db`, else the shared store the system config names, else
    /// the user's own. A setgid ecrm keeps the store group only for the shared store: for any other
    /// path it gives the group up for good before touching it.
    var path: String {
        if let db {
            if let shared = SystemConfig.sharedStore, SystemConfig.sameFile(db, shared) { return shared }
            UserRights.dropForGood()
            return db
        }
        if let shared = SystemConfig.sharedStore { return shared }
        UserRights.dropForGood()
        return StorePaths.defaultDatabasePath()
    }

    /// A directory is a likely slip (`--db ~/shop`): say so rather than SQLite's "unable to open".
    func checkNotADirectory() {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            fail(CLIMessages.now.dbIsDirectory(path, (path.hasSuffix("/") ? path : path + "/") + "shop.sqlite"))
        }
    }

    /// Opens the store for this OS user and refuses a user the store does not know (with the owner's
    /// command to add them): every subcommand and the console go through here.
    func open(create: Bool = false) throws -> Store {
        checkNotADirectory()
        let store = try Store(path: path, create: create)
        // A write that waits for another session says so once on stderr ("waiting for alice's import…").
        let language = TierLanguageOption.commandLineLanguage, once = Once()
        store.onWriteWait { holder in
            if let holder, once.first() { printErr("ecrm: " + holder.message(language)) }
        }
        _ = try store.requireRole()
        return store
    }

    /// For commands that only read (search, member show, export): a store this user cannot
    /// write is opened read-only, with a note, instead of failing.
    func openForReading() throws -> Store {
        checkNotADirectory()
        do {
            return try open()
        } catch let error as StoreError where error.isAccess && FileManager.default.isReadableFile(atPath: path)
                    && (!FileManager.default.isWritableFile(atPath: path)
                        || !FileManager.default.isWritableFile(atPath: (path as NSString).deletingLastPathComponent)) {
            let reason: String
            switch error { case .cannotOpen(_, let r): reason = r; default: reason = error.description }
            let store = try Store(path: path, readOnly: true)
            _ = try store.requireRole()
            printErr("ecrm: " + CLIMessages.now.readOnlyStore(path, reason))
            return store
        }
    }
}

/// True the first time only, from any thread.
final class Once: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    func first() -> Bool {
        lock.lock(); defer { lock.unlock() }
        if done { return false }
        done = true
        return true
    }
}

/// Every command's errors: one clear line on stderr and exit status 1, never a stack trace.
func guarded(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as ExitCode {
        throw e
    } catch let e as CleanExit {
        throw e
    } catch let e as StoreError {
        fail(e.description)
    } catch {
        fail(StoreError.unreadable(from: error)?.description ?? "\(error)")
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("ecrm: \(message)\n".utf8))
    exit(1)
}

func printErr(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}

/// Prints JSON with sorted keys and Chinese left readable.
func printJSON<T: Encodable>(_ value: T) throws {
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try enc.encode(value), as: UTF8.self))
}

/// A "\r…" progress line on stderr, only when stderr is a terminal (logs stay clean).
final class ProgressLine {
    let label: String
    let enabled = isatty(2) == 1
    var last = Date.distantPast
    init(_ label: String) { self.label = label }

    func update(_ text: String) {
        guard enabled, Date().timeIntervalSince(last) > 0.2 else { return }
        last = Date()
        FileHandle.standardError.write(Data("\r\u{1B}[K\(label): \(text)".utf8))
    }

    func done() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

func parseAsOf(_ s: String?) throws -> Day {
    guard let s else { return Clock.today() }
    guard let d = Day.parse(s) else { throw ValidationError(CLIMessages.now.badDate("--as-of", s)) }
    return d
}

func parseWindow(_ s: String?) throws -> Int?? {
    guard let s else { return .none }
    if s == "all" { return .some(nil) }
    guard let n = Int(s), n > 0 else { throw ValidationError(CLIMessages.now.badWindow(s)) }
    return .some(n)
}
