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
        var out = EncodedPostings()
        out.bytes.reserveCapacity(pairs.count * 2)
        var bucket: Int64 = -1
        var bucketData: [UInt8] = []
        var ranks: [UInt64] = []
        let shift = UInt64(layout.rkBits)
        let mask = layout.rkMask

        func closeBucket() {
            guard bucket >= 0, !bucketData.isEmpty else { return }
            out.bytes.append(contentsOf: bucketData)
            out.rows.append(.init(large: false, key: bucket, firstRk: 0, end: out.bytes.count))
            bucketData.removeAll(keepingCapacity: true)
        }

        var i = 0
        while i < pairs.count {
            let g = pairs[i] >> shift
            ranks.removeAll(keepingCapacity: true)
            while i < pairs.count && pairs[i] >> shift == g {
                let rk = pairs[i] & mask
                if ranks.last != rk { ranks.append(rk) }   // a gram twice in one member
                i += 1
            }
            let gram = Int64(g)
            if ranks.count > PostingLayout.smallMax {
                var start = 0
                while start < ranks.count {
                    let end = min(start + PostingLayout.chunkSize, ranks.count)
                    for j in (start + 1)..<end { Varint.append(ranks[j] - ranks[j - 1], to: &out.bytes) }
                    out.rows.append(.init(large: true, key: gram, firstRk: Int64(ranks[start]), end: out.bytes.count))
                    start = end
                }
                continue
            }
            let b = layout.bucket(gram)
            if b != bucket { closeBucket(); bucket = b }
            Varint.append(layout.lowBits(gram), to: &bucketData)
            Varint.append(UInt64(ranks.count), to: &bucketData)
            Varint.append(ranks[0], to: &bucketData)
            for j in 1..<ranks.count { Varint.append(ranks[j] - ranks[j - 1], to: &bucketData) }
        }
        closeBucket()
        return out
    }
}
