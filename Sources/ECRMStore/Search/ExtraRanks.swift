import Foundation
import GRDB
import GRDBSQLite

/// The extra set's rank tables (SearchExtra), as ~4 KB blobs of packed little-endian integers keyed
/// by chunk number, the way search_member_rank is (MemberRanks). A channel import at 1M wrote
/// 397k + 397k rows of the row-per-rank tables these replace (v24), nearly all of it SQLite's own
/// cost per row: its rank-table step took 0.18 s CPU, 0.03 s as 2,475 chunks (both with search_moved's
/// 117k rows), and its search phase 0.51 s CPU against 0.36 s (medians of 11 paired runs). A search
/// reads no more pages than before (the same ordinals per 4 KiB page). search_rank stays a row
/// table: the channel import does not write it, and every main candidate is fetched by a join on it.
///
/// - `search_extra_rank_chunk(chunk, data)`: per ordinal (ord / `ordChunkSize`), its ordering key
///   (Int64) and member id (Int32), 12 bytes an ordinal; every chunk but the last is full, and
///   the set's size is where the last one ends. Written once per build, never changed after.
/// - `search_extra_member_chunk(chunk, data)`: per member id (id / MemberRanks.chunkSize), its
///   ordinal (Int32; MemberRanks.none: not in the set), as search_member_rank's ranks. A member
///   leaves the set by a rewrite of its chunk (RankUpdate); a chunk left with no member is
///   deleted, so the table is empty exactly when the set is.
enum ExtraRanks {
    /// The members' ordinals, read and changed through MemberSlotReader.
    static let memberTable = "search_extra_member_chunk"

    static let schema = """
        CREATE TABLE search_extra_rank_chunk (chunk INTEGER PRIMARY KEY, data BLOB NOT NULL);
        CREATE TABLE search_extra_member_chunk (chunk INTEGER PRIMARY KEY, data BLOB NOT NULL);
        """

    /// 333 ordinals of 12 bytes: 3,996 bytes, a chunk in one 4 KiB page without overflow pages.
    static let ordChunkSize = 333
    static let ordBytes = 12

    static func clear(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM search_extra_rank_chunk; DELETE FROM search_extra_member_chunk")
    }

    /// Writes search_extra_rank_chunk: `members[ord]` with `keys[ord]`. The table must be empty
    /// (B-tree appends, in chunk order).
    static func writeOrds(_ db: Database, members: [Int32], keys: [Int64]) throws {
        let ords = try RawStatement(db, "INSERT OR FAIL INTO search_extra_rank_chunk(chunk, data) VALUES (?, ?)")
        var data: [UInt8] = []
        data.reserveCapacity(ordChunkSize * ordBytes)
        var start = 0
        while start < members.count {
            let end = min(start + ordChunkSize, members.count)
            data.removeAll(keepingCapacity: true)
            for k in start..<end { encode(key: keys[k], member: members[k], into: &data) }
            ords.bind(1, Int64(start / ordChunkSize))
            ords.bind(2, blob: data)
            try ords.step()
            start = end
        }
    }

    /// Writes search_extra_member_chunk from (member, ord) pairs ascending by member. The table
    /// must be empty.
    static func writeMemberChunks(_ db: Database, _ pairs: some Sequence<(id: Int64, ord: Int32)>) throws {
        let insert = try RawStatement(db, "INSERT OR FAIL INTO search_extra_member_chunk(chunk, data) VALUES (?, ?)")
        let size = Int64(MemberRanks.chunkSize)
        var slots = [Int32](repeating: MemberRanks.none.littleEndian, count: MemberRanks.chunkSize)
        var chunk: Int64 = -1
        func flush() throws {
            guard chunk >= 0 else { return }
            insert.bind(1, chunk)
            slots.withUnsafeBytes { insert.bind(2, blob: $0) }
            try insert.step()
            for k in slots.indices { slots[k] = MemberRanks.none.littleEndian }
        }
        for p in pairs where p.id >= 0 {
            if p.id / size != chunk { try flush(); chunk = p.id / size }
            slots[Int(p.id % size)] = p.ord.littleEndian
        }
        try flush()
    }

    static func encode(key: Int64, member: Int32, into data: inout [UInt8]) {
        withUnsafeBytes(of: key.littleEndian) { data.append(contentsOf: $0) }
        withUnsafeBytes(of: member.littleEndian) { data.append(contentsOf: $0) }
    }

    /// The ordinal `slot` of a search_extra_rank_chunk blob (the caller checks slot < count).
    static func entry(_ raw: UnsafeRawBufferPointer, _ slot: Int) -> (key: Int64, member: Int64) {
        let at = slot * ordBytes
        return (Int64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: Int64.self)),
                Int64(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: at + 8, as: Int32.self))))
    }

    /// How many ordinals the set has (where its last chunk ends).
    static func ordCount(_ db: Database) throws -> Int64 {
        guard let row = try Row.fetchOne(db, sql: "SELECT chunk, length(data) FROM search_extra_rank_chunk ORDER BY chunk DESC LIMIT 1") else { return 0 }
        return (row[0] as Int64) * Int64(ordChunkSize) + (row[1] as Int64) / Int64(ordBytes)
    }

    /// The set's members and their ordinals, ascending by member.
    static func members(_ db: Database) throws -> [(id: Int64, ord: Int32)] {
        var out: [(id: Int64, ord: Int32)] = []
        let s = try RawStatement(db, "SELECT chunk, data FROM search_extra_member_chunk ORDER BY chunk")
        defer { sqlite3_reset(s.handle) }
        while try s.next() {
            let base = sqlite3_column_int64(s.handle, 0) * Int64(MemberRanks.chunkSize)
            let c = MemberRanks.chunk(s.handle, 1)
            for slot in 0..<c.count where c[slot] != MemberRanks.none { out.append((base + Int64(slot), c[slot])) }
        }
        return out
    }

    /// Whether any member is in the set.
    static func any(_ db: Database) throws -> Bool {
        try Int64.fetchOne(db, sql: "SELECT 1 FROM search_extra_member_chunk LIMIT 1") != nil
    }

    /// v24: the chunks from the row tables of v22 (which the migration then drops). False, having
    /// written nothing, when the ordinals are not 0, 1, 2… as a build numbers them (a gap would
    /// shift every later one): the caller rebuilds.
    static func fillFromRowTables(_ db: Database) throws -> Bool {
        var members: [Int32] = [], keys: [Int64] = []
        let rows = try RawStatement(db, "SELECT ord, key, member_id FROM search_extra_rank ORDER BY ord")
        defer { sqlite3_reset(rows.handle) }
        while try rows.next() {
            guard sqlite3_column_int64(rows.handle, 0) == Int64(members.count) else { return false }
            keys.append(sqlite3_column_int64(rows.handle, 1))
            members.append(Int32(truncatingIfNeeded: sqlite3_column_int64(rows.handle, 2)))
        }
        try writeOrds(db, members: members, keys: keys)
        // The members in the set now: search_extra_member's rows (a small refresh deleted the leavers').
        try writeMemberChunks(db, try Row.fetchAll(db, sql: "SELECT member_id, ord FROM search_extra_member ORDER BY member_id").map {
            (id: $0[0] as Int64, ord: Int32(truncatingIfNeeded: $0[1] as Int64))
        })
        return true
    }
}

/// Reads a search_extra_rank_chunk ordinal by ordinal, one chunk kept decoded (readers walk
/// ordinals forward: one chunk read per 333 ordinals, where the row table took a B-tree probe each).
/// `statement`: "SELECT data FROM search_extra_rank_chunk WHERE chunk = ?", which another reader
/// may share (the chunk is copied out).
final class ExtraOrdReader {
    private let statement: Statement
    private var chunk: Int64 = -1
    private var data: [UInt8] = []

    init(_ statement: Statement) { self.statement = statement }

    static let sql = "SELECT data FROM search_extra_rank_chunk WHERE chunk = ?"

    /// The ordering key and member at an ordinal; nil past the set.
    func entry(_ ord: Int64) throws -> (key: Int64, member: Int64)? {
        guard ord >= 0 else { return nil }
        let size = Int64(ExtraRanks.ordChunkSize)
        let c = ord / size
        if c != chunk {
            chunk = c
            data.removeAll(keepingCapacity: true)
            try MemberRanks.readChunk(statement.sqliteStatement, c) { data.append(contentsOf: $0) }
        }
        let slot = Int(ord % size)
        guard (slot + 1) * ExtraRanks.ordBytes <= data.count else { return nil }
        return data.withUnsafeBytes { ExtraRanks.entry($0, slot) }
    }
}
