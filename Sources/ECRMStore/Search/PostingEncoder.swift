/// One partition's postings, encoded as the rows PostingWriter inserts: the build's sorting threads
/// encode their partitions themselves, so the writing thread (the build's critical path) only steps
/// the INSERTs. Rows come in the order a single pass over the sorted pairs completes them; row i's
/// data is bytes[rows[i - 1].end..<rows[i].end] (from 0 for the first).
struct EncodedPostings: Sendable {
    struct Row: Sendable {
        /// A search_large chunk (key = gram), else a search_small bucket (key = bucket).
        var large: Bool
        var key: Int64
        var firstRk: Int64
        var end: Int
    }

    var rows: [Row] = []
    var bytes: [UInt8] = []

    /// Where row i's data lies in `bytes`.
    func range(_ i: Int) -> Range<Int> { (i == 0 ? 0 : rows[i - 1].end)..<rows[i].end }
}

enum PostingEncoder {
    /// Encodes pairs sorted ascending (one partition: its grams are in no other partition) as
    /// posting rows (layout: PostingLayout). The last small bucket is closed at the end: with fewer
    /// bucket bits than a partition's top byte, the next partition may continue it, and the writer
    /// joins the two.
    static func encode(sortedPairs pairs: UnsafeBufferPointer<UInt64>, layout: PostingLayout) -> EncodedPostings {
        var rows: [EncodedPostings.Row] = []
        // Raw byte buffers, grown by hand: appending tens of millions of varint bytes to arrays
        // checked capacity and uniqueness for each (a tenth of the sorting threads' time).
        var out = Bytes(capacity: pairs.count * 2 + 64)
        var bucketData = Bytes(capacity: 4096)
        defer { out.free(); bucketData.free() }
        var bucket: Int64 = -1
        let shift = UInt64(layout.rkBits)
        let mask = layout.rkMask

        func closeBucket() {
            guard bucket >= 0, bucketData.count > 0 else { return }
            out.append(bucketData)
            rows.append(.init(large: false, key: bucket, firstRk: 0, end: out.count))
            bucketData.count = 0
        }

        var i = 0
        while i < pairs.count {
            let g = pairs[i] >> shift
            var end = i + 1
            while end < pairs.count && pairs[end] >> shift == g { end += 1 }
            let gram = Int64(g)
            // A gram twice in one member gives the same pair twice: equal neighbours count once.
            var distinct = 1
            for j in (i + 1)..<end where pairs[j] != pairs[j - 1] { distinct += 1 }
            if distinct > PostingLayout.smallMax {
                var j = i
                while j < end {
                    let firstRk = pairs[j] & mask
                    var last = firstRk, taken = 1
                    j += 1
                    out.reserve(PostingLayout.chunkSize * 10)
                    while j < end && taken < PostingLayout.chunkSize {
                        let rk = pairs[j] & mask
                        j += 1
                        if rk == last { continue }
                        out.appendVarint(rk - last)
                        last = rk
                        taken += 1
                    }
                    while j < end && pairs[j] & mask == last { j += 1 }
                    rows.append(.init(large: true, key: gram, firstRk: Int64(firstRk), end: out.count))
                }
            } else {
                let b = layout.bucket(gram)
                if b != bucket { closeBucket(); bucket = b }
                bucketData.reserve(10 * (3 + distinct))
                bucketData.appendVarint(layout.lowBits(gram))
                bucketData.appendVarint(UInt64(distinct))
                var last = pairs[i] & mask
                bucketData.appendVarint(last)
                for j in (i + 1)..<end {
                    let rk = pairs[j] & mask
                    if rk != last { bucketData.appendVarint(rk - last); last = rk }
                }
            }
            i = end
        }
        closeBucket()
        return EncodedPostings(rows: rows, bytes: Array(UnsafeBufferPointer(start: out.base, count: out.count)))
    }

    /// A growable byte buffer without per-append checks beyond `reserve`.
    private struct Bytes {
        var base: UnsafeMutablePointer<UInt8>
        var count = 0
        var capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            base = .allocate(capacity: capacity)
        }

        func free() { base.deallocate() }

        /// Room for `n` more bytes.
        mutating func reserve(_ n: Int) {
            guard count + n > capacity else { return }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: max(2 * capacity, count + n))
            grown.update(from: base, count: count)
            base.deallocate()
            base = grown
            capacity = max(2 * capacity, count + n)
        }

        mutating func append(_ other: Bytes) {
            reserve(other.count)
            (base + count).update(from: other.base, count: other.count)
            count += other.count
        }

        /// LEB128 (Varint), at most 10 bytes: the caller has reserved them.
        @inline(__always)
        mutating func appendVarint(_ v: UInt64) {
            var v = v
            while v >= 0x80 {
                base[count] = UInt8(v & 0x7F) | 0x80
                count += 1
                v >>= 7
            }
            base[count] = UInt8(v)
            count += 1
        }
    }
}
