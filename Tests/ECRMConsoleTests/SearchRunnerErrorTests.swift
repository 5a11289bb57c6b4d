import Foundation
import Testing
import GRDB
import TerminalKit
@testable import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// A search that fails reaches the status line in the interface language (Labels.describe), framed as
/// an error, never as SQLite's bare English text.
@Suite struct SearchRunnerErrorTests {
    @Test func aFailedSearchIsWordedInTheInterfaceLanguage() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecrm-search-err-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store(path: dir.appendingPathComponent("shop.db").path, create: true, operatorName: "alice")
        // The member table gone from under the search (as a damaged or half-restored file would be).
        try store.pool.write { try $0.execute(sql: "ALTER TABLE member RENAME TO member_gone") }
        let mailbox = Mailbox<ConsoleMessage>()
        SearchRunner(store: store, mailbox: mailbox, labels: .zh).submit(generation: 1, query: "张三")
        var error: String??
        let deadline = Date().addingTimeInterval(20)
        while error == nil, Date() < deadline {
            if case .searchResults(_, _, _, let e)? = mailbox.take() { error = e } else { usleep(10_000) }
        }
        let text = try #require(error ?? nil, "no failed search reported")
        #expect(text.hasPrefix("出错："), "\(text)")
    }
}
