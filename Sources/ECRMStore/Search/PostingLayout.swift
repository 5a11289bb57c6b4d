import GRDB

/// Where postings live. A posting is the ascending list of recency ranks (rk: 0 = most recent buyer)
/// of the members holding one gram, so "the first n" of a posting are already the n most recent.
///
/// - `search_large(gram, first_rk, data)`: grams with more than `smallMax` members, in chunks of
///   `chunkSize` ranks (delta varints after `first_rk`); a reader stops after the chunks it needs.
/// - `search_small(bucket, data)`: all other grams, packed by bucket (the top bits of the gram key)
///   so a million one-member grams (whole-text keys, rare trigrams) cost ~65k rows, not millions.
/// - `search_delta(gram, rk)`: grams of members refreshed since the last rebuild.
/// - `search_rank(rk, member_id)`: the member at every rank; a row superseded by a refresh's move
///   stays until the rebuild and is skipped (member → rank: MemberRanks).
/// - `search_extra_*`: a large refresh's second, smaller posting set in this layout, over its own
///   ordinals, read with these as one stream of ordering keys (SearchExtra).
///
/// Why not FTS5 or a `(gram, rk)` row table: measured on the 1M shop, one SQLite row per gram entry
/// (≈30M) or FTS5's per-token insert cost ≈0.9 µs/token puts the build at 10-60 s; sorting packed
/// 64-bit (gram, rk) pairs in Swift and writing ~70k blobs takes a few seconds.
struct PostingLayout: Equatable {
    /// Bits of a packed pair that hold the rank; the gram key gets the other 64 - rkBits.
    var rkBits: Int
    /// Top bits of the gram key that name its small bucket.
    var bucketBits: Int

    static let smallMax = 48
    static let chunkSize = 256

    init(memberCount: Int) {
        var bits = 1
        while (1 << bits) < max(memberCount, 2) { bits += 1 }
        rkBits = bits
        bucketBits = max(4, min(20, bits - 4))
    }

    init(rkBits: Int, bucketBits: Int) {
        self.rkBits = rkBits
        self.bucketBits = bucketBits
    }

    var keyBits: Int { 64 - rkBits }
    /// The rank's bits of a packed pair.
    var rkMask: UInt64 { (1 << UInt64(rkBits)) - 1 }

    /// The stored gram id: the hash's top keyBits (always ≥ 0 as an Int64).
    func gram(_ hash: UInt64) -> Int64 { Int64(bitPattern: hash >> UInt64(rkBits)) }
    func bucket(_ gram: Int64) -> Int64 { gram >> Int64(keyBits - bucketBits) }
    func lowBits(_ gram: Int64) -> UInt64 { UInt64(gram) & ((1 << UInt64(keyBits - bucketBits)) - 1) }

    static func load(_ db: Database) throws -> PostingLayout? {
        let rows = try Row.fetchAll(db, sql: "SELECT key, value FROM search_meta")
        var d: [String: Int] = [:]
        for r in rows { d[r[0]] = r[1] }
        guard let rk = d["rk_bits"], let b = d["bucket_bits"] else { return nil }
        return PostingLayout(rkBits: rk, bucketBits: b)
    }

    func save(_ db: Database) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO search_meta(key, value) VALUES ('rk_bits', ?), ('bucket_bits', ?)",
                       arguments: [rkBits, bucketBits])
    }
}

/// LEB128 varints: ranks in a posting are stored as gaps, mostly one or two bytes each. (Written
/// by ByteBuffer.appendVarint, on the build's sorting threads.)
enum Varint {
    @inline(__always)
    static func read(_ p: UnsafeRawBufferPointer, _ i: inout Int) -> UInt64 {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while i < p.count {
            let b = p[i]
            i += 1
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { break }
            shift += 7
        }
        return v
    }
}
