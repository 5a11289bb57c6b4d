import Foundation
import GRDB
import Testing
import TerminalKit
@testable import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// Issue 17, 1: a result list pages through every match and says the true count.
@Suite struct SearchPagingTests {
    /// A character that more than one page (200) of the demo shop's members have in nick or name.
    static func commonQuery(_ store: Store) throws -> (String, Int) {
        // The character most nicks and names contain.
        let texts = try store.pool.read { db in try String.fetchAll(db, sql: "SELECT nick || coalesce(name, '') FROM member") }
        var counts: [Character: Int] = [:]
        for t in texts { for c in Set(t) where displayWidth(c) == 2 { counts[c, default: 0] += 1 } }
        let q = String(counts.max { $0.value < $1.value }!.key)
        let n = try store.pool.read { db in try MemberSearch.search(db, q, limit: 100_000).count }
        try #require(n > 200, "\(q) matches \(n)")
        return (q, n)
    }

    @Test func aResultListPagesThroughEveryMatchAndSaysTheTrueCount() throws {
        let store = try makeDemoStore(members: 3000)
        let (q, total) = try Self.commonQuery(store)
        let h = Harness(store: store)
        h.app.handle(.paste(q))
        #expect(h.pump { (h.app.topView as? MemberListView)?.count == total })
        let list = try #require(h.app.topView as? MemberListView)
        let shown = SegmentsView.count(total)
        #expect(h.screen().line(22).hasSuffix("1/\(shown) "))
        h.keys("Enter", "G")   // leave the prompt, then to the last match
        #expect(h.screen().line(22).hasSuffix("\(shown)/\(shown) "))
        #expect(list.selectedMember != nil)
        // Export and bulk tag act on every match, not on the rows loaded first.
        guard let ids = list.memberSet(app: h.app).memberIds else { Issue.record("not an id set"); return }
        #expect(ids.count == total)
    }

    @Test func bulkTagOnAFullFirstPageCountsEveryMatch() throws {
        let store = try makeDemoStore(members: 3000)
        let (q, total) = try Self.commonQuery(store)
        let h = Harness(store: store)
        // Only the first page has arrived: the list says there are more, and acts on all of them.
        let first = try store.pool.read { db in try MemberSearch.search(db, q, limit: SearchRunner.limit) }
        h.app.search.generation = 1
        h.app.handle(.searchResults(generation: 1, query: q, results: first, error: nil))
        let list = try #require(h.app.topView as? MemberListView)
        #expect(list.position == "1/200+")
        guard let ids = list.memberSet(app: h.app).memberIds else { Issue.record("not an id set"); return }
        #expect(ids.count == total)
    }
}
