import Foundation
import GRDB

/// Every packed (gram, rank) pair of a search build, generated once and kept in unlinked
/// temporary files (SpoolFile) next to the store (one per generating thread: two threads appending to one
/// file wait on its inode lock), by the top byte of the gram hash: a partition of the build (a run
/// of top bytes) then reads back just its pairs.
///
/// Why a file: a 1M-member shop has about 40M pairs (320 MB), more than the import's memory target
/// allows at once, and regenerating them all for each of the ~11 partitions instead (hashing every
/// gram each time) was about 0.9 s of CPU a build. The file lives seconds and is unlinked from the
/// start, so it mostly stays in the page cache and nothing is left behind if the process dies.
final class PairSpool: @unchecked Sendable {
    /// Pairs per written chunk (8 KB): 256 buffers of it per generating thread, 4 MB in all
    /// while a fresh load's stats are merged (its peak memory).
    static let chunkPairs = 1024

    private var files: [SpoolFile] = []
    /// Pairs per value of the hash's top 16 bits.
    private(set) var histogram = [Int](repeating: 0, count: 1 << 16)
    /// The chunks of each top byte: which file, where in it, and how many pairs they hold.
    private var chunks = [[(file: Int, offset: Int64, count: Int)]](repeating: [], count: 256)

    /// The store's own directory (it has room for the store, so for this), or the system's
    /// temporary directory for a store without a file.
    static func directory(of db: Database) -> String {
        Maintenance.storeFile(db).map { ($0 as NSString).deletingLastPathComponent } ?? NSTemporaryDirectory()
    }

    /// Creates a file for each of `threads` generating threads in `directory`.
    init(directory: String, threads: Int) throws {
        for _ in 0..<max(1, threads) { files.append(try SpoolFile(in: directory)) }
    }

    /// What one generating thread made: its histogram and chunks, or why it stopped writing.
    fileprivate struct Part {
        var hist: [Int] = []
        var chunks: [(bucket: Int, offset: Int64, count: Int)] = []
        var failure: Error?
    }

    /// Generates every pair of `source` on one thread per file, each over its share of the
    /// members, while this thread runs `meanwhile` (the build writes its rank table then).
    func fill(_ source: GramSource, rkMask: UInt64, meanwhile: () throws -> Void) throws {
        let n = source.memberCount, threads = files.count
        try fill(rkMask: rkMask, meanwhile: meanwhile) { t, sink in
            source.forEachPair(members: (n * t / threads)..<(n * (t + 1) / threads)) { sink.add($0, $1) }
        }
    }

    /// Fills the spool on one new thread per file, each running `generate(thread, sink)`, which
    /// adds its (hash, rank) pairs to `sink`, while this thread runs `meanwhile`; returns when
    /// all are done, with the first error thrown (`meanwhile`'s first).
    func fill(rkMask: UInt64, meanwhile: () throws -> Void = {},
              _ generate: @escaping @Sendable (Int, Sink) throws -> Void) throws {
        let threads = files.count
        let group = DispatchGroup()
        // One slot per thread, each written only by its own thread.
        let parts = UnsafeMutableBufferPointer<Part>.allocate(capacity: threads)
        parts.initialize(repeating: Part())
        defer { parts.deinitialize(); parts.deallocate() }
        let slots = UncheckedBox(parts)
        for t in 0..<threads {
            group.enter()
            let thread = Thread { [self] in
                defer { group.leave() }
                let sink = Sink(spool: self, file: t, rkMask: rkMask)
                do {
                    try generate(t, sink)
                    slots.value[t] = sink.finish()
                } catch {
                    slots.value[t].failure = error
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        let meanwhileError: Error?
        do { try meanwhile(); meanwhileError = nil } catch { meanwhileError = error }
        group.wait()
        if let meanwhileError { throw meanwhileError }
        try merge(Array(parts))
    }

    private func merge(_ parts: [Part]) throws {
        for (t, part) in parts.enumerated() {
            if let failure = part.failure { throw failure }
            for (k, c) in part.hist.enumerated() { histogram[k] += c }
            for c in part.chunks { chunks[c.bucket].append((t, c.offset, c.count)) }
        }
    }

    /// One generating thread's buffers: a chunk per top byte, written to its file when full. Handed
    /// to the generating code itself (not behind a closure), so that adding a pair is inlined.
    final class Sink {
        let spool: PairSpool, file: Int, rkMask: UInt64
        let buffers = UnsafeMutablePointer<UInt64>.allocate(capacity: 256 * PairSpool.chunkPairs)
        let fill = UnsafeMutablePointer<Int>.allocate(capacity: 256)
        /// UInt32 counts: half the cache lines of Int for a table touched at random by every pair.
        let hist = UnsafeMutablePointer<UInt32>.allocate(capacity: 1 << 16)
        fileprivate var part = Part()
        var end: Int64 = 0

        init(spool: PairSpool, file: Int, rkMask: UInt64) {
            self.spool = spool; self.file = file; self.rkMask = rkMask
            fill.initialize(repeating: 0, count: 256)
            hist.initialize(repeating: 0, count: 1 << 16)
        }

        deinit { buffers.deallocate(); fill.deallocate(); hist.deallocate() }

        @inline(__always)
        func add(_ h: UInt64, _ rk: UInt32) {
            let cp = PairSpool.chunkPairs
            let b = Int(h >> 56)
            hist[Int(h >> 48)] += 1
            buffers[b * cp + fill[b]] = (h & ~rkMask) | UInt64(rk)
            fill[b] += 1
            if fill[b] == cp { flush(b) }
        }

        private func flush(_ b: Int) {
            let cp = PairSpool.chunkPairs
            if fill[b] > 0 && part.failure == nil {
                do {
                    try spool.files[file].write(UnsafeRawBufferPointer(start: buffers + b * cp, count: fill[b] * 8), at: end)
                    part.chunks.append((b, end, fill[b]))
                    end += Int64(fill[b] * 8)
                } catch { part.failure = error }
            }
            fill[b] = 0
        }

        fileprivate func finish() -> Part {
            for b in 0..<256 { flush(b) }
            part.hist = UnsafeBufferPointer(start: hist, count: 1 << 16).map { Int($0) }
            return part
        }
    }

    /// Calls `body` with every pair whose hash has a top byte in `topBytes`, a chunk at a time.
    func read(topBytes: Range<Int>, into buffer: UnsafeMutablePointer<UInt64>, _ body: (UnsafeBufferPointer<UInt64>) -> Void) throws {
        for b in topBytes {
            for c in chunks[b] {
                try files[c.file].read(into: buffer, count: c.count * 8, at: c.offset)
                body(UnsafeBufferPointer(start: buffer, count: c.count))
            }
        }
    }
}
