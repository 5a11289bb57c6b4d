import Foundation
import GRDB
import GRDBSQLite
import ECRMDomain

/// What a write is doing, shown to whoever waits for it ("waiting for alice's import…").
public enum WriteActivity: String, Sendable, CaseIterable, Codable {
    case importing = "import", publish, bulkTag = "bulk-tag", tags, note, member, tiers, rfm, operators, demo, export, index, campaign
}

/// Who holds the store's write lock, as far as the holder's side-file tells; `user` nil when the
/// holder left no (live) trace: an older ecrm, or one killed while writing.
public struct WriteHolder: Sendable, Equatable {
    public var user: String?
    public var activity: WriteActivity?
    public init(user: String?, activity: WriteActivity?) { self.user = user; self.activity = activity }

    /// "waiting for alice's import…" in the operator's language.
    public func message(_ language: MessageLanguage) -> String {
        let zh = language == .zh
        let what = activity.map { Self.word($0, zh) } ?? (zh ? "写入" : "write")
        guard let user else { return zh ? "正在等待另一个 ecrm 的\(what)完成…" : "waiting for another ecrm's \(what)…" }
        return zh ? "正在等待 \(user) 的\(what)完成…" : "waiting for \(user)'s \(what)…"
    }

    static func word(_ a: WriteActivity, _ zh: Bool) -> String {
        switch a {
        case .importing: return zh ? "导入" : "import"
        case .publish: return zh ? "等级发布" : "tier publish"
        case .bulkTag: return zh ? "批量打标签" : "bulk tag"
        case .tags: return zh ? "标签修改" : "tag change"
        case .note: return zh ? "备注" : "note"
        case .member: return zh ? "会员修改" : "member change"
        case .tiers: return zh ? "等级修改" : "tier change"
        case .rfm: return zh ? "RFM 重算" : "RFM recompute"
        case .operators: return zh ? "操作员修改" : "operator change"
        case .demo: return zh ? "演示店铺生成" : "demo shop"
        case .export: return zh ? "导出" : "export"
        case .index: return zh ? "索引建立" : "index build"
        case .campaign: return zh ? "营销活动" : "campaign"
        }
    }
}

/// `<store>-writer`: a line the write-lock holder writes once it has the lock (pid, user, what) and
/// empties when it lets go, so a waiter can say whom it waits for. SQLite's lock stays the only
/// lock: this file is a label on it. A holder killed mid-write leaves its line behind; its pid is
/// then dead and the line is ignored. Created group-writable (the store's umask), so operators who
/// share a store directory through their group overwrite each other's lines.
struct WriterFile: Sendable {
    let path: String

    init(storePath: String) { path = storePath + "-writer" }

    /// Writes this process's line; returns it (to compare at release), nil when the file cannot be written.
    func claim(user: String, activity: WriteActivity) -> String? {
        let line = "\(getpid())\t\(user)\t\(activity.rawValue)\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o660)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let bytes = Array(line.utf8)
        guard ftruncate(fd, 0) == 0, pwrite(fd, bytes, bytes.count, 0) == bytes.count else { return nil }
        return line
    }

    /// Empties the file if it still holds our line (a next holder may already have written its own).
    func release(_ line: String) {
        guard read() == line else { return }
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = ftruncate(fd, 0)
        close(fd)
    }

    func read() -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buf = [UInt8](repeating: 0, count: 512)
        let n = pread(fd, &buf, buf.count, 0)
        guard n > 0 else { return nil }
        return String(decoding: buf[0..<n], as: UTF8.self)
    }

    /// The live holder's line, or nil (empty, unreadable, or its process is gone).
    func holder() -> WriteHolder? {
        guard let text = read() else { return nil }
        let parts = text.trimmingCharacters(in: .newlines).split(separator: "\t", omittingEmptySubsequences: false)
        guard parts.count == 3, let pid = Int32(parts[0]), pid > 0 else { return nil }
        // EPERM: alive under another OS user (operators sharing the store); ESRCH: gone.
        if kill(pid, 0) != 0 && errno == ESRCH { return nil }
        return WriteHolder(user: String(parts[1]), activity: WriteActivity(rawValue: String(parts[2])))
    }
}

/// SQLite's busy handler for every connection of a store: when another process holds the write
/// lock, sleep and retry (SQLite's own back-off) for up to `limit` instead of failing; a write that
/// has waited a moment tells the store's observer whom it waits for, once.
final class WriteWaits: @unchecked Sendable {
    let file: WriterFile
    let limit: TimeInterval
    private let lock = NSLock()
    private var observer: (@Sendable (WriteHolder?) -> Void)?
    /// Waits shorter than this are not announced (a brief collision is not worth a message).
    static let announceAfter: TimeInterval = 0.2

    init(file: WriterFile, limit: TimeInterval) { self.file = file; self.limit = limit }

    func setObserver(_ o: (@Sendable (WriteHolder?) -> Void)?) { lock.lock(); observer = o; lock.unlock() }
    private var current: (@Sendable (WriteHolder?) -> Void)? { lock.lock(); defer { lock.unlock() }; return observer }

    /// SQLite's back-off (sqliteDefaultBusyCallback), in milliseconds: short sleeps first, so a
    /// brief collision costs little, then 25 ms polls (SQLite's own go on to 100 ms, which left a
    /// write behind a long import waiting 50 ms on average after the import let go; a failed try
    /// costs a few system calls).
    private static let delays: [UInt32] = [1, 2, 5, 10, 15, 20, 25]

    /// The busy callback: true to retry after a sleep, false to give up (SQLITE_BUSY).
    func busy(_ tries: Int) -> Bool {
        let state = ThreadState.current
        if state.noWait { return false }
        let now = Date()
        if tries == 0 { state.waitStart = now }
        // Wall time, not the sum of sleeps: on a loaded machine a sleep overruns.
        let waited = now.timeIntervalSince(state.waitStart)
        if waited >= limit { return false }
        if state.inWrite && !state.announced && waited >= Self.announceAfter {
            state.announced = true
            current?(file.holder() ?? WriteHolder(user: nil, activity: nil))
        }
        usleep((tries < Self.delays.count ? Self.delays[tries] : Self.delays.last!) * 1000)
        return true
    }

    /// After a write: tells the observer the wait is over, if it was told one began.
    func writeEnded() {
        let state = ThreadState.current
        state.inWrite = false
        if state.announced {
            state.announced = false
            current?(nil)
        }
    }
}

/// Per-thread flags the busy handler reads (GRDB runs each write on its writer queue's thread).
final class ThreadState {
    var inWrite = false
    var announced = false
    var noWait = false
    /// A commit of this thread's write left the WAL past WalCheckpoints.pages (WalCheckpoints).
    var checkpointPending = false
    var waitStart = Date()
    private static let key = "ecrm.store.thread-state"
    static var current: ThreadState {
        let d = Thread.current.threadDictionary
        if let s = d[key] as? ThreadState { return s }
        let s = ThreadState()
        d[key] = s
        return s
    }
}

/// The writer connection's WAL checkpoints. SQLite's automatic one runs inside the COMMIT, after
/// the commit has released the write lock (sqlite3_wal_hook), so other writers never waited for it;
/// but it ran before ecrm let go of its `-writer` line, so a waiting operator was still told
/// "waiting for …'s import" while it copied the commit's pages into the database file (about a
/// third of a daily import's commit). This hook replaces it on the writer connection: a commit
/// inside a store write only notes that the WAL passed the same 1,000 pages, and the store write
/// runs the same PASSIVE checkpoint after it released its line (Store.inWriteTransaction). A
/// commit outside one (GRDB's own writes) checkpoints at once, as SQLite would. Durability is
/// unchanged: synchronous=NORMAL, and the checkpoint syncs the WAL before copying, as before.
enum WalCheckpoints {
    /// SQLite's default (wal_autocheckpoint).
    static let pages: Int32 = 1000

    static func install(_ db: Database) {
        sqlite3_wal_hook(db.sqliteConnection, { _, connection, _, frames in
            guard frames >= WalCheckpoints.pages, let connection else { return SQLITE_OK }
            let state = ThreadState.current
            if state.inWrite {
                state.checkpointPending = true
            } else {
                _ = sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            }
            return SQLITE_OK
        }, nil)
    }

    /// After a store write let go of its line: the checkpoint its commit asked for, if any.
    /// Best effort, like SQLite's own (a reader may keep part of the WAL; the next one goes on).
    static func runPending(_ db: Database) {
        let state = ThreadState.current
        guard state.checkpointPending else { return }
        state.checkpointPending = false
        let start = DispatchTime.now().uptimeNanoseconds
        var frames: Int32 = -1, copied: Int32 = -2
        let rc = Maintenance.whileWritingBack(Maintenance.storeFile(db)) {
            sqlite3_wal_checkpoint_v2(db.sqliteConnection, nil, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied)
        }
        // Every frame is in the store now: the kept WAL starts over (KeptWAL).
        if rc == SQLITE_OK && frames == copied { KeptWAL.restart(db) }
        TimingLog.checkpoint.write(String(format: "checkpoint after the write: %.1f ms",
                                          Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6))
    }
}
