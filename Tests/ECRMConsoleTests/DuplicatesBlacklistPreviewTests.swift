import Foundation
import Testing
import TerminalKit
@testable import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// Issue 19, bad input: merging a blacklisted member is allowed and the survivor is blacklisted; the
/// console's merge preview says so before the y/n (PRODUCT.md: One member across channels). Kills
/// the mutation `merge-console-preview-says-blacklisted` (Tests/Mutations/run.sh).
@Suite struct DuplicatesBlacklistPreviewTests {
    @Test(arguments: [MessageLanguage.en, .zh])
    func thePreviewSaysTheMergedMemberIsBlacklisted(language: MessageLanguage) throws {
        let pane = DuplicatesPaneTests()
        let store = try pane.shop()
        _ = try MemberTierAdmin.setBlacklist(store, member: "fang2", on: true, reason: "恶意差评")
        let h = Harness(store: store, language: language)
        _ = try pane.openPairs(h)
        h.keys("Enter", "m")
        #expect(h.app.topView is ConfirmView)
        let preview = h.screen(160, 30).text()
        #expect(preview.contains(language == .en ? "fang2 is blacklisted" : "fang2 在黑名单中"), "\(preview)")
        h.keys("y")
        let status = try store.pool.read { try String.fetchOne($0, sql: "SELECT status FROM member WHERE buyer_id = 'fang'") }
        #expect(status == "blacklist")
    }

    @Test func noSuchLineWhenNeitherIsBlacklisted() throws {
        let pane = DuplicatesPaneTests()
        let h = Harness(store: try pane.shop(), language: .en)
        _ = try pane.openPairs(h)
        h.keys("Enter", "m")
        #expect(h.app.topView is ConfirmView)
        #expect(!h.screen(160, 30).text().contains("blacklisted"))
    }
}
