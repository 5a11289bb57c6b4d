import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// The key map's preload reads phones and identities as SQLite's bytes (MemberKeys.readMembers,
/// readIdentities): the same keys as the String rules.
@Suite struct KeyMapReadTests {
    @Test(arguments: ["13812345678", "+86 138-1234-5678", "8613812345678", "008613812345678", "138****5678", "23812345678",
                      "0571-88888888", "1381234567", "138123456789", "", "1381234567x", "１３８１２３４５６７８", "19912345678",
                      "1381234567８", "13812345678 ", " 13812345678"])
    func bytesGiveTheStringKey(_ raw: String) {
        var s = raw
        let fromBytes = s.withUTF8 { MemberKeys.phoneKey(bytes: UnsafeRawBufferPointer($0)) }
        #expect(fromBytes == MemberKeys.phoneKey(raw), "\(raw)")
        #expect(fromBytes == Phone.linkKey(raw).flatMap { UInt64($0) }, "\(raw)")
    }

    /// A preloaded map finds each identity row under its channel (a JD id that is also a Taobao
    /// buyer id stays two keys), and a member with an implicit Taobao identity and a JD row has both
    /// channels: a second JD identity with its phone does not link, it becomes a candidate.
    @Test func identitiesReadAsBytesKeepTheirChannels() throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try t.importer(bulk: false).run(.members, path: try t.file("tb.csv", "buyer_id,phone\nalice,13800000001\nbob,13800000002\n"))
        _ = try t.importer(bulk: false).run(.members, path: try t.file("jd.csv", "buyer_id,phone\njdA,13800000001\nalice,13800000009\n"), channel: .jd)
        try t.store.pool.write { db in
            let keys = try MemberKeys(db: db, expectedMembers: 10, preload: true)
            keys.channel = .jd
            let again = try keys.resolve(BulkLoader.MemberRow(buyerId: "jdA"))
            let alice = try Identities.find(db, channel: .taobao, externalId: "alice")!.member
            #expect(again.id == alice && !again.isNew)
            // "alice" in JD is a member of its own (its handle is not the Taobao buyer id).
            let jdAlice = try keys.resolve(BulkLoader.MemberRow(buyerId: "alice"))
            #expect(jdAlice.id != alice && !jdAlice.isNew)
            // Alice has Taobao and JD identities: another JD buyer with her phone is a candidate.
            var other = BulkLoader.MemberRow(buyerId: "jdB")
            other.phone = "13800000001"
            let b = try keys.resolve(other)
            #expect(b.isNew && keys.candidates.contains { $0.new == b.id && $0.other == alice })
            // Bob has only his implicit Taobao identity: a JD buyer with his phone links.
            var linked = BulkLoader.MemberRow(buyerId: "jdC")
            linked.phone = "13800000002"
            let c = try keys.resolve(linked)
            let bob = try Identities.find(db, channel: .taobao, externalId: "bob")!.member
            #expect(c.id == bob && !c.isNew && keys.linked == 1)
        }
    }
}
