import Foundation
import CSVStream
import GRDB
import ECRMDomain
@testable import ECRMStore

/// A fresh store in its own temporary folder, removed by the caller via `cleanup()`.
struct TempStore {
    let dir: String
    let store: Store
    var path: String { store.path }

    init(operatorName: String = "owner1") throws {
        dir = NSTemporaryDirectory() + "ecrm-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        store = try Store(path: dir + "/shop.sqlite", create: true, operatorName: operatorName)
    }

    func file(_ name: String, _ text: String) throws -> String {
        let p = dir + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: p))
        return p
    }

    /// Writes rows as a real GB18030 (GBK) file through iconv.
    func gbkFile(_ name: String, _ rows: [[String]]) throws -> String {
        let p = dir + "/" + name
        let w = try CSVWriter(path: p, encoding: .gb18030, lineEnding: .crlf)
        for r in rows { try w.writeRow(r) }
        try w.close()
        return p
    }

    /// An importer on this store that loads in bulk mode (dropped indexes, pipeline, one-pass
    /// merges) whatever the file size, or row by row whatever the size.
    func importer(bulk: Bool) -> Importer {
        var importer = Importer(store: store)
        importer.bulkThreshold = bulk ? 0 : .max
        // A fixed import date: the fixtures' orders run up to the end of 2026 (a paid time more
        // than a day after the import's date is a rejected row).
        importer.today = Day(year: 2026, month: 12, day: 31)!
        return importer
    }

    func cleanup() { try? FileManager.default.removeItem(atPath: dir) }
}

/// A store file migrated only up to `migration`, as an older ecrm left it, to test what the later
/// migrations do to its data; removed by the caller via `cleanup()`.
struct OldStore {
    let dir: String
    let queue: DatabaseQueue

    init(upTo migration: String) throws {
        dir = NSTemporaryDirectory() + "ecrm-old-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        queue = try DatabaseQueue(path: dir + "/old.sqlite")
        try Schema.migrator.migrate(queue, upTo: migration)
    }

    func cleanup() { try? FileManager.default.removeItem(atPath: dir) }
}
