import Foundation
import Testing
import GRDB
@testable import ECRMConsole
@testable import ECRMStore
import ECRMDomain

/// Issue 16 in the console: `u` right after `D`, `y` brings the tag back with its members; a key
/// refused to staff is in the audit log.
@Suite struct TagRestoreConsoleTests {
    @Test func uRightAfterADeleteRestoresTheTagWithItsMembers() throws {
        let h = Harness(store: try GoldenFixture.make())
        h.keys("3")
        let tags = try #require(h.app.topView as? TagsView)
        let first = try #require(tags.tags.first { $0.members > 0 })
        for _ in 0..<tags.tags.firstIndex(of: first)! { h.keys("j") }
        h.keys("D")
        #expect(h.screen().text().contains(SegmentsView.count(first.members)))
        h.keys("y")
        #expect(!tags.tags.contains { $0.name == first.name })
        h.keys("u")
        #expect(tags.tags.first { $0.name == first.name }?.members == first.members)
        let restored = try h.store.pool.read { try Audit.recent($0, limit: 1).first }
        #expect(restored?.action == "tag.restore" && restored?.target == first.name)
    }

    @Test func aKeyRefusedToStaffIsAudited() throws {
        let h = Harness(store: try GoldenFixture.make(), role: .staff)
        h.keys("3", "D")
        let last = try h.store.pool.read { try Audit.recent($0, limit: 1).first }
        #expect(last?.action == "refused")
    }
}
