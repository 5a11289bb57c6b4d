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
    /// posting rows (layout: PostingLayout), their bytes into `out` (emptied first; the sorting
    /// threads keep one each: a fresh block per partition cost a page fault per 4 KB). The last
    /// small bucket is closed at the end: with fewer bucket bits than a partition's top byte, the
    /// next partition may continue it, and the writer joins the two.
    static func encode(sortedPairs pairs: UnsafeBufferPointer<UInt64>, layout: PostingLayout,
                       into out: ByteBuffer, bucketData: ByteBuffer) -> [EncodedPostings.Row] {
        var rows: [EncodedPostings.Row] = []
        out.count = 0
        bucketData.count = 0
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
        return rows
    }
}

extension ByteBuffer {
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// LEB128 (Varint), at most 10 bytes: the caller has reserved them.
    @inline(__always)
    func appendVarint(_ v: UInt64) {
        var v = v
        var n = count
        while v >= 0x80 {
            base[n] = UInt8(v & 0x7F) | 0x80
            n += 1
            v >>= 7
        }
        base[n] = UInt8(v)
        count = n + 1
    }
}
