import Foundation
import Testing
@testable import ECRMStore

@Suite struct PairSpoolTests {
    /// Members with Chinese, Latin and empty fields, enough of them that every top byte gets
    /// several chunks (2048 pairs each), in id order as the build loads them.
    private static func source(members: Int) -> GramSource {
        var texts: [UInt32] = [], starts: [UInt32] = [], ranks: [UInt32] = [], phones: [UInt64] = []
        for m in 0..<members {
            starts.append(UInt32(texts.count))
            SearchText.append(m % 7 == 0 ? "" : "小明\(m)号amy", to: &texts)
            starts.append(UInt32(texts.count))
            SearchText.append(m % 5 == 0 ? "" : "王\(m % 97)", to: &texts)
            ranks.append(UInt32((m * 7919) % members))
            phones.append(Gram.phoneTailKey(SearchText.normalized(String(13_800_000_000 + m))) ?? 0)
        }
        starts.append(UInt32(texts.count))
        return GramSource(texts: texts, starts: starts, ranks: ranks, phoneKeys: phones)
    }

    /// What the spool reads back for each run of top bytes is exactly the pairs generated for it,
    /// whatever thread (and file) made them, and its histogram counts them.
    @Test(arguments: [1, 2, 3])
    func readsBackEveryGeneratedPairByTopByte(threads: Int) throws {
        let t = try TempStore(); defer { t.cleanup() }
        let source = Self.source(members: 40_000)
        let rkMask: UInt64 = (1 << 16) - 1
        var expected: [UInt64] = []
        source.forEachPair(members: 0..<source.memberCount) { h, rk in expected.append((h & ~rkMask) | UInt64(rk)) }
        #expect(expected.count > 256 * PairSpool.chunkPairs)   // several chunks a top byte

        let spool = try PairSpool(directory: t.dir, threads: threads)
        var ranMeanwhile = false
        try spool.fill(source, rkMask: rkMask) { ranMeanwhile = true }
        #expect(ranMeanwhile)
        #expect(spool.histogram.reduce(0, +) == expected.count)

        let chunk = UnsafeMutablePointer<UInt64>.allocate(capacity: PairSpool.chunkPairs)
        defer { chunk.deallocate() }
        var all: [UInt64] = []
        for range in [0..<1, 1..<100, 100..<255, 255..<256] {
            var got: [UInt64] = []
            try spool.read(topBytes: range, into: chunk) { got.append(contentsOf: $0) }
            #expect(got.allSatisfy { range.contains(Int($0 >> 56)) })
            #expect(got.count == range.reduce(0) { n, b in n + spool.histogram[(b << 8)..<((b + 1) << 8)].reduce(0, +) })
            all += got
        }
        #expect(all.sorted() == expected.sorted())
    }

    /// When the work done meanwhile fails, the generating threads are still waited for, and its
    /// error is the one the build reports.
    @Test func aFailureMeanwhileIsReportedAfterTheThreadsEnd() throws {
        let t = try TempStore(); defer { t.cleanup() }
        let spool = try PairSpool(directory: t.dir, threads: 2)
        #expect(throws: StoreError.conflict("rank table")) {
            try spool.fill(Self.source(members: 1000), rkMask: 0xFFF) { throw StoreError.conflict("rank table") }
        }
    }

    /// A directory the file cannot go in is a clear error naming it, before anything is generated.
    @Test func anUnwritableDirectoryIsAClearError() throws {
        let missing = "/nonexistent-ecrm-dir/sub"
        do {
            _ = try PairSpool(directory: missing, threads: 2)
            Issue.record("expected an error")
        } catch let e as StoreError {
            #expect(e.description.contains("temporary file") && e.description.contains(missing))
        }
    }

    /// The file is unlinked at once: nothing is left in the directory, even while it is in use.
    @Test func leavesNoFileBehind() throws {
        let t = try TempStore(); defer { t.cleanup() }
        let before = try FileManager.default.contentsOfDirectory(atPath: t.dir)
        let spool = try PairSpool(directory: t.dir, threads: 2)
        try spool.fill(Self.source(members: 100), rkMask: 0xFF) {}
        #expect(try FileManager.default.contentsOfDirectory(atPath: t.dir) == before)
    }
}
