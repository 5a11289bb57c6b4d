import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// SearchExtra uses early postings (EarlyExtra) only when they are exactly its extra members, in
/// its order, each paired with its text once: the text as the load appended it, or for a member
/// written again afterwards its written text. Here the early postings are made by hand beside a
/// built shop with members appended as a load appends them, so a prediction can be wrong on
/// purpose (a channel import's predictions are right: EarlyExtraTests); whatever they were, the
/// set written is the one built from the member table, row for row.
@Suite struct EarlyExtraPredictionTests {
    struct Text { var id: Int64; var nick: String; var name: String; var phone: String }

    struct Shop {
        let t: TempStore
        /// The appended members' texts as appended, ids ascending.
        var texts: [Text]
        /// Their last paid moments (nil: never paid).
        var paid: [Int64: String]
        var ids: [Int64] { texts.map(\.id) }
    }

    /// A built shop of 200 members, then `appended` (40) appended as a load appends them (member
    /// rows, paid moments in member_stats, ties among them), not in the search index yet.
    static func shop(seed: UInt64, appended: Int = 40) throws -> Shop {
        var rnd = SplitMix64(seed: seed)
        let t = try SearchMergeTests.shop(&rnd, members: 200)
        var s = Shop(t: t, texts: [], paid: [:])
        try t.store.pool.write { (db: Database) throws in
            let maxId = try Int64.fetchOne(db, sql: "SELECT max(id) FROM member") ?? 0
            for i in 1...appended {
                let id = maxId + Int64(i)
                let x = Text(id: id, nick: SearchMergeTests.nick(&rnd) + "新", name: rnd.next() % 2 == 0 ? SearchMergeTests.nick(&rnd) : "",
                             phone: SearchMergeTests.phone(&rnd))
                try db.execute(sql: "INSERT INTO member(id, buyer_id, nick, name, phone) VALUES (?, ?, ?, ?, ?)",
                               arguments: [id, "n\(i)", x.nick, x.name, x.phone])
                s.texts.append(x)
                if i % 4 != 0 {
                    let at = String(format: "2026-%02d-01 10:00:00", 1 + i % 5)
                    try db.execute(sql: "INSERT INTO member_stats(member_id, last_paid_at, paid_count) VALUES (?, ?, 1)", arguments: [id, at])
                    s.paid[id] = at
                }
            }
        }
        return s
    }

    /// The load's input for the appended members: right, as BulkLoader predicts them.
    static func input(_ s: Shop, written: Set<Int64> = []) -> EarlyExtra.Input {
        var input = EarlyExtra.Input()
        for x in s.texts {
            input.members.append(x.id)
            input.stamps.append(s.paid[x.id].flatMap { LocalTime.parse($0) }.map { UInt64($0.stamp) } ?? 0)
            input.fromCreated.append(!written.contains(x.id))
        }
        return input
    }

    struct Built: Equatable {
        var tables: [String: [String]]
        var searches: [String: [Int64]]
    }

    /// The extra set for the appended members (`written`: their texts changed since), built with
    /// early postings from `input` and the spools' texts, or from the member table (`early` nil);
    /// rolled back. Returns it and whether the early postings were used.
    static func build(_ s: Shop, written: [Int64] = [], early: (input: EarlyExtra.Input, created: [Text], written: [Text])?,
                      outcome: SearchMerge.Outcome = .extra) throws -> (Built, Bool) {
        try s.t.store.pool.write { (db: Database) throws in
            var e: EarlyExtra?
            if let early {
                let dir = PairSpool.directory(of: db)
                let created = try MemberTextSpool(directory: dir, runLength: 7), again = try MemberTextSpool(directory: dir, runLength: 7)
                for x in early.created { created.append(id: x.id, nick: x.nick, name: x.name, phone: x.phone) }
                for x in early.written { again.append(id: x.id, nick: x.nick, name: x.name, phone: x.phone) }
                created.finishWriting(); again.finishWriting()
                e = EarlyExtra.start(early.input, created: created, written: again, directory: dir)
            }
            defer { e?.cancel() }
            var built = Built(tables: [:], searches: [:])
            try db.inSavepoint {
                #expect(try SearchExtra.run(db, touched: [Int64](), textChanged: written, created: s.ids, early: e) == outcome)
                built = Built(tables: try EarlyExtraTests.searchTables(db), searches: try SearchMergeTests.ordered(db))
                for x in s.texts { built.searches[x.nick] = try MemberSearch.search(db, x.nick, limit: 5_000).map(\.id) }
                return .rollback
            }
            return (built, e?.used ?? false)
        }
    }

    static func expectSame(_ early: Built, _ late: Built, _ context: String) {
        for (table, rows) in late.tables {
            #expect(early.tables[table] == rows, "\(context): \(table) differs from the set built from the table")
        }
        #expect(early.tables.keys.sorted() == late.tables.keys.sorted())
        for (q, ids) in late.searches { #expect(early.searches[q] == ids, "\(context): '\(q)'") }
    }

    /// The right prediction is used, and is the set built from the table (the harness works).
    @Test func theRightPredictionIsUsed() throws {
        let s = try Self.shop(seed: 5); defer { s.t.cleanup() }
        let (late, _) = try Self.build(s, early: nil)
        let (early, used) = try Self.build(s, early: (Self.input(s), s.texts, []))
        #expect(used)
        Self.expectSame(early, late, "right prediction")
        #expect(late.tables["search_extra_rank_chunk"]?.count == (s.texts.count + ExtraRanks.ordChunkSize - 1) / ExtraRanks.ordChunkSize)
    }

    /// Two buyers' paid moments swapped: their predicted ordinals are each other's. Not used: the
    /// set is built from the table.
    @Test func aWrongOrderIsNotUsed() throws {
        let s = try Self.shop(seed: 7); defer { s.t.cleanup() }
        var input = Self.input(s)
        let a = try #require(input.stamps.firstIndex { $0 != 0 })
        let b = try #require(input.stamps.firstIndex { $0 != 0 && $0 != input.stamps[a] })
        input.stamps.swapAt(a, b)
        let (late, _) = try Self.build(s, early: nil)
        let (early, used) = try Self.build(s, early: (input, s.texts, []))
        #expect(!used)
        Self.expectSame(early, late, "wrong order")
    }

    /// Members written again after they were appended (renamed): their appended text is stale, the
    /// written one is paired. Used, and the set built from the table.
    @Test func aWrittenMemberIsPairedWithItsWrittenText() throws {
        var s = try Self.shop(seed: 11); defer { s.t.cleanup() }
        let appended = s.texts
        let rewritten = Set(s.ids.enumerated().filter { $0.offset % 6 == 1 }.map(\.element))
        try s.t.store.pool.write { (db: Database) throws in
            for k in s.texts.indices where rewritten.contains(s.texts[k].id) {
                s.texts[k].nick = "改名\(k)"
                try db.execute(sql: "UPDATE member SET nick = ? WHERE id = ?", arguments: [s.texts[k].nick, s.texts[k].id])
            }
        }
        let written = s.texts.filter { rewritten.contains($0.id) }
        let (late, _) = try Self.build(s, written: written.map(\.id), early: nil)
        let (early, used) = try Self.build(s, written: written.map(\.id), early: (Self.input(s, written: rewritten), appended, written))
        #expect(used)
        Self.expectSame(early, late, "written again")
    }

    /// A member's text twice in the appended spool (an old one, then the one the table has): each
    /// text must be paired once, so nothing early is used.
    @Test func aTextTwiceIsNotPaired() throws {
        let s = try Self.shop(seed: 13); defer { s.t.cleanup() }
        var twice = s.texts
        var old = s.texts[3]
        old.nick = "旧的" + old.nick
        twice.insert(old, at: 3)
        let (late, _) = try Self.build(s, early: nil)
        let (early, used) = try Self.build(s, early: (Self.input(s), twice, []))
        #expect(!used)
        Self.expectSame(early, late, "a text twice")
    }

    /// More members than half the built ones: SearchExtra merges everything into the postings
    /// instead of building a set beside them, and the early postings (right as they are) go unused.
    @Test func pastHalfTheBuiltMembersTheyAreNotUsed() throws {
        let s = try Self.shop(seed: 17, appended: 120); defer { s.t.cleanup() }
        let (late, _) = try Self.build(s, early: nil, outcome: .merged)
        let (early, used) = try Self.build(s, early: (Self.input(s), s.texts, []), outcome: .merged)
        #expect(!used)
        Self.expectSame(early, late, "past half")
        #expect(late.tables["search_extra_rank_chunk"] == [])
    }
}
