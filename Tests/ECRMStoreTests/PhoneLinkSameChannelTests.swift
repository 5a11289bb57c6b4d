import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// PRODUCT.md (One member across channels): a phone never links a new identity to a member that
/// already has an identity in the same channel. A Taobao member's identity is implicit (its
/// buyer_id, member.channel NULL), so this must hold for members already written to the store,
/// not only for those still in the load's own map: two Taobao buyers with one phone are two
/// members and one candidate, never one member.
@Suite struct PhoneLinkSameChannelTests {
    func count(_ t: TempStore, _ sql: String) throws -> Int { try t.store.pool.read { try Int.fetchOne($0, sql: sql)! } }

    @Test(arguments: [false, true])
    func aSecondTaobaoBuyerWithTheSamePhoneInALaterFileIsACandidate(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try t.importer(bulk: bulk).run(.members, path: try t.file("a.csv", "buyer_id,nick,phone\nalice,阿丽,13800000001\n"))
        let r = try t.importer(bulk: bulk).run(.members, path: try t.file("b.csv", "buyer_id,nick,phone\nalice2,丽丽,13800000001\n"))
        #expect(r.added == 1 && r.identitiesLinked == 0 && r.candidates == 1)
        #expect(try count(t, "SELECT count(*) FROM member") == 2)
        #expect(try count(t, "SELECT count(*) FROM member_identity") == 0)
        #expect(try count(t, "SELECT count(*) FROM duplicate_candidate WHERE evidence = 'phone'") == 1)
    }

    /// The same within one long file, whose first rows are written before its last are read.
    @Test(arguments: [false, true])
    func aLongTaobaoFileWithASharedPhoneKeepsBothMembers(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        var csv = "buyer_id,nick,phone\nbob,小波,13800000002\n"
        for i in 0..<30_000 { csv += "f\(i),填充,\(13900000000 + i)\n" }
        csv += "bob2,波波,13800000002\n"
        let r = try t.importer(bulk: bulk).run(.members, path: try t.file("long.csv", csv))
        #expect(r.added == 30_002 && r.identitiesLinked == 0 && r.candidates == 1)
        #expect(try count(t, "SELECT count(*) FROM member") == 30_002)
        #expect(try count(t, "SELECT count(*) FROM member_identity") == 0)
    }

    /// A Taobao member that got a JD identity by phone in an earlier file still has its Taobao
    /// identity: a later Taobao buyer with that phone is a candidate, and so is a later JD buyer.
    @Test(arguments: [false, true])
    func aLinkKeepsTheMembersOtherChannels(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try t.importer(bulk: bulk).run(.members, path: try t.file("a.csv", "buyer_id,nick,phone\nalice,阿丽,13800000001\n"))
        let jd = try t.importer(bulk: bulk).run(.members, path: try t.file("jd.csv", "buyer_id,nick,phone\njdA,京东阿丽,13800000001\n"), channel: .jd)
        #expect(jd.identitiesLinked == 1)
        let tb = try t.importer(bulk: bulk).run(.members, path: try t.file("b.csv", "buyer_id,nick,phone\nalice2,丽丽,13800000001\n"))
        #expect(tb.identitiesLinked == 0 && tb.candidates == 1)
        let jd2 = try t.importer(bulk: bulk).run(.members, path: try t.file("jd2.csv", "buyer_id,nick,phone\njdB,京东B,13800000001\n"), channel: .jd)
        #expect(jd2.identitiesLinked == 0)
        #expect(try count(t, "SELECT count(*) FROM member") == 3)
    }
}
