import Foundation
import CStoreTuning

/// The second half of a search build: the spooled (gram, rank) pairs, read back a partition (a run
/// of the hash's top bytes, at most `partitionMax` pairs) at a time, sorted and encoded as posting
/// rows on two threads, and handed to the writing thread in key order (PartitionQueue).
struct PartitionSort: Sendable {
    let spool: PairSpool
    let layout: PostingLayout
    /// Per partition: its top bytes lo..<hi and how many pairs it holds.
    let plan: [(lo: Int, hi: Int, count: Int)]

    init(spool: PairSpool, layout: PostingLayout, partitionMax: Int) {
        self.spool = spool
        self.layout = layout
        let histogram = spool.histogram
        func pairs(top byte: Int) -> Int { histogram[(byte << 8)..<((byte + 1) << 8)].reduce(0, +) }
        var plan: [(lo: Int, hi: Int, count: Int)] = []
        var lo = 0
        while lo < 256 {
            var hi = lo, total = 0
            while hi < 256 && (hi == lo || total + pairs(top: hi) <= partitionMax) { total += pairs(top: hi); hi += 1 }
            plan.append((lo, hi, total))
            lo = hi
        }
        self.plan = plan
    }

    /// Starts `threads` threads that sort and encode the partitions (thread w takes partitions w,
    /// w + threads, …) into `queue`, at `nice` (0: unchanged); returns at once.
    func start(threads: Int, nice: Int32 = 0, into queue: PartitionQueue) {
        let largest = plan.map(\.count).max() ?? 0, largestGroup = spool.histogram.max() ?? 0
        for w in 0..<threads {
            queue.workerStarted()
            let thread = Thread {
                defer { queue.workerEnded() }
                if nice != 0 { _ = ecrm_lower_thread_priority(nice) }
                // One buffer for every partition of this thread: a fresh one each time cost a page
                // fault per 4 KB of pairs.
                let buffers = Buffers(pairs: largest, group: largestGroup)
                for k in stride(from: w, to: plan.count, by: threads) {
                    guard queue.mayBuild(k) else { return }
                    do {
                        let rows = try encode(partition: k, buffers)
                        guard queue.put(k, rows, buffers.out.bytes) else { return }
                    } catch {
                        queue.put(k, error)
                        return
                    }
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// A sorting thread's memory, reused for each of its partitions.
    private final class Buffers {
        let chunk = UnsafeMutablePointer<UInt64>.allocate(capacity: PairSpool.chunkPairs)
        let pairs: UnsafeMutablePointer<UInt64>
        /// Per top-16-bit group of a partition: where it starts, and where its next pair goes.
        let starts = UnsafeMutablePointer<Int>.allocate(capacity: (1 << 16) + 1)
        let next = UnsafeMutablePointer<Int>.allocate(capacity: 1 << 16)
        /// Room for the largest group, for the sort (RadixSort's `spare`).
        let spare: UnsafeMutableBufferPointer<UInt64>
        /// The encoded rows' bytes, and a small bucket's while it fills.
        let out = ByteBuffer(capacity: 1 << 20), bucketData = ByteBuffer(capacity: 4096)

        init(pairs: Int, group: Int) {
            self.pairs = .allocate(capacity: max(pairs, 1))
            spare = .allocate(capacity: max(group, 1))
        }
        deinit { chunk.deallocate(); pairs.deallocate(); starts.deallocate(); next.deallocate(); spare.deallocate() }
    }

    /// Partition k's pairs, read straight into their top-16-bit group (so the sort that follows
    /// works on cache-sized groups: its first, cache-missing level is done for free), sorted, and
    /// encoded.
    private func encode(partition k: Int, _ b: Buffers) throws -> [EncodedPostings.Row] {
        let histogram = spool.histogram
        let (l, u, total) = plan[k]
        let first = l << 8, width = (u - l) << 8
        let starts = b.starts, next = b.next, pairs = b.pairs
        starts[0] = 0
        for j in 0..<width { starts[j + 1] = starts[j] + histogram[first + j]; next[j] = starts[j] }
        try spool.read(topBytes: l..<u, into: b.chunk) { got in
            for h in got {
                let j = Int(h >> 48) &- first
                pairs[next[j]] = h
                next[j] += 1
            }
        }
        let sorted = UnsafeMutableBufferPointer(start: pairs, count: total)
        RadixSort.withScratch { scratch in
            for j in 0..<width where starts[j + 1] - starts[j] > 1 {
                RadixSort.sort(UnsafeMutableBufferPointer(rebasing: sorted[starts[j]..<starts[j + 1]]), fromShift: 40, scratch: scratch, spare: b.spare)
            }
        }
        return PostingEncoder.encode(sortedPairs: UnsafeBufferPointer(sorted), layout: layout, into: b.out, bucketData: b.bucketData)
    }
}

/// Encoded partitions passed from the sorting threads to the writing thread in key order.
///
/// In memory, a partition may be started only while fewer than `ahead` lie between it and the one
/// being written, which bounds memory at about `ahead` partitions. With a `spill` file (a build
/// that runs ahead of its writer, EarlyPairs), every partition may be built at once and its bytes
/// wait in the file.
final class PartitionQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [Int: Result<EncodedPostings, Error>] = [:]
    /// Spilled partitions: their rows, and where their bytes lie in `spill`.
    private var spilled: [Int: (rows: [EncodedPostings.Row], offset: Int64, count: Int)] = [:]
    private var spillEnd: Int64 = 0
    private let spill: SpoolFile?
    private var written = 0
    private var cancelled = false
    private let ahead: Int
    private var workers = 0

    init(ahead: Int = 2, spill: SpoolFile? = nil) {
        self.ahead = spill == nil ? ahead : Int.max
        self.spill = spill
    }

    fileprivate func workerStarted() { condition.lock(); workers += 1; condition.unlock() }

    fileprivate func workerEnded() {
        condition.lock(); defer { condition.unlock() }
        workers -= 1
        condition.broadcast()
    }

    /// A sorting thread waits until it may build partition k; false once the build is abandoned.
    fileprivate func mayBuild(_ k: Int) -> Bool {
        condition.lock(); defer { condition.unlock() }
        while k - written >= ahead && !cancelled { condition.wait() }
        return !cancelled
    }

    /// Partition k's rows and their bytes (kept in memory, or written to the spill file: the
    /// caller reuses the buffer). False when the spill failed (the writer will see why).
    fileprivate func put(_ k: Int, _ rows: [EncodedPostings.Row], _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let spill else {
            condition.lock(); defer { condition.unlock() }
            ready[k] = .success(EncodedPostings(rows: rows, bytes: Array(bytes)))
            condition.broadcast()
            return true
        }
        condition.lock()
        let offset = spillEnd
        spillEnd += Int64(bytes.count)
        condition.unlock()
        do {
            try spill.write(bytes, at: offset)
        } catch {
            put(k, error)
            return false
        }
        condition.lock(); defer { condition.unlock() }
        spilled[k] = (rows, offset, bytes.count)
        condition.broadcast()
        return true
    }

    fileprivate func put(_ k: Int, _ error: Error) {
        condition.lock(); defer { condition.unlock() }
        ready[k] = .failure(error)
        condition.broadcast()
    }

    /// The writer waits for partition k and passes it (with its bytes) to `body`.
    func take(_ k: Int, _ body: (EncodedPostings, UnsafeRawBufferPointer) throws -> Void) throws {
        condition.lock()
        while ready[k] == nil && spilled[k] == nil {
            if workers == 0 {   // every sorting thread stopped without it (cancelled)
                condition.unlock()
                throw StoreError.invalid("internal error: search partition \(k) was never built")
            }
            condition.wait()
        }
        let inMemory = ready.removeValue(forKey: k)
        let fromSpill = spilled.removeValue(forKey: k)
        condition.unlock()
        if let inMemory {
            let p = try inMemory.get()
            try p.bytes.withUnsafeBytes { try body(p, $0) }
        } else if let s = fromSpill, let spill {
            let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: max(s.count, 1), alignment: 8)
            defer { bytes.deallocate() }
            try spill.read(into: bytes.baseAddress!, count: s.count, at: s.offset)
            try body(EncodedPostings(rows: s.rows), UnsafeRawBufferPointer(rebasing: bytes[0..<s.count]))
        }
        condition.lock(); defer { condition.unlock() }
        written += 1
        condition.broadcast()
    }

    /// Stops the sorting threads (the writer is done, or failed) and waits for them to end.
    func cancelAndWait() {
        condition.lock(); defer { condition.unlock() }
        cancelled = true
        condition.broadcast()
        while workers > 0 { condition.wait() }
    }
}
