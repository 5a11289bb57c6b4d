import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// The duplicates view's observation (a pass over every member: about a second at 1M) is re-read
/// only after a commit that may change the candidates: a tag, a note or a refused action's audit
/// line, by this process or another, costs one read of a version stamp, not a pass.
@Suite struct DuplicatesObservationCostTests {
    final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [MergeService.Candidates] = []
        func add(_ c: MergeService.Candidates) { lock.lock(); values.append(c); lock.unlock() }
        var all: [MergeService.Candidates] { lock.lock(); defer { lock.unlock() }; return values }
    }

    func wait(_ timeout: Double = 20, _ done: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end { if done() { return true }; usleep(10_000) }
        return done()
    }

    /// Waits until the feed has re-read after a commit (its read is counted), then a little more.
    func settled(_ store: Store, after reads: Int) -> Bool {
        let ok = wait { store.reads.value > reads }
        usleep(300_000)
        return ok
    }

    @Test func anUnrelatedCommitDoesNotPassOverTheMembersAgain() throws {
        let shop = try MergeShop()
        defer { shop.cleanup() }
        let store = shop.store
        let seen = Seen()
        let observation = store.observeDuplicates(onError: { Issue.record("\($0)") }) { seen.add($0) }
        defer { observation.cancel() }
        #expect(wait { seen.all.count == 1 })
        usleep(300_000)   // the region observation starts off the caller's thread
        let scans = store.duplicateScans.value
        #expect(scans == 1)

        // This process: a tag and a note (the change feed hears GRDB at once).
        var reads = store.reads.value
        try TagService(store: store).create("复购")
        try MemberActions.addTag(store, memberId: 1, tag: "复购")
        try MemberActions.addNote(store, memberId: 1, body: "来电")
        #expect(settled(store, after: reads))
        // Another process on the same file: a tag, and a refused action's audit line.
        let other = try Store(path: store.path, operatorName: store.operatorName)
        reads = store.reads.value
        try MemberActions.addTag(other, memberId: 2, tag: "复购")
        other.logRefusal("console merge", message: "only the owner can merge members")
        #expect(settled(store, after: reads))
        #expect(store.duplicateScans.value == scans, "an unrelated commit passed over every member again")
        #expect(seen.all.count == 1)

        // A dismiss changes the candidates: one pass, one fresh value.
        try MergeService(store: other, language: .en).dismiss("bob", "bob2")
        #expect(wait { seen.all.count == 2 })
        #expect(seen.all.last?.pairs.contains { $0.a.buyerId == "bob" } == false)
        #expect(store.duplicateScans.value >= scans + 1)
    }
}
