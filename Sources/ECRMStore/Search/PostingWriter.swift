import GRDB

/// Turns sorted packed (gram, rank) pairs into posting rows. Pairs arrive in ascending gram order
/// across all partitions, so both tables are filled in key order (B-tree appends).
final class PostingWriter {
    private let layout: PostingLayout
    private let insertSmall: RawStatement
    private let insertLarge: RawStatement
    private var bucket: Int64 = -1
    private var bucketData: [UInt8] = []
    private var ranks: [UInt64] = []
    private var chunk: [UInt8] = []

    init(db: Database, layout: PostingLayout) throws {
        self.layout = layout
        insertSmall = try RawStatement(db, "INSERT INTO search_small(bucket, data) VALUES (?, ?)")
        insertLarge = try RawStatement(db, "INSERT INTO search_large(gram, first_rk, data) VALUES (?, ?, ?)")
    }

    func write(sortedPairs pairs: [UInt64]) throws {
        let shift = UInt64(layout.rkBits)
        let mask: UInt64 = (1 << shift) - 1
        var i = 0
        while i < pairs.count {
            let g = pairs[i] >> shift
            ranks.removeAll(keepingCapacity: true)
            while i < pairs.count && pairs[i] >> shift == g {
                let rk = pairs[i] & mask
                if ranks.last != rk { ranks.append(rk) }   // a gram twice in one member
                i += 1
            }
            try emit(gram: Int64(g))
        }
    }

    func finish() throws { try flushBucket() }

    private func emit(gram: Int64) throws {
        if ranks.count > PostingLayout.smallMax {
            var start = 0
            while start < ranks.count {
                let end = min(start + PostingLayout.chunkSize, ranks.count)
                chunk.removeAll(keepingCapacity: true)
                for j in (start + 1)..<end { Varint.append(ranks[j] - ranks[j - 1], to: &chunk) }
                insertLarge.bind(1, gram); insertLarge.bind(2, Int64(ranks[start])); insertLarge.bind(3, blob: chunk)
                try insertLarge.step()
                start = end
            }
            return
        }
        let b = layout.bucket(gram)
        if b != bucket { try flushBucket(); bucket = b }
        Varint.append(layout.lowBits(gram), to: &bucketData)
        Varint.append(UInt64(ranks.count), to: &bucketData)
        Varint.append(ranks[0], to: &bucketData)
        for j in 1..<ranks.count { Varint.append(ranks[j] - ranks[j - 1], to: &bucketData) }
    }

    private func flushBucket() throws {
        guard bucket >= 0, !bucketData.isEmpty else { return }
        insertSmall.bind(1, bucket); insertSmall.bind(2, blob: bucketData)
        try insertSmall.step()
        bucketData.removeAll(keepingCapacity: true)
    }
}
