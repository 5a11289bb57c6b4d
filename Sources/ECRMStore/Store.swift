import Foundation
import GRDB
import ECRMDomain
import CStoreTuning
import UserRights

/// The member store: one SQLite file in WAL mode, shared by every console and command on the machine.
/// Readers never block. Writers take turns: a write that finds another writer waits for it (up to
/// `busyTimeout`, 10 minutes) rather than failing, and can tell whom it waits for (WriterFile).
public final class Store: Sendable {
    public let path: String
    let pool: DatabasePool
    /// The operating-system user this process acts for (PRODUCT.md: Operators).
    public let operatorName: String
    /// Opened read-only (a store this user may read but not write): nothing can be written, not even
    /// an audit row.
    public let isReadOnly: Bool
    let waits: WriteWaits
    /// Where `observe…` calls get their fresh values (Changes/ChangeFeed.swift).
    let feed = ChangeFeed()
    /// Read transactions taken through `read` (tests count what opening a view costs).
    let reads = Tally()
    /// Passes over every member looking for duplicate candidates (tests: what a commit costs).
    let duplicateScans = Tally()

    /// How long a write waits for another writer before giving up: longer than any import a shop
    /// runs, so in practice a write never fails for being second.
    public static let busyTimeout: TimeInterval = 600

    /// Process-wide malloc and SQLite settings, applied once before the first connection (CStoreTuning).
    private static let tuned: Int32 = ecrm_store_tuning()

    /// Opens (or with `create`, creates) the store at `path` and brings its schema up to date.
    /// A new store records `operatorName` as its owner.
    /// `readOnly`: a store this user may read but not write (a read-only file or directory):
    /// opened as an unchanging file (SQLite's immutable=1, so no -shm is needed), never migrated.
    public init(path: String, create: Bool = false, operatorName: String = OperatorIdentity.current(),
                busyTimeout: TimeInterval = Store.busyTimeout, readOnly: Bool = false) throws {
        _ = Store.tuned
        self.path = path
        self.operatorName = operatorName
        self.isReadOnly = readOnly
        let waits = WriteWaits(file: WriterFile(storePath: path), limit: busyTimeout)
        self.waits = waits
        let exists = try StoreFiles.check(path, user: operatorName, forWriting: !readOnly)
        if !exists && !create {
            throw StoreError.notFound("no store at \(path): create one with `ecrm demo` or `ecrm import members FILE`, or pass --db PATH")
        }
        // Member data is personal data: files we create are readable by the user and group only.
        umask(0o007)
        // A setgid ecrm: SQLite's temporary files (big sorts) go to the store's folder, which the
        // user cannot enter, not to a $TMPDIR the user chooses and could watch.
        if UserRights.isSetgid {
            let dir = (path as NSString).deletingLastPathComponent
            setenv("SQLITE_TMPDIR", dir.isEmpty ? "." : dir, 1)
        }
        do {
            try StorePaths.prepareParent(of: path)
            // SQLite would create the file 0644 (0640 after the umask), and its -wal/-shm files copy that
            // mode: other operators (OS users in the store's group) could not write, or even open it.
            // Group-writable instead; the folder decides who gets in (0700 by default).
            if !exists { close(open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o660)) }
            var config = Configuration()
            // Our own handler rather than a plain busy_timeout: it also tells a waiting write whom it waits for.
            config.busyMode = .callback { waits.busy($0) }
            config.foreignKeysEnabled = true
            config.prepareDatabase { db in
                // NORMAL is durable against a killed process in WAL mode; only power loss may drop the last commit.
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // A REPLACE that deletes a member_stats row fires its delete trigger, so the list
                // orders (ListOrders) lose the old key; without this only the insert's key would follow.
                try db.execute(sql: "PRAGMA recursive_triggers = ON")
                // The -wal file stays between sessions, ready for the next write (KeptWAL).
                KeptWAL.keep(db, true)
                // The writer checkpoints after a store write let go of its line (WalCheckpoints).
                if !db.configuration.readonly { WalCheckpoints.install(db) }
            }
            if readOnly {
                config.readonly = true
                let encoded = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
                pool = try DatabasePool(path: "file:\(encoded)?immutable=1", configuration: config)
                guard try pool.read({ try Schema.migrator.hasCompletedMigrations($0) }) else {
                    throw StoreError.cannotOpen(path: path, reason: "it needs an upgrade; open it once with write access")
                }
            } else {
                pool = try DatabasePool(path: path, configuration: config)
                StoreFiles.matchSideFiles(path)
                try Schema.migrator.migrate(pool)
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw StoreError.locked(path: path)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_READONLY {
            throw StoreError.permissionDenied(StoreMessages.readOnly(path, user: operatorName))
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error)")
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "\(error)")
        }
        if !exists && !readOnly {
            try pool.write { db in
                try db.execute(sql: "INSERT OR IGNORE INTO operator(user, role, added_at, added_by) VALUES (?, 'owner', ?, ?)",
                               arguments: [operatorName, Clock.nowString(), operatorName])
            }
        }
    }

    /// Called with whom a write of this process waits for once it has waited a moment, and with
    /// nil when that write got its turn (the console's status line; the CLI prints the first).
    public func onWriteWait(_ observer: (@Sendable (WriteHolder?) -> Void)?) { waits.setObserver(observer) }

    /// Who holds the write lock now, as far as the holder's side-file tells (nil: nobody known).
    public func currentWriter() -> WriteHolder? { waits.file.holder() }

    /// One user action: one IMMEDIATE transaction (the write lock is taken first, so the
    /// transaction never has to upgrade from a read, which SQLite refuses at once with no waiting),
    /// labelled for waiters with `activity`, the operator's right (`access`) checked inside it.
    @discardableResult
    func write<T>(_ activity: WriteActivity, _ access: Access, _ body: (Database) throws -> T) throws -> T {
        try write(activity, access, role: { db, _ in try body(db) })
    }

    /// The same, handing the body the role the check read (for rules that differ by role).
    /// `foreignKeysOff`: SQLite skips its foreign-key checks in this transaction (a merge deleting
    /// a member would otherwise scan every order for one naming it); the pragma is only taken
    /// outside a transaction, so it is set around it and back on whatever happens.
    @discardableResult
    func write<T>(_ activity: WriteActivity, _ access: Access, foreignKeysOff: Bool = false,
                  role body: (Database, OperatorRole) throws -> T) throws -> T {
        try translate {
            try pool.writeWithoutTransaction { db in
                if foreignKeysOff { try db.execute(sql: "PRAGMA foreign_keys = OFF") }
                defer { if foreignKeysOff { try? db.execute(sql: "PRAGMA foreign_keys = ON") } }
                return try inWriteTransaction(db, activity, access, body)
            }
        }
    }

    /// The same on the writer connection a caller already set up (bulk loads: Maintenance.bulkWrite).
    func inWriteTransaction<T>(_ db: Database, _ activity: WriteActivity, _ access: Access,
                               _ body: (Database, OperatorRole) throws -> T) throws -> T {
        ThreadState.current.inWrite = true
        defer { waits.writeEnded() }
        var result: T?
        var claimed: String?
        defer {
            if let claimed { waits.file.release(claimed) }
            WalCheckpoints.runPending(db)   // nobody is told to wait for it, and no writer does
        }
        try db.inTransaction(.immediate) {
            claimed = waits.file.claim(user: operatorName, activity: activity)
            let role = try access.check(db, self)
            result = try body(db, role)
            if activity.mayChangeMembers { try MemberVersion.bump(db) }
            return .commit
        }
        return result!
    }

    /// One read: one transaction (a consistent snapshot) with the operator's right checked inside it
    /// (by default `lookUp`: any operator may look; a user the store does not know is refused).
    func read<T>(_ access: Access = .require(.lookUp), _ body: (Database) throws -> T) throws -> T {
        try read(access, role: { db, _ in try body(db) })
    }

    /// The same, handing the body the role the check read.
    func read<T>(_ access: Access, role body: (Database, OperatorRole) throws -> T) throws -> T {
        reads.add()
        return try translate {
            try pool.read { db in try body(db, try access.check(db, self)) }
        }
    }

    /// Runs `body` with waiting off on this thread: a statement that finds the store busy fails at once.
    func withoutWaiting<T>(_ body: () throws -> T) rethrows -> T {
        let state = ThreadState.current
        state.noWait = true
        defer { state.noWait = false }
        return try body()
    }

    /// Maps SQLite's busy/locked errors to a message a person can act on, and logs a refusal made
    /// inside the transaction: the transaction rolled back, so the audit row goes in its own.
    func translate<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw StoreError.locked(path: path)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_READONLY {
            throw StoreError.permissionDenied(StoreMessages.readOnly(path, user: operatorName))
        } catch let refusal as Refusal {
            recordRefusal(refusal.action, target: refusal.target, message: refusal.message)
            throw refusal.error
        }
    }

    /// Logs a refusal decided before the store was asked (the console's owner-only keys for staff),
    /// in a transaction of its own, like the store's own refusals.
    public func logRefusal(_ what: String, message: String) {
        recordRefusal(what, target: "", message: message)
    }

    /// Writes "refused" to the audit log in a transaction of its own (who tried what). Best effort:
    /// a user who cannot write the store at all is refused by the OS before getting here.
    func recordRefusal(_ action: String, target: String, message: String) {
        _ = try? pool.write { db in
            try Audit.record(db, operator: operatorName, action: "refused", target: target.isEmpty ? action : "\(action) \(target)",
                             before: nil, after: nil, reason: message)
        }
    }
}

/// A refusal decided inside a transaction; `Store.translate` logs it after the rollback and throws
/// `error` (by default `StoreError.permissionDenied(message)`).
struct Refusal: Error {
    /// Who tried what, for the audit log ("delete tags", "open").
    let action: String
    let target: String
    let message: String
    var error: Error { thrown ?? StoreError.permissionDenied(message) }
    var thrown: Error? = nil
}

/// Who is operating: the operating-system login (the SSH user).
public enum OperatorIdentity {
    public static func current() -> String {
        // The real uid: a setgid ecrm runs with the store's group, never as anyone else, and the
        // environment ($USER) is the caller's to set, so it is never trusted.
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name {
            return String(cString: name)
        }
        return "uid\(getuid())"
    }
}

/// The shop's local wall-clock time, in the one text format the store keeps.
public enum Clock {
    public static func nowString() -> String {
        var t = time(nil)
        var tmv = tm()
        localtime_r(&t, &tmv)
        let day = Day(year: Int(tmv.tm_year) + 1900, month: Int(tmv.tm_mon) + 1, day: Int(tmv.tm_mday))!
        return LocalTime(day: day, secondOfDay: Int32(tmv.tm_hour * 3600 + tmv.tm_min * 60 + tmv.tm_sec)).description
    }

    public static func today() -> Day {
        var t = time(nil)
        var tmv = tm()
        localtime_r(&t, &tmv)
        return Day(year: Int(tmv.tm_year) + 1900, month: Int(tmv.tm_mon) + 1, day: Int(tmv.tm_mday))!
    }
}

/// A count a store keeps of some work it did (tests: a view opened reads once, not twice).
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
