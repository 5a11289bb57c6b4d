import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// The extra set's rank tables as chunks (ExtraRanks, v24): every ordinal's key and member read
/// back from where its chunk puts it (at a chunk's first and last slot, in a last partial chunk),
/// every member's ordinal likewise, a member leaving the set, a set whose ordinals move across
/// chunks when a second refresh merges into it, and a store of the release before converted.
@Suite struct ExtraRanksTests {
    /// Undoes v24-search-ranks exactly: the chunks back to v22's row tables.
    static func undoChunks(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE search_extra_rank (ord INTEGER PRIMARY KEY, key INTEGER NOT NULL, member_id INTEGER NOT NULL);
            CREATE TABLE search_extra_member (member_id INTEGER PRIMARY KEY, ord INTEGER NOT NULL);
            """)
        let reader = try ExtraOrdReader(db.makeStatement(sql: ExtraOrdReader.sql))
        for ord in 0..<(try ExtraRanks.ordCount(db)) {
            let e = try #require(try reader.entry(ord))
            try db.execute(sql: "INSERT INTO search_extra_rank VALUES (?, ?, ?)", arguments: [ord, e.key, e.member])
        }
        for m in try ExtraRanks.members(db) {
            try db.execute(sql: "INSERT INTO search_extra_member VALUES (?, ?)", arguments: [m.id, m.ord])
        }
        try db.execute(sql: """
            DROP TABLE search_extra_rank_chunk; DROP TABLE search_extra_member_chunk;
            DELETE FROM grdb_migrations WHERE identifier = 'v24-search-ranks';
            """)
    }

    static func chunkRows(_ db: Database) throws -> [String] {
        var out: [String] = []
        for table in ["search_extra_rank_chunk", "search_extra_member_chunk"] {
            for row in try Row.fetchAll(db, sql: "SELECT chunk, hex(data) FROM \(table) ORDER BY chunk") { out.append("\(table) \(row)") }
        }
        return out
    }

    /// Sets of 0 to 2 chunks and one more ordinal: each ordinal's key (past 32 bits) and member read
    /// back, forward and then backward (chunks read again), and nothing past the end.
    @Test func ordinalsReadBackAcrossChunks() throws {
        let size = ExtraRanks.ordChunkSize
        for n in [0, 1, size - 1, size, size + 1, 2 * size, 2 * size + 1] {
            let q = try DatabaseQueue()
            try q.write { db in
                try db.execute(sql: ExtraRanks.schema)
                let members: [Int32] = (0..<n).map { (k: Int) -> Int32 in Int32(k % 2 == 0 ? 3 * k + 7 : 2_000_000_000 - k) }
                let keys: [Int64] = (0..<n).map { (k: Int) -> Int64 in
                    let before = Int64(k / 3 + k % 7)
                    return (before << 24) + 1 + Int64(k)
                }
                try ExtraRanks.writeOrds(db, members: members, keys: keys)
                #expect(try ExtraRanks.ordCount(db) == Int64(n), "\(n)")
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM search_extra_rank_chunk") == (n + size - 1) / size, "\(n)")
                let r = try ExtraOrdReader(db.makeStatement(sql: ExtraOrdReader.sql))
                for ord in Array(0..<n) + (0..<n).reversed() {
                    let e = try r.entry(Int64(ord))
                    #expect(e?.key == keys[ord] && e?.member == Int64(members[ord]), "\(n) members: ordinal \(ord) read \(String(describing: e))")
                }
                #expect(try r.entry(Int64(n)) == nil, "\(n)")
                #expect(try r.entry(-1) == nil)
            }
        }
    }

    /// Members at a chunk's first and last slot and in chunks apart: each one's ordinal read back
    /// (its neighbours have none); leaving empties a slot, and a chunk left empty is deleted.
    @Test func membersReadBackAndLeave() throws {
        let size = Int64(MemberRanks.chunkSize)
        let pairs: [(id: Int64, ord: Int32)] = [(1, 5), (size - 1, 0), (size, 3), (size + 1, 1), (3 * size - 1, 2), (5 * size, 4)]
        let q = try DatabaseQueue()
        try q.write { db in
            try db.execute(sql: ExtraRanks.schema)
            try ExtraRanks.writeMemberChunks(db, pairs)
            #expect(try Int64.fetchAll(db, sql: "SELECT chunk FROM search_extra_member_chunk ORDER BY chunk") == [0, 1, 2, 5])
            #expect(try ExtraRanks.members(db).map { "\($0.id)=\($0.ord)" } == pairs.map { "\($0.id)=\($0.ord)" })
            let r = try MemberSlotReader(db, table: ExtraRanks.memberTable)
            for p in pairs {
                #expect(try r.value(of: p.id) == Int64(p.ord), "member \(p.id)")
                for other in [p.id - 1, p.id + 1] where !pairs.contains(where: { $0.id == other }) {
                    #expect(try r.value(of: other) == nil, "member \(other)")
                }
            }
            try r.clear(size, db)
            #expect(try r.value(of: size) == nil)
            #expect(try MemberSlotReader(db, table: ExtraRanks.memberTable).value(of: size + 1) == 1)
            try r.clear(size + 1, db)   // chunk 1 now empty
            #expect(try Int64.fetchAll(db, sql: "SELECT chunk FROM search_extra_member_chunk ORDER BY chunk") == [0, 2, 5])
            #expect(try ExtraRanks.members(db).map(\.id) == [1, size - 1, 3 * size - 1, 5 * size])
            for p in pairs { try r.clear(p.id, db) }
            #expect(try !ExtraRanks.any(db))
        }
    }

    /// A large refresh of every `every`th member: half of them renamed and given paid moments
    /// among the built members' (their keys fall between the built ranks), the others a newer
    /// order than any (to the front, before every built rank).
    static func refreshMany(_ db: Database, _ rnd: inout SplitMix64, every: Int, offset: Int, tag: String) throws -> [Int64] {
        let ids = try Int64.fetchAll(db, sql: "SELECT id FROM member ORDER BY id")
        let chosen = ids.enumerated().filter { $0.offset % every == offset }.map(\.element)
        var renamed: Set<Int64> = []
        for id in chosen {
            let rename = rnd.next() % 2 == 0
            let paid = rename ? SearchMergeTests.paidAt(&rnd) : String(format: "2027-%02d-%02d 10:00:00", 1 + Int(rnd.next() % 12), 1 + Int(rnd.next() % 28))
            try db.execute(sql: """
                INSERT INTO member_stats(member_id, last_paid_at, paid_count) VALUES (?, ?, 1)
                ON CONFLICT(member_id) DO UPDATE SET last_paid_at = excluded.last_paid_at
                """, arguments: [id, paid])
            if rename {
                renamed.insert(id)
                try db.execute(sql: "UPDATE member SET nick = nick || ? WHERE id = ?", arguments: [tag, id])
            }
        }
        let outcome = try SearchIndex.refresh(db, members: Set(chosen), textChanged: renamed, limits: SearchExtraTests.large)
        #expect(outcome == .extra, "\(outcome), \(chosen.count) refreshed")
        return chosen
    }

    /// Through sets of 2 chunks and more: built, merged into (ordinals renumbered, members moving
    /// between chunks), left by a small refresh's movers; each time searched as a rebuild lists.
    @Test func aSetAcrossChunksSearchesLikeARebuild() throws {
        var rnd = SplitMix64(seed: 61)
        let t = try SearchMergeTests.shop(&rnd, members: 1_500); defer { t.cleanup() }
        try t.store.pool.write { (db: Database) throws in
            _ = try Self.refreshMany(db, &rnd, every: 4, offset: 1, tag: "改")
            let first = try SearchExtra.count(db)
            #expect(first > ExtraRanks.ordChunkSize)
            let before = Dictionary(try ExtraRanks.members(db).map { ($0.id, $0.ord) }, uniquingKeysWith: { a, _ in a })
            try SearchExtraTests.expectLikeARebuild(db, ordered: true, "one set")

            _ = try Self.refreshMany(db, &rnd, every: 15, offset: 2, tag: "新")
            let after = try ExtraRanks.members(db)
            #expect(after.count > first)
            let size = Int32(ExtraRanks.ordChunkSize)
            #expect(after.contains { m in before[m.id].map { $0 / size != m.ord / size } ?? false }, "no member changed chunks")
            try SearchExtraTests.expectLikeARebuild(db, ordered: true, "merged into the set")

            // A small refresh's movers leave the set (to the front), and one member of it is gone.
            var leavers = after.enumerated().filter { $0.offset % 97 == 5 }.map(\.element.id)
            for id in leavers {
                try db.execute(sql: "UPDATE member_stats SET last_paid_at = '2028-01-01 10:00:00' WHERE member_id = ?", arguments: [id])
            }
            let gone = try #require(try after.map(\.id).first { id in
                try !leavers.contains(id) && Int64.fetchOne(db, sql: "SELECT 1 FROM orders WHERE member_id = ?", arguments: [id]) == nil
            })
            try db.execute(sql: "DELETE FROM member_stats WHERE member_id = ?; DELETE FROM member_identity WHERE member_id = ?; DELETE FROM member WHERE id = ?",
                           arguments: [gone, gone, gone])
            leavers.append(gone)
            #expect(try SearchIndex.refresh(db, members: Set(leavers), limits: SearchExtraTests.small) == .members)
            #expect(try SearchExtra.count(db) == after.count - leavers.count)
            let reader = try MemberSlotReader(db, table: ExtraRanks.memberTable)
            for id in leavers { #expect(try reader.value(of: id) == nil, "member \(id) still in the set") }
            try SearchExtraTests.expectLikeARebuild(db, ordered: false, "after a small refresh")
        }
    }

    /// A store of the release before v24 with an extra set (some members left it since) opens with
    /// the same set in chunks: the same chunks a build writes, the same search results.
    @Test func aStoreOfThePreviousReleaseKeepsItsSet() throws {
        var rnd = SplitMix64(seed: 67)
        let t = try SearchMergeTests.shop(&rnd, members: 1_500); defer { t.cleanup() }
        var chunks: [String] = [], found: [String: [Int64]] = [:]
        try t.store.pool.write { (db: Database) throws in
            let chosen = try Self.refreshMany(db, &rnd, every: 4, offset: 0, tag: "改")
            let leavers = chosen.enumerated().filter { $0.offset % 50 == 7 }.map(\.element)
            for id in leavers {
                try db.execute(sql: "UPDATE member_stats SET last_paid_at = '2028-01-01 10:00:00' WHERE member_id = ?", arguments: [id])
            }
            #expect(try SearchIndex.refresh(db, members: Set(leavers), limits: SearchExtraTests.small) == .members)
            chunks = try Self.chunkRows(db)
            found = try SearchMergeTests.ordered(db)
        }
        let q = try DatabaseQueue(path: t.path)
        try q.writeWithoutTransaction { try Self.undoChunks($0) }
        try q.close()
        let store = try Store(path: t.path, operatorName: "owner1")
        try store.pool.write { (db: Database) throws in
            #expect(try !db.tableExists("search_extra_rank") && !db.tableExists("search_extra_member"))
            #expect(try Self.chunkRows(db) == chunks)
            #expect(try SearchMergeTests.ordered(db) == found)
            try SearchExtraTests.expectLikeARebuild(db, ordered: false, "a store of the previous release")
        }
    }

    /// A previous release's set whose ordinals have a gap (not a build's) is not converted: the
    /// index is rebuilt, and searched as a rebuild lists.
    @Test func aBrokenSetOfThePreviousReleaseIsRebuilt() throws {
        var rnd = SplitMix64(seed: 71)
        let t = try SearchMergeTests.shop(&rnd, members: 300); defer { t.cleanup() }
        try t.store.pool.write { (db: Database) throws in _ = try Self.refreshMany(db, &rnd, every: 4, offset: 1, tag: "改") }
        let q = try DatabaseQueue(path: t.path)
        try q.writeWithoutTransaction {
            try Self.undoChunks($0)
            try $0.execute(sql: "DELETE FROM search_extra_rank WHERE ord = 3")
        }
        try q.close()
        let store = try Store(path: t.path, operatorName: "owner1")
        try store.pool.write { (db: Database) throws in
            #expect(try SearchExtra.Info.load(db) == nil)
            #expect(try !ExtraRanks.any(db))
            try SearchExtraTests.expectLikeARebuild(db, ordered: true, "rebuilt")
        }
    }
}
