import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// The keyset pager must list exactly what one big ORDER BY would, whatever the access pattern
/// (sequential scrolling, jumps to the end, random jumps that fall back to OFFSET).
@Suite struct PagerTests {
    /// The lists the test pages through.
    enum Scope: Equatable { case all, segment(Segment), tag(id: Int64), tier(Int) }

    static func expected(_ store: Store, _ sort: MemberSort, _ scope: Scope) throws -> [Int64] {
        try store.pool.read { db in
            let order: String
            switch sort {
            case .recency: order = "s.last_paid_at IS NULL, s.last_paid_at DESC, m.id DESC"
            case .spend: order = "s.member_id IS NULL, s.paid_sum DESC, m.id DESC"
            case .nick: order = "m.nick, m.id"
            }
            var filter = "1"
            var args: StatementArguments = []
            switch scope {
            case .all: break
            case .segment(let seg): filter = "m.id IN (SELECT member_id FROM member_rfm WHERE segment = ?)"; args = [Int(seg.code)]
            case .tag(let id): filter = "m.id IN (SELECT member_id FROM member_tag WHERE tag_id = ?)"; args = [id]
            case .tier(let t): filter = "m.tier = ?"; args = [t]
            }
            if case .segment(let seg) = scope, sort == .recency {
                // Segment lists follow the computation they come from: its last paid day, then id.
                return try Int64.fetchAll(db, sql: "SELECT member_id FROM member_rfm WHERE segment = ? ORDER BY last_paid DESC, member_id DESC", arguments: [Int(seg.code)])
            }
            if scope != .all {
                // Scoped lists order by the same keys with NULLs as '' / 0.
                let scoped: String
                switch sort {
                case .recency: scoped = "coalesce(s.last_paid_at, '') DESC, m.id DESC"
                case .spend: scoped = "coalesce(s.paid_sum, 0) DESC, m.id DESC"
                case .nick: scoped = "m.nick, m.id"
                }
                return try Int64.fetchAll(db, sql: "SELECT m.id FROM member m LEFT JOIN member_stats s ON s.member_id = m.id WHERE \(filter) ORDER BY \(scoped)", arguments: args)
            }
            return try Int64.fetchAll(db, sql: "SELECT m.id FROM member m LEFT JOIN member_stats s ON s.member_id = m.id WHERE \(filter) ORDER BY \(order)", arguments: args)
        }
    }

    @Test(arguments: MemberSort.allCases)
    func keysetPagesMatchOneBigOrderBy(sort: MemberSort) throws {
        let store = try makeDemoStore()
        let tagId = try #require(try store.pool.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM tag ORDER BY id LIMIT 1") })
        let tagName = try #require(try store.pool.read { db in try String.fetchOne(db, sql: "SELECT name FROM tag WHERE id = ?", arguments: [tagId]) })
        for scope in [Scope.all, .segment(.importantValue), .tag(id: tagId), .tier(1)] {
            let set: MemberSet
            switch scope {
            case .all: set = .all
            case .segment(let s): set = .segment(s)
            case .tag: set = .tags([tagName], .any)
            case .tier(let t): set = .tier(t)
            }
            let want = try Self.expected(store, sort, scope)
            // Sequential, as scrolling does (keyset from the previous page).
            let seq = try MemberPager(store: store, sort: sort, set: set, pageSize: 7)
            #expect(seq.count == want.count)
            #expect((0..<seq.count).compactMap { seq.row(at: $0)?.id } == want, "\(sort) \(scope) sequential")
            // Backwards from the end (keyset before the next page), then random jumps (OFFSET).
            let back = try MemberPager(store: store, sort: sort, set: set, pageSize: 7)
            #expect(stride(from: back.count - 1, through: 0, by: -1).compactMap { back.row(at: $0)?.id } == Array(want.reversed()), "\(sort) \(scope) backwards")
            let jumps = try MemberPager(store: store, sort: sort, set: set, pageSize: 7)
            var rng = SystemRandomNumberGenerator()
            for _ in 0..<40 where !want.isEmpty {
                let i = Int.random(in: 0..<want.count, using: &rng)
                #expect(jumps.row(at: i)?.id == want[i], "\(sort) \(scope) jump to \(i)")
            }
        }
    }

    @Test func countIsCachedNotRecomputedPerRead() throws {
        let store = try makeDemoStore()
        let pager = try MemberPager(store: store, pageSize: 10)
        let n = pager.count
        _ = pager.rows(in: 0..<20)
        let fetches = pager.fetches
        _ = pager.rows(in: 5..<15)          // cached pages: no query at all
        #expect(pager.fetches == fetches)
        #expect(pager.count == n)
        #expect(n == 300)
    }
}
