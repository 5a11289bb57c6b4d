import GRDB
import GRDBSQLite

/// Inserts encoded partitions (PostingEncoder) in key order, so both tables are filled by B-tree
/// appends. A small bucket split over two partitions is joined into one row.
/// A posting set's two tables (PostingLayout): the built postings, or the extra set (SearchExtra).
struct PostingTables: Sendable {
    var small: String
    var large: String
    static let main = PostingTables(small: "search_small", large: "search_large")
    static let extra = PostingTables(small: "search_extra_small", large: "search_extra_large")
}

final class PostingWriter {
    private let insertSmall: RawStatement
    private let insertLarge: RawStatement
    /// The last small bucket of the partition before, held back in case the next one continues it.
    private var held: (bucket: Int64, data: [UInt8])?

    /// `tables`: the posting set written (the built postings, or the extra set: SearchExtra).
    init(db: Database, tables: PostingTables = .main) throws {
        insertSmall = try RawStatement(db, "INSERT INTO \(tables.small)(bucket, data) VALUES (?, ?)")
        insertLarge = try RawStatement(db, "INSERT INTO \(tables.large)(gram, first_rk, data) VALUES (?, ?, ?)")
    }

    /// Inserts partitions 0..<count as the queue hands them over.
    static func write(_ count: Int, from queue: PartitionQueue, db: Database, tables: PostingTables = .main) throws {
        let writer = try PostingWriter(db: db, tables: tables)
        for k in 0..<count { try queue.take(k) { try writer.write($0, bytes: $1) } }
        try writer.finish()
    }

    /// `bytes`: the partition's row data (its `bytes`, or the same read back from a spool).
    func write(_ p: EncodedPostings, bytes: UnsafeRawBufferPointer) throws {
        // The rows' bytes are bound without a copy: no binding may outlive them.
        defer { sqlite3_clear_bindings(insertSmall.handle); sqlite3_clear_bindings(insertLarge.handle) }
        let lastSmall = p.rows.lastIndex { !$0.large }
        for i in p.rows.indices {
            let row = p.rows[i]
            let data = UnsafeRawBufferPointer(rebasing: bytes[p.range(i)])
            if row.large {
                insertLarge.bind(1, row.key); insertLarge.bind(2, row.firstRk); insertLarge.bind(3, blobUntilStep: data)
                try insertLarge.step()
                continue
            }
            if var h = held {
                held = nil
                if h.bucket == row.key {
                    h.data.append(contentsOf: data)
                    if i == lastSmall { held = h } else { try insert(bucket: h.bucket, h.data) }
                    continue
                }
                try insert(bucket: h.bucket, h.data)
            }
            if i == lastSmall { held = (row.key, Array(data)) } else { try insert(bucket: row.key, data) }
        }
    }

    func finish() throws {
        if let h = held { try insert(bucket: h.bucket, h.data) }
        held = nil
    }

    private func insert(bucket: Int64, _ data: [UInt8]) throws {
        try data.withUnsafeBytes { try insert(bucket: bucket, $0) }
    }

    private func insert(bucket: Int64, _ data: UnsafeRawBufferPointer) throws {
        insertSmall.bind(1, bucket); insertSmall.bind(2, blobUntilStep: data)
        try insertSmall.step()
    }
}
