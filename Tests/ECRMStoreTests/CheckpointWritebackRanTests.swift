import Foundation
import Testing
import GRDB
@testable import ECRMStore

/// Review mend: the writeback helper of a checkpoint (Maintenance.whileWritingBack) is seen to run,
/// through the count of writebacks its thread started (Maintenance.writebacks; process-wide, so
/// other tests' checkpoints may add to it, never take away).
@Suite struct CheckpointWritebackRanTests {
    @Test func itsThreadStartsWritebackWhileTheBodyRuns() throws {
        let t = try TempStore(); defer { t.cleanup() }
        let before = Maintenance.writebacks.value
        Maintenance.whileWritingBack(t.path) { usleep(60_000) }   // six 10 ms ticks
        #expect(Maintenance.writebacks.value > before, "no writeback started during a 60 ms body")
    }

    @Test func itRanDuringTheCheckpointOfAnImport() throws {
        let t = try TempStore(); defer { t.cleanup() }
        var csv = "order_id,buyer_id,paid_at,amount\n"
        for i in 1...30_000 { csv += "\(i),w\(i),2026-03-\(String(format: "%02d", 1 + i % 28)) 09:30:00,\(i % 300).25\n" }
        let path = try t.file("o.csv", csv)
        let before = Maintenance.writebacks.value
        // Its WAL passes 1,000 pages: the commit's checkpoint copies them (about 35 ms with its sync).
        _ = try t.importer(bulk: false).run(.orders, path: path)
        #expect(WALFrames(t.path + "-wal").valid <= 1)
        #expect(Maintenance.writebacks.value > before, "the checkpoint's writeback thread started nothing")
    }
}
