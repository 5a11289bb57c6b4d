import Foundation
import GRDB
import ECRMDomain
import CStoreTuning

/// The member store: one SQLite file in WAL mode, shared by every console and command on the machine.
/// Writers wait up to `busyTimeout` for each other; readers never block.
public final class Store: Sendable {
    public let path: String
    public let pool: DatabasePool
    /// The operating-system user this process acts for (PRODUCT.md: Operators).
    public let operatorName: String

    public static let busyTimeout: TimeInterval = 5

    /// Process-wide malloc and SQLite settings, applied once before the first connection (CStoreTuning).
    private static let tuned: Int32 = ecrm_store_tuning()

    /// Opens (or with `create`, creates) the store at `path` and brings its schema up to date.
    /// A new store records `operatorName` as its owner.
    public init(path: String, create: Bool = false, operatorName: String = OperatorIdentity.current(),
                busyTimeout: TimeInterval = Store.busyTimeout) throws {
        _ = Store.tuned
        self.path = path
        self.operatorName = operatorName
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists && !create {
            throw StoreError.notFound("no store at \(path): create one with `ecrm demo` or `ecrm import members FILE`, or pass --db PATH")
        }
        // Member data is personal data: files we create are readable by the user and group only.
        umask(0o007)
        do {
            try StorePaths.prepareParent(of: path)
            // SQLite would create the file 0644 (0640 after the umask), and its -wal/-shm files copy that
            // mode: other operators (OS users in the store's group) could not write, or even open it.
            if !exists { close(open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o660)) }
            var config = Configuration()
            config.busyMode = .timeout(busyTimeout)
            config.foreignKeysEnabled = true
            config.prepareDatabase { db in
                // NORMAL is durable against a killed process in WAL mode; only power loss may drop the last commit.
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            pool = try DatabasePool(path: path, configuration: config)
            try Schema.migrator.migrate(pool)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw StoreError.locked(path: path)
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error)")
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "\(error)")
        }
        if !exists {
            try pool.write { db in
                try db.execute(sql: "INSERT OR IGNORE INTO operator(user, role, added_at, added_by) VALUES (?, 'owner', ?, ?)",
                               arguments: [operatorName, Clock.nowString(), operatorName])
            }
        }
    }

    /// Maps SQLite's busy/locked errors to a message a person can act on.
    func translate<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw StoreError.locked(path: path)
        }
    }
}

/// Who is operating: the operating-system login (the SSH user).
public enum OperatorIdentity {
    public static func current() -> String {
        if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name {
            return String(cString: name)
        }
        return ProcessInfo.processInfo.environment["USER"] ?? "uid\(geteuid())"
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
