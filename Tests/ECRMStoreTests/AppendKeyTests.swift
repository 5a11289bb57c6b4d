import Testing
import GRDB
@testable import ECRMStore

/// AppendKey binds a row's key as NULL when it is the table's next one, so SQLite numbers the
/// row itself; the rows must still end up under the keys meant, around keys already there.
@Suite struct AppendKeyTests {
    private func table(_ db: Database, existing: [Int64]) throws {
        try db.execute(sql: "CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)")
        for k in existing { try db.execute(sql: "INSERT INTO t VALUES (?, 'old')", arguments: [k]) }
    }

    private func insert(_ db: Database, _ keys: inout AppendKey, _ rows: [Int64]) throws {
        let append = try BatchInsert(db, "INSERT INTO t(k, v)", values: "(?, ?)", columns: 2)
        try append.insert(rows) { s, k, at in
            keys.bind(s, at + 1, k)
            s.bind(at + 2, "new\(k)")
        }
        try keys.check()
    }

    /// Keys below, between and after those stored, runs of the next key and gaps, in batches
    /// larger and smaller than one multi-row INSERT.
    @Test(arguments: [[] as [Int64], [5, 10, 200]])
    func rowsGetTheKeysMeant(existing: [Int64]) throws {
        let q = try DatabaseQueue()
        try q.write { db in
            try table(db, existing: existing)
            var keys = try AppendKey(db, table: "t", column: "k")
            let first: [Int64] = [1, 2, 3, 7, 11, 12, 13] + Array(14...80) + [150, 151]
            let second: [Int64] = [152, 153, 199, 201, 202, 300] + Array(301...340)
            try insert(db, &keys, first)
            try insert(db, &keys, second)
            let stored = try Row.fetchAll(db, sql: "SELECT k, v FROM t ORDER BY k").map { (k: $0[0] as Int64, v: $0[1] as String) }
            let expected = (existing.map { ($0, "old") } + (first + second).map { ($0, "new\($0)") }).sorted { $0.0 < $1.0 }
            #expect(stored.map(\.k) == expected.map(\.0))
            #expect(stored.map(\.v) == expected.map(\.1))
        }
    }

    /// A row that came in behind its back (a larger key) would shift the numbering: the check
    /// stops the load instead of filing rows under the wrong keys.
    @Test func aKeyGivenOtherwiseStopsTheLoad() throws {
        let q = try DatabaseQueue()
        try q.write { db in
            try table(db, existing: [])
            var keys = try AppendKey(db, table: "t", column: "k")
            try insert(db, &keys, [1, 2, 3])
            try db.execute(sql: "INSERT INTO t VALUES (9, 'intruder')")
            #expect(throws: StoreError.self) { try insert(db, &keys, [4]) }
        }
    }
}
