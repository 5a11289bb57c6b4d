import Foundation
import CSVStream

/// Parses CSV rows on a second thread while the caller's thread writes them to SQLite.
/// On the two-core machines ecrm runs on, decoding and parsing then overlap with SQLite's B-tree work
/// instead of adding to it. Batches keep the hand-off cheap; a bound on queued batches keeps memory flat.
final class RowPipeline<Row: Sendable>: @unchecked Sendable {
    enum Item: Sendable {
        case row(Row, line: Int)
        case problem(String, line: Int)
    }

    struct Batch: Sendable {
        var items: [Item]
        var bytesConsumed: Int64
    }

    private let producer: ProducerThread<Batch>
    private static var batchSize: Int { 4096 }

    /// Starts parsing `reader` (already past its header) on a new thread.
    init(reader: CSVReader, parse: @escaping @Sendable (borrowing CSVRecord) -> Result<Row, RowProblem>) {
        let box = UncheckedBox(reader)
        producer = ProducerThread(capacity: 8) { put in
            let reader = box.value
            var batch: [Item] = []
            batch.reserveCapacity(RowPipeline.batchSize)
            try reader.forEachRecord({ record in
                switch parse(record) {
                case .success(let row): batch.append(.row(row, line: record.line))
                case .failure(let p): batch.append(.problem(p.message, line: record.line))
                }
                if batch.count >= RowPipeline.batchSize {
                    try put(Batch(items: batch, bytesConsumed: reader.bytesConsumed))
                    batch.removeAll(keepingCapacity: true)
                }
            }, onError: { e in
                batch.append(.problem(e.description, line: e.recordLine))
            })
            try put(Batch(items: batch, bytesConsumed: reader.bytesConsumed))
        }
    }

    /// Parses on the new thread, then passes each batch's parsed rows, in file order, to `finish`
    /// on that thread too: for a stage that is faster on many rows at once than on one (the member
    /// lookups, which prefetch a few rows ahead). `finish` returns one row for each it is given.
    init<Parsed>(reader: CSVReader, parse: @escaping @Sendable (borrowing CSVRecord) -> Result<Parsed, RowProblem>,
                 finish: @escaping @Sendable ([Parsed]) -> [Row]) {
        let box = UncheckedBox(reader)
        producer = ProducerThread(capacity: 8) { put in
            let reader = box.value
            var parsed: [Parsed] = []
            // Per record in file order: its line, and its problem if it was rejected.
            var records: [(line: Int, problem: String?)] = []
            parsed.reserveCapacity(RowPipeline.batchSize)
            records.reserveCapacity(RowPipeline.batchSize)
            func flush() throws {
                let rows = finish(parsed)
                precondition(rows.count == parsed.count, "a pipeline stage must return one row per row")
                var items: [Item] = []
                items.reserveCapacity(records.count)
                var next = 0
                for r in records {
                    if let p = r.problem { items.append(.problem(p, line: r.line)) } else { items.append(.row(rows[next], line: r.line)); next += 1 }
                }
                try put(Batch(items: items, bytesConsumed: reader.bytesConsumed))
                parsed.removeAll(keepingCapacity: true)
                records.removeAll(keepingCapacity: true)
            }
            try reader.forEachRecord({ record in
                switch parse(record) {
                case .success(let row): parsed.append(row); records.append((record.line, nil))
                case .failure(let p): records.append((record.line, p.message))
                }
                if records.count >= RowPipeline.batchSize { try flush() }
            }, onError: { e in
                records.append((e.recordLine, e.description))
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
