import Foundation
import CStoreTuning

/// The search build's pairs, generated, sorted and encoded from a MemberTextSpool on threads of
/// their own while the load's stats, order lists and indexes are written: those phases keep one
/// core busy writing and leave the other mostly idle, and this work (1.6-1.8 s of CPU at 1M
/// members) used to come after them, on both cores, behind a read of every member's text on the
/// writing thread. What is left for the build is to insert the rows.
///
/// The ranks come from the load's own paid orders (SearchRanks), as member_stats will have them;
/// the encoded partitions wait in a temporary file (PartitionQueue's spill) until the build takes
/// them, in order, as they are done.
final class EarlyPairs: @unchecked Sendable {
    struct Ready {
        let layout: PostingLayout
        let members: Int
        let ranks: SearchRanks
        let queue: PartitionQueue
        let partitions: Int
    }

    /// Pairs a partition holds: small, as the early threads sort while the load still holds
    /// its paid orders (peak memory).
    static let partitionMax = 1 << 19

    private let work: BackgroundResult<Ready>
    private init(_ work: BackgroundResult<Ready>) { self.work = work }

    /// Starts generating from `texts` (written completely) with members ranked by `ranks`, into
    /// temporary files in `directory`.
    static func start(texts: MemberTextSpool, ranks: SearchRanks, directory: String,
                      partitionMax: Int = EarlyPairs.partitionMax) -> EarlyPairs {
        EarlyPairs(BackgroundResult { try run(texts, ranks, directory: directory, partitionMax: partitionMax) })
    }

    /// Waits until the pairs are generated and their sorting has started; the partitions, or why
    /// there are none (the build then reads the table).
    func wait() -> Result<Ready, Error> { work.wait() }

    /// Stops the sorting threads of pairs that will not be used (after the generation, which
    /// runs to its end); at once for pairs already taken.
    func cancel() {
        if case .success(let ready) = wait() { ready.queue.cancelAndWait() }
    }

    /// Two threads (the build's two cores), each taking the next run of members from the spool;
    /// then two threads sorting partitions. All behind the writing threads: this work only fills
    /// the time they leave a core idle.
    private static func run(_ texts: MemberTextSpool, _ ranked: SearchRanks, directory: String, partitionMax: Int) throws -> Ready {
        let n = texts.count
        guard ranked.ranks.count == n else { throw StoreError.invalid("search ranks for \(ranked.ranks.count) members, texts for \(n)") }
        let layout = PostingLayout(memberCount: n)
        let spool = try PairSpool(directory: directory, threads: 2)
        let runs = RunClaims(count: texts.runs)
        let ranks = ranked.ranks
        try spool.fill(rkMask: layout.rkMask) { _, sink in
            _ = ecrm_lower_thread_priority(19)
            var grams = SpooledTextGrams()
            while let run = runs.next() {
                var expected = Int64(run * texts.runLength) + 1
                try texts.forEach(run: run) { id, nickBytes, nameBytes, phoneBytes in
                    // Ordinal = id - 1 only while the ids run 1, 2, 3…: the spool was written in id order.
                    guard id == expected else { throw StoreError.invalid("member texts out of id order") }
                    expected += 1
                    let rk = ranks[Int(id - 1)]
                    grams.forEach(nick: nickBytes, name: nameBytes, phone: phoneBytes) { sink.add($0, rk) }
                }
            }
        }
        let sort = PartitionSort(spool: spool, layout: layout, partitionMax: partitionMax)
        let queue = PartitionQueue(spill: try SpoolFile(in: directory))
        sort.start(threads: 2, nice: 19, into: queue)
        return Ready(layout: layout, members: n, ranks: ranked, queue: queue, partitions: sort.plan.count)
    }

    /// Hands out run numbers to the generating threads, in order.
    private final class RunClaims: @unchecked Sendable {
        private let lock = NSLock()
        private var nextRun = 0
        private let count: Int
        init(count: Int) { self.count = count }
        func next() -> Int? {
            lock.lock(); defer { lock.unlock() }
            guard nextRun < count else { return nil }
            nextRun += 1
            return nextRun - 1
        }
    }
}
