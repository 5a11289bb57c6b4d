import Foundation
import Testing
import ECRMDomain
@testable import ECRMStore

/// The file watch behind the change feed wakes for commits, not for readers: every `ecrm` that only
/// reads (a search, `tags list`) opens the store read-write and closes it, and each close used to
/// re-read the pane on screen (with four readers looping, tens of re-reads a second).
@Suite struct StoreFileWatchReaderTests {
    final class Count: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func add() { lock.lock(); n += 1; lock.unlock() }
        var value: Int { lock.lock(); defer { lock.unlock() }; return n }
    }

    func ecrm(_ binary: String, _ args: [String], _ path: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args + ["--db", path, "--lang", "en"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "ecrm \(args.joined(separator: " ")) failed")
    }

    @Test func anotherProcessThatOnlyReadsWakesNothingAndACommitDoes() throws {
        let t = try TempStore(operatorName: OperatorIdentity.current())
        defer { t.cleanup() }
        _ = try DemoShop(members: 30, seed: 3, endDay: Day(year: 2026, month: 11, day: 20)!).generate(into: t.store)
        let binary = try #require(builtEcrmBinary(), "the ecrm binary is not built next to the tests")
        let wakes = Count()
        let watch = try #require(StoreFileWatch(storePath: t.path) { wakes.add() })
        defer { watch.stop() }
        // A first commit, so the WAL is not empty: a process opening a store whose WAL is empty
        // commits once itself (GRDB makes the WAL exist), which is a commit, not a read.
        try TagService(store: t.store).create("先写一笔")
        let end0 = Date().addingTimeInterval(20)
        while wakes.value == 0, Date() < end0 { usleep(5_000) }
        usleep(300_000)
        let base = wakes.value
        try #require(base >= 1, "this process's commit did not wake the watch")
        for args in [["tags", "list"], ["search", "王"], ["tiers", "show"]] { try ecrm(binary, args, t.path) }
        usleep(300_000)   // well past the watch's 30 ms quiet time
        #expect(wakes.value == base, "readers woke the change feed \(wakes.value - base) times")
        try ecrm(binary, ["tags", "create", "读者之后"], t.path)
        let end = Date().addingTimeInterval(20)
        while wakes.value == base, Date() < end { usleep(5_000) }
        #expect(wakes.value > base, "another process's commit did not wake the change feed")
    }
}
