import Foundation
import GRDB
import ECRMDomain
import CStoreTuning
import UserRights

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
        let exists = try StoreFiles.check(path, user: operatorName)
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
            var config = Configuration()
            config.busyMode = .timeout(busyTimeout)
            config.foreignKeysEnabled = true
            config.prepareDatabase { db in
                // NORMAL is durable against a killed process in WAL mode; only power loss may drop the last commit.
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            pool = try DatabasePool(path: path, configuration: config)
            // A new store is group-writable (the folder decides who gets in: 0700 by default), so
            // a group of operators can share it; SQLite alone would make it 0640.
            if !exists { chmod(path, 0o660) }
            StoreFiles.matchSideFiles(path)
            try Schema.migrator.migrate(pool)
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
        if !exists {
            try pool.write { db in
                try db.execute(sql: "INSERT OR IGNORE INTO operator(user, role, added_at, added_by) VALUES (?, 'owner', ?, ?)",
                               arguments: [operatorName, Clock.nowString(), operatorName])
            }
        }
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
            throw StoreError.permissionDenied(refusal.message)
        } catch TierServiceError.notPermitted(let r) {
            recordRefusal(r.action.rawValue, target: "", message: r.message(.en))
            throw TierServiceError.notPermitted(r)
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

/// A refusal decided inside a write transaction; `Store.translate` logs it after the rollback and
/// turns it into `StoreError.permissionDenied`.
struct Refusal: Error {
    let action: String
    let target: String
    let message: String
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
