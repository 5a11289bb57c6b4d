import Foundation
import CSVStream

/// Parses CSV rows on a second thread while the caller's thread writes them to SQLite.
/// On the two-core machines ecrm runs on, decoding and parsing then overlap with SQLite's B-tree work
/// instead of adding to it. Batches keep the hand-off cheap; a bound on queued batches keeps memory flat.
final class RowPipeline<Row: Sendable>: @unchecked Sendable {
    /// Rows in file order, and the records rejected among them. Kept apart (not an enum per record)
    /// so a row is moved into its batch once and read in place by the writer: each copy of a member
    /// row retains and releases its ten strings (retain and release were about a fifth of the
    /// members load's samples).
    struct Batch: Sendable {
        var rows: [Row]
        /// `encoding`: the record could not be decoded (counted apart: a file rejected for its encoding).
        var problems: [(message: String, line: Int, encoding: Bool)]
        var bytesConsumed: Int64
        var records: Int { rows.count + problems.count }
    }

    private let producer: ProducerThread<Batch>
    private static var batchSize: Int { 4096 }

    /// Starts parsing `reader` (already past its header) on a new thread.
    convenience init(reader: CSVReader, parse: @escaping @Sendable (borrowing CSVRecord) -> Result<Row, RowProblem>) {
        self.init(reader: reader, parse: parse, finish: { $0 })
    }

    /// Parses on a new thread, then passes each batch's parsed rows, in file order, to `finish` on
    /// that thread too: for a stage that is faster on many rows at once than on one (the member
    /// lookups, which prefetch a few rows ahead). `finish` returns one row for each it is given.
    init<Parsed>(reader: CSVReader, parse: @escaping @Sendable (borrowing CSVRecord) -> Result<Parsed, RowProblem>,
                 finish: @escaping @Sendable (consuming [Parsed]) -> [Row]) {
        let box = UncheckedBox(reader)
        producer = ProducerThread(capacity: 8) { put in
            let reader = box.value
            var parsed: [Parsed] = []
            var problems: [(message: String, line: Int, encoding: Bool)] = []
            parsed.reserveCapacity(RowPipeline.batchSize)
            func flush() throws {
                var taken: [Parsed] = []
                swap(&taken, &parsed)
                let n = taken.count
                let rows = finish(consume taken)
                precondition(rows.count == n, "a pipeline stage must return one row per row")
                try put(Batch(rows: rows, problems: problems, bytesConsumed: reader.bytesConsumed))
                parsed.reserveCapacity(RowPipeline.batchSize)
                problems = []
            }
            try reader.forEachRecord({ record in
                switch parse(record) {
                case .success(let row): parsed.append(row)
                case .failure(let p): problems.append((p.message, record.line, false))
                }
                if parsed.count + problems.count >= RowPipeline.batchSize { try flush() }
            }, onError: { e in
                problems.append((StoreMessages.rows.unreadable(e), e.recordLine, e.kind != .unterminatedQuote))
            })
            try flush()
        }
    }

    /// The next batch in file order, or nil at the end. Rethrows a read error of the producer.
    func next() throws -> Batch? { try producer.next() }

    /// Stops the producer (the consumer failed) and waits for its thread to end.
    func cancelAndWait() { producer.cancel() }

    /// Waits for the producer thread after the last batch.
    func wait() { producer.wait() }
}

/// Hands a non-Sendable value to exactly one other thread, which then owns it.
final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
