import Foundation
import Testing
import GRDB
@testable import ECRMStore

/// HandleSet keeps 24 bits of a handle's hash in its slot and confirms a slot whose bits match
/// byte for byte: two handles whose hashes share those bits (found here by trying names, a few
/// thousand for a pair) are two handles, and one in the set never makes the other look taken.
/// Random handles almost never share them (StoreHandlesTests' 5,000 handles: a chance in
/// thousands), so only pairs made to collide can tell a set that skips the comparison.
@Suite struct HandleSetCollisionTests {
    /// The hash bits a slot keeps (HandleSet: the top 24 of BuyerIndex.longHash).
    static func kept(_ handle: String) -> UInt64 {
        var s = handle
        return s.withUTF8 { BuyerIndex.longHash(UnsafeRawBufferPointer($0)) } >> 40
    }

    /// `count` pairs of distinct handles, each pair's hashes sharing their top 24 bits.
    static func collidingPairs(_ count: Int, prefix: String) -> [(String, String)] {
        var seen: [UInt64: String] = [:], pairs: [(String, String)] = []
        var i = 0
        while pairs.count < count {
            let h = "\(prefix)\(i)"
            let k = kept(h)
            if let other = seen.removeValue(forKey: k) { pairs.append((other, h)) } else { seen[k] = h }
            i += 1
        }
        return pairs
    }

    @Test func handlesSharingTheirHashBitsAreTwoHandles() {
        let pairs = Self.collidingPairs(12, prefix: "buyer-")
        for (a, b) in pairs {
            #expect(a != b && Self.kept(a) == Self.kept(b))
            let set = HandleSet()
            set.insert(a)
            #expect(set.contains(a))
            #expect(!set.contains(b), "\(b) looks taken once \(a) is in (their hashes share the kept bits)")
            set.insert(b)
            #expect(set.count == 2, "\(b) was taken for \(a) and not added")
            #expect(set.contains(a) && set.contains(b))
        }
        // All of them in one set that grows past its first size: each one there once, the other
        // of each pair not there until it is added.
        let set = HandleSet()
        for (a, _) in pairs { set.insert(a) }
        #expect(set.count == pairs.count)
        for (a, b) in pairs { #expect(set.contains(a) && !set.contains(b), "\(a) / \(b)") }
        for (_, b) in pairs { set.insert(b) }
        #expect(set.count == 2 * pairs.count)
        for (a, b) in pairs { #expect(set.contains(a) && set.contains(b), "\(a) / \(b)") }
    }

    /// A load gives a new member a free handle: a colliding handle in the store does not take it.
    @Test func aStoreHandleSharingTheBitsLeavesTheOtherFree() throws {
        let (a, b) = Self.collidingPairs(1, prefix: "jd-")[0]
        let t = try TempStore(); defer { t.cleanup() }
        _ = try t.importer(bulk: false).run(.members, path: try t.file("tb.csv", "buyer_id,nick\n\(a),甲\n"))
        var importer = t.importer(bulk: true)
        importer.preload = true
        let reports = try importer.run(files: [Importer.File(.members, try t.file("jd.csv", "buyer_id,nick\n\(b),乙\n\(a),丙\n"), channel: .jd)])
        #expect(reports.map(\.added) == [2])
        let handles = try t.store.pool.read { (db: Database) throws in
            try String.fetchAll(db, sql: "SELECT m.buyer_id FROM member_identity i JOIN member m ON m.id = i.member_id WHERE i.how = 'new' ORDER BY i.id")
        }
        // b is free (only a shares its bits), a is taken by the Taobao member.
        #expect(handles == [b, "jd:\(a)"])
    }
}
