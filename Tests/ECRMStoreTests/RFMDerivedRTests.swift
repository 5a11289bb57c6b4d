import Foundation
import Testing
import GRDB
import PropertyBased
@testable import ECRMStore
import ECRMDomain

/// The R a row shows in tests: derived from its last paid day under the stored scale (v21: member_rfm
/// keeps no R column; RFMDerivedR).
enum StoredR {
    /// SQL for the R of the member_rfm row `alias` (0 when unscored).
    static func expr(_ db: Database, _ alias: String = "r") throws -> String {
        RFMDerivedR.sql(try RFMDerivedR.stored(db), alias)
    }
}

/// member_rfm keeps no R score (v21-rfm-derived-r): every place that shows a member's R (the card,
/// R×F cell lists, the grid of the Segments pane, summed from the rows or saved) shows what a full
/// scoring of the store gives, after a recompute, after small imports the same day and on later
/// days (the incremental refresh), auto and custom; after a merge and an unmerge, what the stored
/// scale gives. A store of the previous release keeps every member's R through the migration, with
/// or without a stored scale.
@Suite struct RFMDerivedRTests {
    /// Back to v20: member_rfm rebuilt with its R column (the derived R) where v1 had it, exactly
    /// as v20 left the table and its indexes, and the migration forgotten.
    static func undoDerivedR(_ db: Database) throws {
        try SearchExtraTests.undoExtra(db)   // the later migration first
        let r = try StoredR.expr(db, "member_rfm")
        let table = try #require(try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'member_rfm'"))
        let indexes = try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'member_rfm' AND sql IS NOT NULL")
        let withR = table.replacingOccurrences(of: "f INTEGER NOT NULL, m INTEGER NOT NULL", with: "r INTEGER NOT NULL, f INTEGER NOT NULL, m INTEGER NOT NULL")
        #expect(withR != table)
        try db.execute(sql: """
            CREATE TABLE member_rfm_v21 AS SELECT member_id, last_paid, frequency, monetary, \(r) AS r, f, m, segment, lifecycle, is_returning, window_exit FROM member_rfm;
            DROP TABLE member_rfm;
            \(withR);
            INSERT INTO member_rfm SELECT * FROM member_rfm_v21;
            DROP TABLE member_rfm_v21;
            \(indexes.joined(separator: ";\n"));
            DELETE FROM grdb_migrations WHERE identifier = 'v21-rfm-derived-r';
            """)
    }

    /// Every member's shown scores (the card), the R×F cell lists and the stored grid (saved, and
    /// summed from the rows) against `want`: a full scoring of the store as of `asOf`, or (`scale`)
    /// each member's measure scored against the stored scale.
    static func expectShown(_ t: TempStore, asOf: Day, againstStoredScale: Bool = false, _ note: String) throws {
        try t.store.pool.read { db in
            let c = try RFMEngine.compute(db, settings: try RFMEngine.loadConfig(db).settings(asOf: asOf))
            let scale = try RFMEngine.lastScale(db)
            var cells = [[Int64]](repeating: [], count: 25)
            var grid = Array(repeating: Array(repeating: 0, count: 5), count: 5)
            for (k, id) in c.ids.enumerated() {
                let want = againstStoredScale ? try #require(scale).score(c.measures[k]) : c.scoring.scores[k]
                let shown = try #require(try MemberQueries.detail(db, id: id, asOf: asOf)).score
                #expect(shown == want, "\(note): member \(id) shows \(String(describing: shown)), the scoring gives \(want)")
                if want.segment != .none {
                    cells[(Int(want.r) - 1) * 5 + Int(want.f) - 1].append(id)
                    grid[Int(want.r) - 1][Int(want.f) - 1] += 1
                }
            }
            guard !againstStoredScale else { return }
            for r in 1...5 {
                for f in 1...5 {
                    #expect(try MemberSetSQL.allIds(db, .grid(r: r, f: f)) == cells[(r - 1) * 5 + f - 1], "\(note): cell R\(r) F\(f)")
                }
            }
            #expect(grid == c.summary.grid)
            #expect(try BrowseStats.storedSegmentSummary(db)?.grid == grid, "\(note): the saved grid")
        }
        // The grid summed from the rows (a store without a saved summary), on a copy. (After a
        // merge the saved summary is the last recompute's, the rows the merge's.)
        guard !againstStoredScale else { return }
        let copy = t.dir + "/grid-\(UUID().uuidString).sqlite"
        try t.store.pool.writeWithoutTransaction { try $0.execute(sql: "VACUUM INTO ?", arguments: [copy]) }
        let q = try DatabaseQueue(path: copy)
        let (saved, summed) = try q.write { db -> ([[Int]]?, [[Int]]?) in
            let saved = try BrowseStats.storedSegmentSummary(db)?.grid
            try db.execute(sql: "DELETE FROM setting WHERE key = 'rfm.summary'")
            return (saved, try BrowseStats.storedSegmentSummary(db)?.grid)
        }
        #expect(saved == summed, "\(note): the grid summed from the rows")
    }

    @Test func theShownRIsAFullScoringsR() async throws {
        await propertyCheck(count: 8, input: Gen.int(in: 0...1_000_000)) { seed in
            let (t, members) = try RFMStoredBaseTests.shop(seed: UInt64(seed), custom: seed % 3 == 0)
            defer { t.cleanup() }
            try Self.expectShown(t, asOf: RFMStoredBaseTests.asOf, "seed \(seed) recomputed")
            var asOf = RFMStoredBaseTests.asOf
            for round in 0..<3 {
                // The same day, then new days (R edges move by days).
                asOf = asOf.adding(days: round == 0 ? 0 : 1 + seed % 2)
                let file = try RFMStoredBaseTests.daily(t, seed: UInt64(seed), round: round, members: members)
                let touched = try RFMIncrementalRefreshTests.importWithoutRFM(t, file: file)
                let settings = try t.store.pool.read { try RFMEngine.loadConfig($0).settings(asOf: asOf) }
                let applies = try t.store.pool.read { try RFMIncremental.applies($0, asOf: asOf) }
                let did = try applies && t.store.pool.write { db in try RFMIncremental.refresh(db, members: touched, settings: settings) }
                if !did { _ = try t.store.pool.write { db in try RFMEngine.recompute(db, settings: settings) } }
                try Self.expectShown(t, asOf: asOf, "seed \(seed) round \(round) \(did ? "incremental" : "full")")
            }
            // Through the importer (the refresh after a small write: RFMBase and the writer).
            var importer = t.importer(bulk: false)
            asOf = asOf.adding(days: 1)
            importer.recomputeRFMAsOf = asOf
            _ = try importer.run(.orders, path: try RFMStoredBaseTests.daily(t, seed: UInt64(seed), round: 7, members: members))
            try Self.expectShown(t, asOf: asOf, "seed \(seed) import")
            if (try? MergeService(store: t.store).merge(keep: "b1", other: "b2")) != nil {
                try Self.expectShown(t, asOf: asOf, againstStoredScale: true, "seed \(seed) merged")
                _ = try MergeService(store: t.store).unmerge("b2")
                try Self.expectShown(t, asOf: asOf, againstStoredScale: true, "seed \(seed) unmerged")
            }
        }
    }

    /// A day's import into a bigger shop, the next day: R edges move past members whose stored
    /// columns stay, and the refresh writes only rows whose stored columns change.
    @Test func aNewDayWritesOnlyRowsWhoseColumnsChange() throws {
        let asOf = RFMIncrementalTests.asOf
        let t = try RFMIncrementalRefreshTests.biggerShop(mode: .auto, asOf: asOf)
        defer { t.cleanup() }
        let day = asOf.adding(days: 1)
        var text = "order_id,buyer_id,paid_at,amount,status\n"
        for j in 0..<60 { text += "\(700_000 + j),b\(j * 37 % 3_000),\(day.description) 09:00:00,\(10 + j).00,paid\n" }
        let touched = try RFMIncrementalRefreshTests.importWithoutRFM(t, file: try t.file("d.csv", text))
        let before = try t.store.pool.read { db in try Row.fetchAll(db, sql: "SELECT *, \(try StoredR.expr(db, "member_rfm")) AS shown_r FROM member_rfm ORDER BY member_id") }
        let settings = try t.store.pool.read { try RFMEngine.loadConfig($0).settings(asOf: day) }
        // Rows the refresh changed (inserted, updated), besides the few settings it stores after.
        let changes = try t.store.pool.write { db -> Int in
            let before = db.totalChangesCount
            let did = try RFMIncremental.refresh(db, members: touched, settings: settings)
            #expect(did)
            return db.totalChangesCount - before
        }
        let after = try t.store.pool.read { db in try Row.fetchAll(db, sql: "SELECT *, \(try StoredR.expr(db, "member_rfm")) AS shown_r FROM member_rfm ORDER BY member_id") }
        let columns = ["member_id", "last_paid", "frequency", "monetary", "f", "m", "segment", "lifecycle", "is_returning", "window_exit"]
        func stored(_ row: Row) -> [DatabaseValue] { columns.map { row[$0] as DatabaseValue } }
        let rewritten = zip(before, after).filter { stored($0) != stored($1) }.count
        let rMoved = zip(before, after).filter { stored($0) == stored($1) && ($0["shown_r"] as Int) != ($1["shown_r"] as Int) }.count
        #expect(rMoved > 20, "the day should move R past members whose stored columns stay")
        #expect(changes <= rewritten + 10, "\(changes) rows written, \(rewritten) changed, \(rMoved) moved only in R")
        try RFMDayAdvanceTests.expectFullRecompute(t, asOf: day, "next day")
    }

    /// v21 on a store of the previous release: every row's R as it was stored, the other columns
    /// untouched; the next imports (full path, then incremental) store a full recompute's result.
    /// Without a stored scale (a store older than rfm.scale) the migration makes one from the rows.
    @Test(arguments: [false, true]) func aStoreOfThePreviousReleaseKeepsEveryR(withoutScale: Bool) throws {
        let asOf = RFMStoredBaseTests.asOf
        for custom in [false, true] {
            let (t, members) = try RFMStoredBaseTests.shop(seed: 61, custom: custom)
            defer { t.cleanup() }
            let path = t.path
            _ = try? MergeService(store: t.store).merge(keep: "b3", other: "b4")
            try t.store.pool.writeWithoutTransaction { db in
                try Self.undoDerivedR(db)
                if withoutScale { try db.execute(sql: "DELETE FROM setting WHERE key = 'rfm.scale'") }
            }
            let before = try t.store.pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM member_rfm ORDER BY member_id") }
            #expect(try t.store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM member_rfm WHERE r > 0") }! > 0)
            let store = try Store(path: path, operatorName: "owner1")
            let after = try store.pool.read { db in
                try Row.fetchAll(db, sql: "SELECT member_id, last_paid, frequency, monetary, \(try StoredR.expr(db, "member_rfm")) AS r, f, m, segment, lifecycle, is_returning, window_exit FROM member_rfm ORDER BY member_id")
            }
            #expect(before == after, "custom \(custom)")
            #expect(try store.pool.read { try $0.columns(in: "member_rfm").map(\.name) }.contains("r") == false)
            #expect(try store.pool.read { try RFMEngine.lastScale($0) } != nil)
            try store.pool.read { db in
                for row in before {
                    let shown = try #require(try MemberQueries.detail(db, id: row["member_id"], asOf: asOf)).score
                    #expect(shown.map { Int($0.r) } == row["r"] as Int?, "custom \(custom) member \(row["member_id"] as Int64)")
                }
            }
            for round in 0..<2 {
                var importer = t.importer(bulk: false)
                importer.recomputeRFMAsOf = asOf
                _ = try importer.run(.orders, path: try RFMStoredBaseTests.daily(t, seed: 61, round: round, members: members))
                try RFMDayAdvanceTests.expectFullRecompute(t, asOf: asOf, "custom \(custom) round \(round)")
                try Self.expectShown(t, asOf: asOf, "custom \(custom) round \(round)")
            }
        }
    }
}
