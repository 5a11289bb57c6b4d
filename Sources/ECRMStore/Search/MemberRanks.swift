import Foundation
import GRDB
import GRDBSQLite

/// Member → search rank, the other way round from search_rank, without an index on
/// search_rank(member_id) (building one cost a bulk rebuild 0.4 s, and every refresh rewrote most of
/// its pages) and without scanning the 1M-row rank table on every refresh (about 50 ms each time):
///
/// - `search_member_rank(chunk, data)`: the ranks a rebuild gave, `chunkSize` members a row
///   (member id / chunkSize), as little-endian Int32 (`none` = no rank). Written once per rebuild
///   (about 1,000 rows at 1M members), never changed by a refresh.
/// - `search_moved(member_id, rk)`: every rank a refresh gave since the rebuild, which wins over
///   the chunk; rk NULL = the member has no rank any more (merged away).
///
/// Both are emptied by every rebuild, so search_moved holds at most the members refreshed since.
/// A refresh leaves a moved member's old search_rank row in place (deleting it was a random page
/// write per mover): a row whose member has another rank in search_moved is superseded, and
/// everything that reads search_rank by rank skips it (`current`).

enum MemberRanks {
    static let schema = """
        CREATE TABLE search_member_rank (chunk INTEGER PRIMARY KEY, data BLOB NOT NULL);
        CREATE TABLE search_moved (member_id INTEGER PRIMARY KEY, rk INTEGER);
        """

    /// SQL true when the search_rank row aliased `r` is its member's current rank: no refresh
    /// moved the member elsewhere (a member of a large refresh's extra set has a rankless row:
    /// SearchExtra).
    static func current(_ r: String) -> String {
        "NOT EXISTS (SELECT 1 FROM search_moved v WHERE v.member_id = \(r).member_id AND v.rk IS NOT \(r).rk)"
    }

    /// 4,000 bytes: a chunk fits in one 4 KiB page without overflow pages.
    static let chunkSize = 1000
    static let none = Int32.min

    /// Before v17 (the v2 migration builds the index of a store that has no such tables yet).
    static func exist(_ db: Database) throws -> Bool { try db.tableExists("search_member_rank") }

    /// Writes the chunks from ranks per member id (`rank(id)`, nil = none) for ids 1...maxId, in
    /// chunk order (B-tree appends). Clears search_moved.
    static func write(_ db: Database, maxId: Int64, rank: (Int64) -> Int64?) throws {
        try db.execute(sql: "DELETE FROM search_member_rank; DELETE FROM search_moved")
        guard maxId > 0 else { return }
        let insert = try RawStatement(db, "INSERT INTO search_member_rank(chunk, data) VALUES (?, ?)")
        var data = [Int32](repeating: none, count: chunkSize)
        let size = Int64(chunkSize)
        for chunk in 0...(maxId / size) {
            var any = false
            for slot in 0..<chunkSize {
                let id = chunk * size + Int64(slot)
                let rk = id >= 1 && id <= maxId ? rank(id) : nil
                data[slot] = rk.map { Int32(truncatingIfNeeded: $0).littleEndian } ?? none.littleEndian
                any = any || rk != nil
            }
            guard any else { continue }
            insert.bind(1, chunk)
            data.withUnsafeBytes { insert.bind(2, blob: $0) }
            try insert.step()
        }
    }

    /// For a store indexed before v17: the chunks from search_rank as it stands (one pass).
    static func fillFromRankTable(_ db: Database) throws {
        let maxId = try Int64.fetchOne(db, sql: "SELECT max(member_id) FROM search_rank") ?? 0
        var ranks = [Int64?](repeating: nil, count: Int(max(maxId, 0)) + 1)
        let scan = try RawStatement(db, "SELECT rk, member_id FROM search_rank")
        while try scan.next() {
            let member = sqlite3_column_int64(scan.handle, 1)
            if member >= 1 && member <= maxId { ranks[Int(member)] = sqlite3_column_int64(scan.handle, 0) }
        }
        sqlite3_reset(scan.handle)
        try write(db, maxId: maxId) { ranks[Int($0)] }
    }

    /// Records a refresh's new rank for a member (nil: it has none now).
    static func move(_ member: Int64, to rk: Int64?, _ statement: RawStatement) throws {
        statement.bind(1, member); statement.bind(2, rk)
        try statement.step()
    }

    static func moveStatement(_ db: Database) throws -> RawStatement {
        try RawStatement(db, "INSERT OR REPLACE INTO search_moved(member_id, rk) VALUES (?, ?)")
    }

    /// One search_member_rank row's ranks as stored (`none` included), slot by slot.
    struct Chunk {
        let raw: UnsafeRawBufferPointer
        var count: Int { raw.count / 4 }
        subscript(slot: Int) -> Int32 { Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * slot, as: Int32.self)) }
    }

    /// Reads chunk `c` through `h` (a "SELECT data FROM … WHERE chunk = ?" of a chunked table) and
    /// hands its blob to `body`, which copies what it keeps; not called when there is no such chunk.
    /// One reading for the readers that keep a chunk decoded (MemberSlotReader, ExtraOrdReader).
    static func readChunk(_ h: OpaquePointer, _ c: Int64, _ body: (UnsafeRawBufferPointer) -> Void) throws {
        sqlite3_reset(h)
        sqlite3_bind_int64(h, 1, c)
        defer { sqlite3_reset(h) }
        if try stepRow(h), let p = sqlite3_column_blob(h, 0) {
            body(UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(h, 0))))
        }
    }

    /// The data column `column` of the row `h` stands on; valid until `h` steps or resets.
    static func chunk(_ h: OpaquePointer, _ column: Int32) -> Chunk {
        guard let p = sqlite3_column_blob(h, column) else { return Chunk(raw: UnsafeRawBufferPointer(start: nil, count: 0)) }
        let n = Int(sqlite3_column_bytes(h, column)) / 4
        return Chunk(raw: UnsafeRawBufferPointer(start: p, count: n * 4))
    }
}

/// Reads members' current ranks (MemberRanks); cheapest when asked in ascending member order
/// (one chunk read per chunk). A member of the extra set (SearchExtra) has no main rank here:
/// `extraOrd` gives its ordinal there.
struct MemberRankLookup {
    private let moved: RawStatement
    private let ranks: MemberSlotReader
    private let extra: MemberSlotReader?

    init(_ db: Database) throws {
        moved = try RawStatement(db, "SELECT rk FROM search_moved WHERE member_id = ?")
        ranks = try MemberSlotReader(db, table: "search_member_rank")
        extra = try SearchExtra.exist(db) ? MemberSlotReader(db, table: ExtraRanks.memberTable) : nil
    }

    /// The member's ordinal in the extra set, if it is there (and no refresh moved it since).
    func extraOrd(of member: Int64) throws -> Int64? {
        try extra?.value(of: member)
    }

    mutating func rank(of member: Int64) throws -> Int64? {
        moved.bind(1, member)
        defer { sqlite3_reset(moved.handle) }
        if try moved.next() {
            return sqlite3_column_type(moved.handle, 0) == SQLITE_NULL ? nil : sqlite3_column_int64(moved.handle, 0)
        }
        return try ranks.value(of: member)
    }
}

/// Reads a table in search_member_rank's layout (chunks of MemberRanks.chunkSize members, an Int32
/// slot each, `MemberRanks.none` for none): the members' ranks, or the extra set's ordinals
/// (ExtraRanks.memberTable), which a member leaves through `clear`. One chunk is kept decoded, so
/// it is cheapest asked in ascending member order (one chunk read per chunk).
final class MemberSlotReader {
    private let table: String
    private let read: Statement
    private var chunk: Int64 = -1
    private var slots: [Int32] = []

    static func sql(_ table: String) -> String { "SELECT data FROM \(table) WHERE chunk = ?" }

    /// `read`: `sql(table)`, prepared (SearchStatements keeps one for the search).
    init(_ read: Statement, table: String) {
        self.read = read
        self.table = table
    }

    convenience init(_ db: Database, table: String) throws {
        self.init(try db.makeStatement(sql: Self.sql(table)), table: table)
    }

    /// The member's slot, if it holds one.
    func value(of member: Int64) throws -> Int64? {
        guard member >= 0 else { return nil }
        let size = Int64(MemberRanks.chunkSize)
        try load(member / size)
        let slot = Int(member % size)
        guard slot < slots.count, slots[slot] != MemberRanks.none else { return nil }
        return Int64(slots[slot])
    }

    private func load(_ c: Int64) throws {
        guard c != chunk else { return }
        chunk = c
        slots.removeAll(keepingCapacity: true)
        try MemberRanks.readChunk(read.sqliteStatement, c) { raw in
            let data = MemberRanks.Chunk(raw: raw)
            for k in 0..<data.count { slots.append(data[k]) }
        }
    }

    /// Empties the member's slot (its chunk rewritten, or deleted when left empty).
    func clear(_ member: Int64, _ db: Database) throws {
        guard try value(of: member) != nil else { return }
        slots[Int(member % Int64(MemberRanks.chunkSize))] = MemberRanks.none
        if slots.allSatisfy({ $0 == MemberRanks.none }) {
            try db.execute(sql: "DELETE FROM \(table) WHERE chunk = ?", arguments: [chunk])
        } else {
            let le = slots.map(\.littleEndian)
            try db.execute(sql: "UPDATE \(table) SET data = ? WHERE chunk = ?",
                           arguments: [le.withUnsafeBytes { Data($0) }, chunk])
        }
    }
}
