import Foundation
import Testing
import GRDB
import ECRMDomain
@testable import ECRMStore

/// The store's -wal file kept between sessions (KeptWAL): a big write leaves it started over and
/// ready for the next one, the store stays whole across sessions, a bulk load through a rollback
/// journal leaves no frames behind, and the kept files keep the store's group and mode.
@Suite struct KeptWALTests {
    let dir = NSTemporaryDirectory() + "ecrm-keptwal-" + UUID().uuidString
    var path: String { dir + "/shop.sqlite" }

    init() throws { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }

    /// `count` orders with ids from `from`, each for a buyer of its own (members made by the import):
    /// some thousands of pages, well over the 1,000-frame checkpoint threshold.
    func orders(_ name: String, from: Int, count: Int) throws -> String {
        var csv = "order_id,buyer_id,paid_at,amount\n"
        for i in from..<(from + count) {
            csv += "\(i),k\(i % 40_000),2026-\(String(format: "%02d", 1 + i % 12))-\(String(format: "%02d", 1 + i % 28)) 10:00:00,\(i % 500).50\n"
        }
        let p = dir + "/" + name
        try Data(csv.utf8).write(to: URL(fileURLWithPath: p))
        return p
    }

    func importer(_ store: Store, bulk: Bool) -> Importer {
        var importer = Importer(store: store)
        importer.bulkThreshold = bulk ? 0 : .max
        importer.today = Day(year: 2026, month: 12, day: 31)!
        return importer
    }

    func size(_ p: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: p))?[.size] as? Int) ?? -1 }

    func check(_ store: Store, orders: Int) throws {
        let (n, ok, stats) = try store.pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM orders"), try String.fetchOne(db, sql: "PRAGMA integrity_check"),
             try Int.fetchOne(db, sql: "SELECT sum(paid_count) FROM member_stats"))
        }
        #expect(n == orders)
        #expect(ok == "ok")
        #expect(stats == orders)
    }

    @Test func aBigWriteKeepsTheWALStartedOverAndTheNextOneWritesOverIt() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try orders("a.csv", from: 1, count: 30_000), second = try orders("b.csv", from: 100_001, count: 30_000)
        do {
            let store = try Store(path: path, create: true, operatorName: "owner1")
            #expect(try importer(store, bulk: false).run(.orders, path: first).added == 30_000)
            // The import's checkpoint copied every frame, and the WAL started over: on disk it
            // vouches for one frame (page 1, already in the store), not for the import's thousands.
            let wal = WALFrames(path + "-wal")
            #expect(wal.frames > 1_000, "the import wrote \(wal.frames) frames")
            #expect(wal.valid == 1)
        }
        // Closed: the side files stay (with the one frame, copied at close), the store holds everything.
        #expect(FileManager.default.fileExists(atPath: path + "-wal") && FileManager.default.fileExists(atPath: path + "-shm"))
        #expect(WALFrames(path + "-wal").valid <= 1)
        let kept = size(path + "-wal")
        do {
            let store = try Store(path: path, operatorName: "owner1")
            try check(store, orders: 30_000)
            #expect(try importer(store, bulk: false).run(.orders, path: second).added == 30_000)
            try check(store, orders: 60_000)
        }
        // The second import wrote over the first one's frames, not after them.
        #expect(size(path + "-wal") < kept * 3 / 2, "kept \(kept) bytes, now \(size(path + "-wal"))")
        let store = try Store(path: path, operatorName: "owner1")
        try check(store, orders: 60_000)
    }

    @Test func aBulkLoadThroughARollbackJournalLeavesNoKeptFramesToReadBack() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try orders("a.csv", from: 1, count: 30_000), second = try orders("b.csv", from: 100_001, count: 30_000)
        do {
            let store = try Store(path: path, create: true, operatorName: "owner1")
            #expect(try importer(store, bulk: false).run(.orders, path: first).added == 30_000)
        }
        #expect(size(path + "-wal") > 0)
        do {
            // Bulk mode switches the store to a rollback journal while nobody else has it open: the
            // switch deletes the WAL (kept, SQLite would open the store in WAL mode again at the next
            // transaction, and a session opening it after this one died between its commit and the
            // switch back would read the WAL's frames back over the load's pages).
            let store = try Store(path: path, operatorName: "owner1")
            let seen = Seen()
            let r = try importer(store, bulk: true).run(.orders, path: second) { _, _, _ in
                seen.wal = FileManager.default.fileExists(atPath: path + "-wal")
                seen.journal = FileManager.default.fileExists(atPath: path + "-journal")
            }
            #expect(r.added == 30_000)
            #expect(seen.journal == true, "the load went through a rollback journal")
            #expect(seen.wal == false, "no WAL beside the store while it is written without one")
            try check(store, orders: 60_000)
        }
        for _ in 0..<2 {
            let store = try Store(path: path, operatorName: "owner1")
            try check(store, orders: 60_000)
            _ = try TagService(store: store).create("after-bulk-\(UUID().uuidString.prefix(4))")
        }
    }

    @Test func aLogLargerThanTheLimitIsCutBackInsteadOfKept() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = try orders("a.csv", from: 1, count: 30_000)
        let store = try Store(path: path, create: true, operatorName: "owner1")
        _ = try importer(store, bulk: false).run(.orders, path: file)
        #expect(size(path + "-wal") > 1 << 20)
        // Within the limit, a restart keeps the file; past it, the log is emptied.
        try store.pool.writeWithoutTransaction { KeptWAL.restart($0) }
        #expect(size(path + "-wal") > 1 << 20)
        try store.pool.writeWithoutTransaction { KeptWAL.restart($0, largest: 1 << 20) }
        #expect(size(path + "-wal") == 0)
        try check(store, orders: 30_000)
    }

    @Test func theKeptSideFilesKeepTheStoresGroupAndMode() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = try orders("a.csv", from: 1, count: 30_000)
        do {
            let store = try Store(path: path, create: true, operatorName: "owner1")
            _ = try importer(store, bulk: false).run(.orders, path: file)
        }
        var db = stat()
        #expect(stat(path, &db) == 0)
        #expect(db.st_mode & 0o777 == 0o660)
        for suffix in ["-wal", "-shm"] {
            var st = stat()
            #expect(stat(path + suffix, &st) == 0, "\(suffix) kept")
            #expect(st.st_mode & 0o777 == db.st_mode & 0o777 && st.st_gid == db.st_gid, "\(suffix)")
        }
    }
}

final class Seen: @unchecked Sendable {
    var wal: Bool?
    var journal: Bool?
}

/// A WAL file's frames as SQLite's recovery sees them: `frames` written in the file, `valid` those
/// whose salt matches the header's (the ones a session opening the store would read back).
struct WALFrames {
    var frames = 0
    var valid = 0

    init(_ path: String) {
        guard let data = FileManager.default.contents(atPath: path), data.count >= 32 else { return }
        let bytes = [UInt8](data)
        func be32(_ at: Int) -> Int { Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]) }
        let pageSize = be32(8)
        guard pageSize >= 512 else { return }
        var at = 32, counting = true
        while at + 24 + pageSize <= bytes.count {
            frames += 1
            if counting && bytes[(at + 8)..<(at + 16)] == bytes[16..<24] { valid += 1 } else { counting = false }
            at += 24 + pageSize
        }
    }
}
