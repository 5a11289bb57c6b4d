import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// The merge preview is a read: it works the merge out on a copy of the two members' rows taken in
/// one read snapshot, so it neither waits for another writer (an import holding the store) nor
/// holds up one, and its merged card is still exactly what the merge then does.
@Suite struct MergePreviewReadTests {
    @Test func aPreviewCompletesWhileAnotherConnectionHoldsTheWriteLock() throws {
        let s = try MergeShop(); defer { s.cleanup() }
        try TagService(store: s.store).add("老客", memberId: try #require(try s.id("alice2")), createIfMissing: true)
        try MemberActions.addNote(s.store, memberId: try #require(try s.id("alice2")), body: "同一个人")
        _ = try Identities.link(s.store, member: "alice2", channel: .jd, externalId: "jd_fang")
        // A session that waits at most 2 s for the write lock, while another holds it for 6 s.
        let impatient = MergeService(store: try Store(path: s.store.path, operatorName: s.store.operatorName, busyTimeout: 2), language: .en)
        let blocker = try DatabaseQueue(path: s.store.path)
        let locked = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? blocker.inTransaction(.immediate) { _ in
                locked.signal()
                Thread.sleep(forTimeInterval: 6)
                return .commit
            }
            finished.signal()
        }
        locked.wait()
        let started = Date()
        let preview = Result { try impatient.preview(keep: "alice", other: "alice2") }
        let took = Date().timeIntervalSince(started)
        finished.wait()
        let p = try preview.get()
        #expect(took < 2, "the preview waited \(took) s for the writer")
        #expect(p.merged.summary.tier == 2 && p.raisedByTotal)
        #expect(p.ordersMoving == 2 && p.notesMoving == 1 && p.identitiesMoving == 2)
        #expect(try s.id("alice2") != nil, "a preview changes nothing")

        let done = try s.service.merge(keep: "alice", other: "alice2")
        func unstamped(_ d: MemberDetail) -> MemberDetail {
            var d = d
            for i in d.identities.indices { d.identities[i].linkedAt = nil }
            return d
        }
        #expect(unstamped(done.merged) == unstamped(p.merged))
        #expect(done.keep == p.keep && done.other == p.other && done.ordersMoving == p.ordersMoving)
    }

    /// Every candidate pair of the shop (a blacklisted one, a masked phone, a rule tag): preview then
    /// merge, each on a fresh shop, give the same card.
    @Test func theMergedCardIsTheMergesForEveryPair() throws {
        for (keep, other) in [("alice", "alice2"), ("bob", "bob2"), ("carol", "carol2"), ("dave", "carol"), ("carol2", "alice")] {
            let s = try MergeShop(); defer { s.cleanup() }
            try _ = try MemberTierAdmin.setBlacklist(s.store, member: "bob2", on: true, reason: "刷单")
            let p = try s.service.preview(keep: keep, other: other)
            let done = try s.service.merge(keep: keep, other: other)
            var a = p.merged, b = done.merged
            for i in a.identities.indices { a.identities[i].linkedAt = nil }
            for i in b.identities.indices { b.identities[i].linkedAt = nil }
            #expect(a == b, "\(keep) ← \(other)")
            #expect(p.blacklistCarried == done.blacklistCarried && p.raisedByTotal == done.raisedByTotal)
        }
    }
}
