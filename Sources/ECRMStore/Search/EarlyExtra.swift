import Foundation
import CStoreTuning

/// The extra posting set's pairs (SearchExtra), generated, sorted and encoded on threads of their
/// own while a channel import's stats, order lists and indexes are written (EarlyPairs does the
/// same for a first import): those phases keep one core busy writing and leave the other mostly
/// idle, and this work (about 1.1 s of wall time for 400k members beside a 1M store) used to come
/// after them.
///
/// The pairs carry the extra members' ordinals, which SearchExtra gives in the rebuild's recency
/// order: buyers by (last paid moment, id) descending, then the others by id descending. The load
/// predicts them from what member_stats will say: each member's last paid moment before the load
/// (read with its text) and the load's own paid orders. SearchExtra then works the ordinals out as
/// before, from member_stats, and uses these postings only when its extra members, in ordinal
/// order, are exactly the predicted ones (no mover, no extra set before, no member it reads
/// otherwise); else it cancels them and builds as before.
///
/// Texts: the members the load created, as it appended them (`created`, a MemberTextSpool), but
/// for those it wrote again afterwards, which with the other members it wrote were read back from
/// the member table once the rows were in (`written`). Each extra member's text is used once.
final class EarlyExtra: @unchecked Sendable {
    struct Ready {
        /// The extra members by ordinal (SearchExtra's `extraIds`).
        let order: [Int32]
        let layout: PostingLayout
        let queue: PartitionQueue
        let partitions: Int
    }

    /// What the load hands over.
    struct Input: Sendable {
        /// The extra members, ascending: created and written ones.
        var members: [Int64] = []
        /// Each one's last paid moment as member_stats will have it (seconds, 0 = never paid).
        var stamps: [UInt64] = []
        /// Of `members`, whose text is in `created` (created and not written again).
        var fromCreated: [Bool] = []
    }

    /// Threads generating, then sorting: one, on the core the writing thread leaves idle (a second
    /// one would hold its buffers while mostly waiting for the writer's core), with small
    /// partitions: this runs while member_stats is merged, the import's peak memory.
    static let threads = 1
    static let partitionMax = 1 << 18

    /// Off: SearchExtra reads the texts and pairs them after the indexes, as before (tests compare both).
    nonisolated(unsafe) static var enabled = true

    /// Set by SearchExtra when it wrote these postings.
    private(set) var used = false
    func markUsed() { used = true }


    /// Starts on a thread of its own; `created` and `written` are written completely.
    static func start(_ input: Input, created: MemberTextSpool, written: MemberTextSpool, directory: String,
                      partitionMax: Int = EarlyExtra.partitionMax) -> EarlyExtra {
        running.add(directory, 1)
        let box = InputBox(input)
        return EarlyExtra(directory: directory, work: BackgroundResult {
            try run(box, created, written, directory: directory, partitionMax: partitionMax)
        })
    }

    /// Waits until the pairs are generated and their sorting has started.
    func wait() -> Result<Ready, Error> { work.wait() }

    /// Stops the sorting threads of postings that will not be used; at once for those already
    /// taken. Every EarlyExtra started is cancelled once done with, used or not: then none of its
    /// threads is left.
    func cancel() {
        if case .success(let ready) = wait() { ready.queue.cancelAndWait() }
        stopLock.lock(); defer { stopLock.unlock() }
        if !stopped { stopped = true; Self.running.add(directory, -1) }
    }

    private let directory: String
    private let stopLock = NSLock()
    private var stopped = false
    private let work: BackgroundResult<Ready>
    private init(directory: String, work: BackgroundResult<Ready>) { self.directory = directory; self.work = work }

    /// How many were started and not cancelled yet, by the directory of their temporary files
    /// (a store's: tests see that a load leaves none running).
    static let running = Running()

    final class Running: @unchecked Sendable {
        private let lock = NSLock()
        private var counts: [String: (running: Int, started: Int)] = [:]
        func add(_ directory: String, _ n: Int) {
            lock.lock(); defer { lock.unlock() }
            counts[directory, default: (0, 0)].running += n
            if n > 0 { counts[directory, default: (0, 0)].started += n }
        }
        func count(in directory: String) -> (running: Int, started: Int) { lock.lock(); defer { lock.unlock() }; return counts[directory] ?? (0, 0) }
    }

    /// The predicted ordinals, then the generating threads over the runs of both spools, then the
    /// sorting threads (`threads` each); all at the lowest priority, behind the writing thread.
    private static func run(_ box: InputBox, _ created: MemberTextSpool, _ written: MemberTextSpool,
                            directory: String, partitionMax: Int) throws -> Ready {
        _ = ecrm_lower_thread_priority(19)
        var clock = PhaseTimer()
        defer { TimingLog.search.write("search extra, early thread: \(clock.summary)") }
        var input = box.take()
        guard let maxId = input.members.last, input.members.first ?? 0 >= 0, maxId < Int64(Int32.max),
              input.stamps.count == input.members.count, input.fromCreated.count == input.members.count else {
            throw Unusable("no extra members to pair")
        }
        guard input.stamps.allSatisfy({ $0 < 1 << 32 }) else { throw Unusable("a paid moment past 2106") }
        // The rebuild's order among them: buyers by (last paid, id) descending, then the others by
        // id descending. Members are named by their index k in `members`, whose order is the ids'.
        var buyers: [UInt64] = [], others: [Int32] = []   // a buyer: stamp << 32 | k
        for (k, stamp) in input.stamps.enumerated() {
            if stamp != 0 { buyers.append(stamp << 32 | UInt64(k)) } else { others.append(Int32(k)) }
        }
        buyers.sort(by: >)
        // Per member (by its index in `members`, ids ascending): its ordinal, and where its text is.
        var ordAt = [Int32](repeating: -1, count: input.members.count)
        var order: [Int32] = []   // member ids by ordinal
        order.reserveCapacity(input.members.count)
        for key in buyers { let k = Int(key & 0xFFFF_FFFF); ordAt[k] = Int32(order.count); order.append(Int32(input.members[k])) }
        buyers = []
        for k in others.reversed() { ordAt[Int(k)] = Int32(order.count); order.append(Int32(input.members[Int(k)])) }
        others = []
        var expected = (created: 0, written: 0)
        var sourceAt = [UInt8](repeating: 0, count: input.members.count)   // 1: created, 2: written
        for (k, c) in input.fromCreated.enumerated() {
            sourceAt[k] = c ? 1 : 2
            if c { expected.created += 1 } else { expected.written += 1 }
        }
        let ids = input.members.map { Int32($0) }
        input = Input()
        let n = order.count
        let layout = PostingLayout(memberCount: n)
        let spool = try PairSpool(directory: directory, threads: threads)
        let jobs = Jobs(created: created.runs, written: written.runs)
        let counts = Counts()
        let ords = ordAt, sources = sourceAt
        ordAt = []; sourceAt = []
        try spool.fill(rkMask: layout.rkMask) { _, sink in
            _ = ecrm_lower_thread_priority(19)
            var grams = SpooledTextGrams()
            var used = (created: 0, written: 0)
            /// Where `id` is in `ids` (a binary search: 2 bytes a member, not 5 per id of the store).
            func index(of id: Int64) -> Int? {
                guard id >= 0, id < Int64(Int32.max) else { return nil }
                var lo = 0, hi = ids.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if Int64(ids[mid]) < id { lo = mid + 1 } else { hi = mid }
                }
                return lo < ids.count && Int64(ids[lo]) == id ? lo : nil
            }
            while let (fromCreated, run) = jobs.next() {
                let spool = fromCreated ? created : written
                let wanted: UInt8 = fromCreated ? 1 : 2
                try spool.forEach(run: run) { id, nickBytes, nameBytes, phoneBytes in
                    guard let k = index(of: id) else { throw Unusable("a member text the load did not name") }
                    // A created member written again: its text is the written one.
                    guard sources[k] == wanted else { return }
                    if fromCreated { used.created += 1 } else { used.written += 1 }
                    let rk = UInt32(ords[k])
                    grams.forEach(nick: nickBytes, name: nameBytes, phone: phoneBytes) { sink.add($0, rk) }
                }
            }
            counts.add(used)
        }
        // Every extra member's text once: a member appended twice, or not at all, is not paired here.
        guard counts.total == expected else { throw Unusable("the extra members' texts do not match the load's members") }
        clock.mark("pairs")
        let sort = PartitionSort(spool: spool, layout: layout, partitionMax: partitionMax)
        let queue = PartitionQueue(spill: try SpoolFile(in: directory))
        sort.start(threads: threads, nice: 19, into: queue)
        clock.mark("sorting started")
        return Ready(order: order, layout: layout, queue: queue, partitions: sort.plan.count)
    }

    /// Why early postings were not made (SearchExtra then builds as before: no one reads it but tests).
    struct Unusable: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// The input until the thread takes it (then only the thread holds it, and frees it early).
    private final class InputBox: @unchecked Sendable {
        private var input: Input?
        init(_ input: Input) { self.input = input }
        func take() -> Input { defer { input = nil }; return input ?? Input() }
    }

    /// Hands out the spools' runs to the generating threads: the created members', then the written ones'.
    private final class Jobs: @unchecked Sendable {
        private let lock = NSLock()
        private var claimed = 0
        private let created: Int, written: Int
        init(created: Int, written: Int) { self.created = created; self.written = written }
        /// (Whether a run of the created members' spool, which run), or nil when all are claimed.
        func next() -> (Bool, Int)? {
            lock.lock(); defer { lock.unlock() }
            guard claimed < created + written else { return nil }
            claimed += 1
            return claimed - 1 < created ? (true, claimed - 1) : (false, claimed - 1 - created)
        }
    }

    private final class Counts: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var total = (created: 0, written: 0)
        func add(_ c: (created: Int, written: Int)) {
            lock.lock(); defer { lock.unlock() }
            total.created += c.created; total.written += c.written
        }
    }
}
