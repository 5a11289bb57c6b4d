import Foundation
import Testing
import GRDB
import ECRMDomain
@testable import ECRMStore

/// The store's change feed (`observe…`): a value now, then after every commit that changes it,
/// from this process or from another one, delivered off the main thread.
@Suite struct ChangeFeedTests {
    /// What an observer was handed, collected across the feed's queue.
    final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [MemberDetail?] = []
        private(set) var onMainThread = false
        func add(_ d: MemberDetail?) {
            lock.lock(); defer { lock.unlock() }
            if Thread.isMainThread { onMainThread = true }
            values.append(d)
        }
        var last: MemberDetail?? { lock.lock(); defer { lock.unlock() }; return values.last }
        var count: Int { lock.lock(); defer { lock.unlock() }; return values.count }

        /// Waits (generously: a loaded machine) until the last value handed out satisfies `done`.
        func wait(timeout: Double = 20, _ done: (MemberDetail?) -> Bool) -> Bool {
            let end = Date().addingTimeInterval(timeout)
            while Date() < end {
                if let l = last, done(l) { return true }
                usleep(5_000)
            }
            return false
        }
    }

    /// A small demo shop operated by this OS user (so the `ecrm` binary, which acts for the real
    /// uid, is its owner too).
    private func shop() throws -> TempStore {
        let t = try TempStore(operatorName: OperatorIdentity.current())
        _ = try DemoShop(members: 30, seed: 3, endDay: Day(year: 2026, month: 11, day: 20)!).generate(into: t.store)
        return t
    }

    private func observe(_ store: Store, _ id: Int64, _ seen: Seen) -> StoreObservation {
        store.observeMember(id, asOf: Day(year: 2026, month: 11, day: 20)!,
                            onError: { Issue.record("observation failed: \($0)") },
                            onChange: { seen.add($0) })
    }

    @Test func anObserverGetsTheMemberNowAndAfterThisProcessWrites() throws {
        let t = try shop()
        defer { t.cleanup() }
        let seen = Seen()
        let observation = observe(t.store, 1, seen)
        #expect(seen.wait { $0?.summary.id == 1 }, "no first value")
        try MemberActions.addTag(t.store, memberId: 1, tag: "本进程")
        #expect(seen.wait { $0?.tags.contains("本进程") == true }, "this process's tag did not reach the observer")
        try MemberActions.addNote(t.store, memberId: 1, body: "一条备注")
        #expect(seen.wait { $0?.notes.first?.body == "一条备注" }, "this process's note did not reach the observer")
        #expect(!seen.onMainThread, "values must not be handed out on the main thread (the key loop never drains it)")
        observation.cancel()
        #expect(t.store.feed.observerCount == 0)
    }

    @Test func aWriteByAnotherProcessReachesAnObserver() throws {
        let t = try shop()
        defer { t.cleanup() }
        let binary = try #require(builtEcrmBinary(), "the ecrm binary is not built next to the tests")
        let buyer = try #require(try MemberQueries.detail(t.store, id: 2)?.summary.buyerId)
        try TagService(store: t.store).create("另一进程")
        let seen = Seen()
        let observation = observe(t.store, 2, seen)
        defer { observation.cancel() }
        #expect(seen.wait { $0?.summary.id == 2 }, "no first value")
        let before = seen.count
        // Another process: the real command line, writing the same file.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["tags", "add", "另一进程", buyer, "--db", t.path, "--lang", "en"]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "ecrm tags add failed: \(message)")
        #expect(seen.wait { $0?.tags.contains("另一进程") == true }, "another process's tag did not reach the observer")
        #expect(seen.count == before + 1, "one commit, one new value (unchanged re-reads are not handed out)")
    }

    @Test func aSecondStoreOnTheSameFileReachesAnObserverAndCancelStopsIt() throws {
        let t = try shop()
        defer { t.cleanup() }
        let other = try Store(path: t.path, operatorName: t.store.operatorName)
        let seen = Seen()
        let observation = observe(t.store, 3, seen)
        #expect(seen.wait { $0?.summary.id == 3 }, "no first value")
        #expect(t.store.feed.observerCount == 1)
        try MemberActions.addTag(other, memberId: 3, tag: "另一连接")
        #expect(seen.wait { $0?.tags.contains("另一连接") == true }, "a second pool's tag did not reach the observer")
        observation.cancel()
        #expect(t.store.feed.observerCount == 0)
        let after = seen.count
        try MemberActions.addTag(t.store, memberId: 3, tag: "取消之后")
        try MemberActions.addTag(other, memberId: 3, tag: "取消之后二")
        usleep(300_000)   // longer than the file watch's 30 ms quiet time
        #expect(seen.count == after, "a cancelled observation was still called")
    }

    @Test func aRefusedReadEndsTheObservationOnceInsteadOfLoggingForEver() throws {
        let t = try shop()
        defer { t.cleanup() }
        try t.store.addOperator("bob", role: "staff")
        let bob = try Store(path: t.path, operatorName: "bob")
        let seen = Seen()
        let errors = Seen()
        let observation = bob.observeMember(4, asOf: Day(year: 2026, month: 11, day: 20)!,
                                            onError: { _ in errors.add(nil) }, onChange: { seen.add($0) })
        defer { observation.cancel() }
        #expect(seen.wait { $0?.summary.id == 4 }, "no first value")
        try t.store.removeOperator("bob")
        // The next commit makes bob's feed read again: refused (bob is no operator now) and logged,
        // and that log row is itself a commit, which must not start another refused read.
        try MemberActions.addTag(t.store, memberId: 4, tag: "移除之后")
        #expect(errors.wait { _ in true }, "the refused read was not reported")
        usleep(500_000)
        #expect(errors.count == 1)
        let refusals = try t.store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM audit WHERE operator = 'bob' AND action = 'refused'")
        }
        #expect(refusals == 1, "one refused read, logged once")
    }
}

/// The `ecrm` that `swift test` built: next to the running test binary in `<scratch>/<triple>/debug/`.
func builtEcrmBinary() -> String? {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("ecrm").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return nil
}
