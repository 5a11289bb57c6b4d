import Foundation
import Testing
import TerminalKit
import ECRMDomain
@testable import ECRMStore
@testable import ECRMConsole

/// One user action, one transaction: the console's bulk tag with a tag that does not exist yet
/// creates the tag and tags the members together, so a failure (or a kill) part-way leaves neither.
@Suite(.serialized) struct BulkTagTransactionTests {
    @Test func bulkTagWithANewTagLeavesNothingWhenItFailsBeforeCommit() throws {
        let store = try GoldenFixture.make()
        let h = Harness(store: store)
        struct Killed: Error {}
        BulkTagger.beforeCommit = { _ in throw Killed() }
        defer { BulkTagger.beforeCommit = nil }
        h.keys("B")
        h.type("新标签一次")
        h.keys("Enter")
        #expect(h.app.topView is ConfirmView)
        h.keys("y")
        // The failure reaches the operator as a toast; afterwards the tag must not exist.
        #expect(h.pump { h.app.toast?.kind == .error })
        let names = try TagService(store: store).list().map(\.name)
        #expect(!names.contains("新标签一次"), "the tag was created without its members: \(names)")
    }
}

/// A console write that finds another session writing waits, and its status line says for whom.
@Suite(.serialized) struct WriteWaitConsoleTests {
    @Test func statusLineNamesTheImportABulkTagWaitsFor() throws {
        let store = try GoldenFixture.make()
        let h = Harness(store: store)
        let mailbox = h.app.mailbox
        store.onWriteWait { mailbox.post(.writeWait($0)) }
        // Another session ("bob", an operator) importing: it holds the write lock until released.
        try store.addOperator("bob", role: "staff")
        let bob = try Store(path: store.path, operatorName: "bob")
        let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? bob.write(.importing, .require(.importData)) { _ in holding.signal(); release.wait() }
            done.signal()
        }
        holding.wait()
        h.keys("B")
        h.type("等一等")
        h.keys("Enter", "y")
        let waiting = h.pump(timeout: 10) { h.screen().text().contains("正在等待 bob 的导入完成…") }
        release.signal()
        done.wait()
        #expect(waiting, "status line: \(h.screen().text())")
        // Once bob is done the bulk tag goes in and the status line no longer waits.
        // (Generous: on a loaded 2-core CI machine the bulk tag itself can take seconds.)
        #expect(h.pump(timeout: 60) { h.app.toast?.kind == .success }, "toast: \(String(describing: h.app.toast))")
        #expect(!h.screen().text().contains("正在等待"))
        #expect(try TagService(store: store).list().contains { $0.name == "等一等" && $0.members > 0 })
    }
}
