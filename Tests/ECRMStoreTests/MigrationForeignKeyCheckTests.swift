import Foundation
import Synchronization
import Testing
import GRDB
@testable import ECRMStore

/// A migration that only adds tables does not check every foreign key of the store afterwards
/// (GRDB's default for a migration, `PRAGMA foreign_key_check` over all of it: at 1M members /
/// 5M orders about 8 s of reading, at the first open after an upgrade). v22 creates tables only.
@Suite struct MigrationForeignKeyCheckTests {
    @Test func theSearchExtraMigrationChecksNoForeignKeys() throws {
        let dir = NSTemporaryDirectory() + "ecrm-fk-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let queue = try DatabaseQueue(path: dir + "/s.sqlite")
        try Schema.migrator.migrate(queue, upTo: "v21-rfm-derived-r")
        let statements = Mutex<[String]>([])
        try queue.write { db in db.trace { e in statements.withLock { $0.append("\(e)") } } }
        try Schema.migrator.migrate(queue)
        let seen = statements.withLock { $0 }
        #expect(seen.contains { $0.contains("search_extra") }, "\(seen)")
        #expect(!seen.contains { $0.lowercased().contains("foreign_key_check") }, "\(seen)")
    }
}
