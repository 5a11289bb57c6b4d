import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// search_extra_stale (v23): the main ranks an extra set superseded, which a search of a settled
/// set checks by rank instead of search_moved. A rank missing there lists the member at its old
/// place too (its main entry still matches: a mover's text is the same); one too many hides a
/// member. The table must be exactly the superseded rows, and the read must trust it only when its
/// build wrote it whole.
@Suite struct SearchExtraStaleTests {
    /// Undoes v23-search-extra-stale exactly (a store of the release before it).
    static func undoStale(_ db: Database) throws {
        try db.execute(sql: """
            DROP TABLE search_extra_stale;
            DELETE FROM search_meta WHERE key = '\(SearchExtra.staleKey)';
            DELETE FROM grdb_migrations WHERE identifier = 'v23-search-extra-stale';
            """)
    }

    static func reader(_ db: Database) throws -> PostingReader { try #require(try PostingReader.open(db)) }

    /// The main rows no longer current (MemberRanks.current), by rank.
    static func superseded(_ db: Database) throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT rk FROM search_rank r WHERE NOT \(MemberRanks.current("r")) ORDER BY rk")
    }

    static func stale(_ db: Database) throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT rk FROM search_extra_stale ORDER BY rk")
    }

    /// Each member's own nick searched, against a rebuild's list (the rebuild rolled back).
    /// `dropLast`: characters dropped from each nick (a renamed member's old nick).
    static func expectNicksLikeARebuild(_ db: Database, _ members: [Int64], _ context: String, dropLast: Int = 0) throws {
        var nicks: [String] = []
        for id in members {
            if let n = try String.fetchOne(db, sql: "SELECT nick FROM member WHERE id = ?", arguments: [id]).map({ String($0.dropLast(dropLast)) }), !n.isEmpty { nicks.append(n) }
        }
        var got: [String: [Int64]] = [:], want: [String: [Int64]] = [:]
        for q in nicks { got[q] = try MemberSearch.search(db, q, limit: 5_000).map(\.id) }
        try db.inSavepoint {
            try SearchIndex.rebuildAll(db)
            for q in nicks { want[q] = try MemberSearch.search(db, q, limit: 5_000).map(\.id) }
            return .rollback
        }
        #expect(!nicks.isEmpty)
        for q in nicks { #expect(got[q] == want[q], "\(context): '\(q)' \(got[q] ?? []) against a rebuild's \(want[q] ?? [])") }
    }

    /// Built members moved into the extra set and renamed ones: each superseded rank is in the
    /// table, and searching each one's old nick lists what a rebuild lists, in the same order.
    /// Most are renamed (their old nick kept as a prefix) and moved back (an older last order than
    /// anyone's): their main entries, whose old grams still match, then come before their
    /// current ones, so a rank missing from the table lists them at their old place (a member
    /// moved to the front would hide it: a search lists a member once, at its first entry).
    @Test func everySupersededRankIsThereAndTrusted() throws {
        var rnd = SplitMix64(seed: 31)
        let t = try SearchMergeTests.shop(&rnd, members: 240); defer { t.cleanup() }
        try t.store.pool.write { (db: Database) throws in
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM member ORDER BY id")
            var movers: [Int64] = [], renamed: [Int64] = []
            func lastPaid(_ id: Int64, _ at: String) throws {
                try db.execute(sql: """
                    INSERT INTO member_stats(member_id, last_paid_at, paid_count) VALUES (?, ?, 1)
                    ON CONFLICT(member_id) DO UPDATE SET last_paid_at = excluded.last_paid_at
                    """, arguments: [id, at])
            }
            for (k, id) in ids.enumerated() {
                let back = k % 5 == 4, rename = back || k % 13 == 7, front = k % 17 == 5
                if back { try lastPaid(id, "2001-06-01 10:00:\(String(format: "%02d", k % 60))"); movers.append(id) }
                if front && !rename { try lastPaid(id, "2027-06-01 10:00:\(String(format: "%02d", k % 60))"); movers.append(id) }
                if rename {
                    renamed.append(id)
                    try db.execute(sql: "UPDATE member SET nick = nick || '改' WHERE id = ?", arguments: [id])
                }
            }
            #expect(try SearchIndex.refresh(db, members: Set(movers + renamed), textChanged: Set(renamed), limits: SearchExtraTests.large) == .extra)
            let r = try Self.reader(db)
            #expect(r.extraSettled && r.staleByRank)
            let superseded = try Self.superseded(db)
            #expect(superseded.count >= movers.count / 2)
            #expect(try Self.stale(db) == superseded)
            try Self.expectNicksLikeARebuild(db, movers + renamed, "extra set", dropLast: 1)
            try SearchExtraTests.expectLikeARebuild(db, ordered: true, "extra set")

            // A second large refresh merges into the set: the table again whole.
            let more = ids.enumerated().filter { $0.offset % 11 == 2 }.map(\.element)
            for (k, id) in more.enumerated() {
                try lastPaid(id, "2000-07-01 10:00:\(String(format: "%02d", k % 60))")
                try db.execute(sql: "UPDATE member SET nick = nick || '新' WHERE id = ?", arguments: [id])
            }
            #expect(try SearchIndex.refresh(db, members: Set(more), textChanged: Set(more), limits: SearchExtraTests.large) == .extra)
            #expect(try Self.reader(db).staleByRank)
            #expect(try Self.stale(db) == Self.superseded(db))
            try Self.expectNicksLikeARebuild(db, more, "merged into the set", dropLast: 1)
            try SearchExtraTests.expectLikeARebuild(db, ordered: true, "merged into the set")

            // A small refresh's move unsettles the set: search_moved is read again.
            let mover = more[0]
            try db.execute(sql: "UPDATE member_stats SET last_paid_at = '2028-01-01 10:00:00' WHERE member_id = ?", arguments: [mover])
            #expect(try SearchIndex.refresh(db, members: [mover], limits: SearchExtraTests.small) == .members)
            #expect(try Self.reader(db).staleByRank == false)
            try SearchExtraTests.expectLikeARebuild(db, ordered: false, "after a small refresh")

            // A rebuild empties the set, the table and its flag.
            try SearchIndex.rebuildAll(db)
            #expect(try Self.stale(db) == [])
            #expect(try String.fetchOne(db, sql: "SELECT value FROM search_meta WHERE key = ?", arguments: [SearchExtra.staleKey]) == nil)
        }
    }

    /// A set built before v23 (no flag, no rows): not trusted, searched through search_moved as before.
    @Test func aSetBuiltBeforeTheTableIsNotTrusted() throws {
        var rnd = SplitMix64(seed: 37)
        let t = try SearchMergeTests.shop(&rnd, members: 150); defer { t.cleanup() }
        try t.store.pool.write { (db: Database) throws in
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM member ORDER BY id")
            let movers = ids.enumerated().filter { $0.offset % 7 == 3 }.map(\.element)
            for (k, id) in movers.enumerated() {
                try db.execute(sql: """
                    INSERT INTO member_stats(member_id, last_paid_at, paid_count) VALUES (?, ?, 1)
                    ON CONFLICT(member_id) DO UPDATE SET last_paid_at = excluded.last_paid_at
                    """, arguments: [id, "2027-06-01 10:00:\(String(format: "%02d", k % 60))"])
            }
            #expect(try SearchIndex.refresh(db, members: Set(movers), limits: SearchExtraTests.large) == .extra)
            try db.execute(sql: "DELETE FROM search_extra_stale; DELETE FROM search_meta WHERE key = ?", arguments: [SearchExtra.staleKey])
            let r = try Self.reader(db)
            #expect(r.extraSettled && !r.staleByRank)
            try Self.expectNicksLikeARebuild(db, movers, "no stale table")
        }
    }

    /// A store of the release before v23 with an extra set opens with the table empty and untrusted:
    /// searched through search_moved, as a rebuild lists; the next build writes it.
    @Test func aStoreOfThePreviousReleaseIsSearchedAsBefore() throws {
        var rnd = SplitMix64(seed: 43)
        let t = try SearchMergeTests.shop(&rnd, members: 150); defer { t.cleanup() }
        var movers: [Int64] = []
        try t.store.pool.write { (db: Database) throws in
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM member ORDER BY id")
            movers = ids.enumerated().filter { $0.offset % 6 == 2 }.map(\.element)
            for (k, id) in movers.enumerated() {
                try db.execute(sql: """
                    INSERT INTO member_stats(member_id, last_paid_at, paid_count) VALUES (?, ?, 1)
                    ON CONFLICT(member_id) DO UPDATE SET last_paid_at = excluded.last_paid_at
                    """, arguments: [id, "2001-06-01 10:00:\(String(format: "%02d", k % 60))"])
                try db.execute(sql: "UPDATE member SET nick = nick || '改' WHERE id = ?", arguments: [id])
            }
            #expect(try SearchIndex.refresh(db, members: Set(movers), textChanged: Set(movers), limits: SearchExtraTests.large) == .extra)
        }
        let path = t.path
        let q = try DatabaseQueue(path: path)
        try q.writeWithoutTransaction { try Self.undoStale($0) }
        try q.close()
        let store = try Store(path: path, operatorName: "owner1")
        try store.pool.write { (db: Database) throws in
            #expect(try db.tableExists("search_extra_stale"))
            let r = try Self.reader(db)
            #expect(r.extraSettled && !r.staleByRank)
            try Self.expectNicksLikeARebuild(db, movers, "a store of the previous release", dropLast: 1)
            try SearchExtraTests.expectLikeARebuild(db, ordered: true, "a store of the previous release")
        }
    }

    /// The fold empties the table and its flag with the set.
    @Test func theFoldEmptiesTheTable() throws {
        var rnd = SplitMix64(seed: 41)
        let t = try SearchMergeTests.shop(&rnd, members: 120); defer { t.cleanup() }
        try t.store.pool.write { (db: Database) throws in
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM member ORDER BY id")
            let movers = ids.enumerated().filter { $0.offset % 5 == 1 }.map(\.element)
            for id in movers {
                try db.execute(sql: """
                    INSERT INTO member_stats(member_id, last_paid_at, paid_count) VALUES (?, '2027-06-01 10:00:00', 1)
                    ON CONFLICT(member_id) DO UPDATE SET last_paid_at = excluded.last_paid_at
                    """, arguments: [id])
            }
            #expect(try SearchIndex.refresh(db, members: Set(movers), limits: SearchExtraTests.large) == .extra)
            #expect(try !Self.stale(db).isEmpty)
        }
        #expect(try SearchFold.run(t.store) == .folded)
        try t.store.pool.read { (db: Database) throws in
            #expect(try Self.stale(db) == [])
            #expect(try String.fetchOne(db, sql: "SELECT value FROM search_meta WHERE key = ?", arguments: [SearchExtra.staleKey]) == nil)
            #expect(try SearchExtra.Info.load(db) == nil)
        }
    }
}
