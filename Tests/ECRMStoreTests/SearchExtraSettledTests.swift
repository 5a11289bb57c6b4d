import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// A settled extra set (PostingReader.extraSettled: no small refresh wrote since it was built) is
/// read without search_extra_member: an ordinal of search_extra_rank whose member exists is current.
/// Once a refresh writes the delta the set is not settled, and a member that left it is never
/// found at its old place, even under its old id.
@Suite struct SearchExtraSettledTests {
    static func settled(_ db: Database) throws -> Bool { try #require(try PostingReader.open(db)).extraSettled }

    @Test func anIdTakenAgainIsListedWhereItsRefreshPutIt() throws {
        var rnd = SplitMix64(seed: 23)
        let t = try SearchMergeTests.shop(&rnd, members: 120); defer { t.cleanup() }
        try t.store.pool.write { (db: Database) throws in
            #expect(try Self.settled(db) == false)   // no extra set
            let maxId = try #require(try Int64.fetchOne(db, sql: "SELECT max(id) FROM member"))
            for i in 1...20 {
                try db.execute(sql: "INSERT INTO member(id, buyer_id, nick) VALUES (?, ?, ?)", arguments: [maxId + Int64(i), "x\(i)", "外来客\(i)号"])
                try db.execute(sql: "INSERT INTO member_stats(member_id, last_paid_at, paid_count) VALUES (?, '2025-03-02 10:00:00', 1)", arguments: [maxId + Int64(i)])
            }
            #expect(try SearchIndex.refresh(db, members: Set((1...20).map { maxId + Int64($0) }), limits: SearchExtraTests.large) == .extra)
            #expect(try Self.settled(db))
            try SearchExtraTests.expectLikeARebuild(db, ordered: true, "extra set")
            let last = maxId + 20   // the most recent of them: first in the set
            let before = try MemberSearch.search(db, "外来客", limit: 50).map(\.id)
            #expect(before.first == last)

            // Merged away: deleted, and its refresh writes no delta (the set stays settled).
            try db.execute(sql: "DELETE FROM member_stats WHERE member_id = ?; DELETE FROM member WHERE id = ?", arguments: [last, last])
            #expect(try SearchIndex.refresh(db, members: [last], limits: SearchExtraTests.small) == .members)
            #expect(try Self.settled(db))
            #expect(try MemberSearch.search(db, "外来客", limit: 50).map(\.id) == Array(before.dropFirst()))

            // Its id taken again (SQLite gives the highest rowid again) by a member who never
            // bought: its refresh puts it last, and writes the delta (the set is not settled now).
            try db.execute(sql: "INSERT INTO member(id, buyer_id, nick) VALUES (?, 'again', '外来客又来')", arguments: [last])
            #expect(try SearchIndex.refresh(db, members: [last], limits: SearchExtraTests.small) == .members)
            #expect(try Self.settled(db) == false)
            // Not at the place the old member's extra row gives (first), which holds its id still.
            #expect(try MemberSearch.search(db, "外来客", limit: 50).map(\.id) == Array(before.dropFirst()) + [last])
            #expect(try MemberSearch.search(db, "外来客又来", limit: 5).map(\.id) == [last])
        }
    }

    /// A member of the set moved to the front by the daily refresh: the set is not settled, and the
    /// member is listed once, first.
    @Test func aMoveToTheFrontUnsettlesTheSet() throws {
        var rnd = SplitMix64(seed: 29)
        let t = try SearchMergeTests.shop(&rnd, members: 80); defer { t.cleanup() }
        try t.store.pool.write { (db: Database) throws in
            let maxId = try #require(try Int64.fetchOne(db, sql: "SELECT max(id) FROM member"))
            for i in 1...10 {
                try db.execute(sql: "INSERT INTO member(id, buyer_id, nick) VALUES (?, ?, ?)", arguments: [maxId + Int64(i), "y\(i)", "远方\(i)"])
            }
            #expect(try SearchIndex.refresh(db, members: Set((1...10).map { maxId + Int64($0) }), limits: SearchExtraTests.large) == .extra)
            #expect(try Self.settled(db))
            let mover = maxId + 3
            try db.execute(sql: "INSERT INTO member_stats(member_id, last_paid_at, paid_count) VALUES (?, '2027-01-01 10:00:00', 1)", arguments: [mover])
            #expect(try SearchIndex.refresh(db, members: [mover], limits: SearchExtraTests.small) == .members)
            #expect(try Self.settled(db) == false)
            let ids = try MemberSearch.search(db, "远方", limit: 50).map(\.id)
            #expect(ids.first == mover)
            #expect(ids.count == 10 && Set(ids).count == 10)
            try SearchExtraTests.expectLikeARebuild(db, ordered: false, "after the move")
        }
    }
}
