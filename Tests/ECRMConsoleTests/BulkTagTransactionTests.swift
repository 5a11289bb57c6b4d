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
