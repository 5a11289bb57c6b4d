import Foundation
import GRDB
import ECRMDomain

/// Every member's RFM measure and stored member_rfm row as a write transaction found them, read
/// on a second (reader) connection while the write goes on. In WAL mode a reader sees the last
/// commit, and nobody else can commit while the write holds the lock, so started after the lock
/// is taken this is exactly the store the write began from. A small import then measures again
/// only the members it touched (RFMEngine.refresh) instead of all of them after its rows.
final class RFMBase: @unchecked Sendable {
    struct Snapshot: Sendable {
        var settings: RFMSettings
        var ids: [Int64]
        var measures: [RFMMeasure]
        var stored: RFMResultWriter.Stored
    }

    private let done = DispatchSemaphore(value: 0)
    private var result: Result<Snapshot, Error> = .failure(CancellationError())

    /// Starts reading on its own thread. Call inside the write transaction (after the lock).
    static func start(_ store: Store, asOf: Day) -> RFMBase {
        let base = RFMBase()
        Thread.detachNewThread {
            base.result = Result {
                try store.pool.read { db in
                    let settings = try RFMEngine.loadConfig(db).settings(asOf: asOf)
                    let (ids, measures) = try RFMEngine.measureAll(db, settings: settings)
                    return Snapshot(settings: settings, ids: ids, measures: measures, stored: try RFMResultWriter.Stored.read(db))
                }
            }
            base.done.signal()
        }
        return base
    }

    /// Waits for the reading thread and hands its snapshot over (a second call gets an error):
    /// the caller then holds the only reference to its arrays and updates them in place, without
    /// a copy of a million measures.
    func take() throws -> Snapshot {
        done.wait()
        defer { result = .failure(CancellationError()) }
        return try result.get()
    }
}
