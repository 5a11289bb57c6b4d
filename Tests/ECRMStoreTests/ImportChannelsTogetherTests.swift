import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// Several channels' files in one import (`Importer.File` with a channel each; the CLI's
/// `ecrm import jd members … orders … offline members … orders …`) leave the store exactly as one
/// import per file does: members, identities, phone links, candidates, orders, stats, order lists,
/// search (the members each query finds), and the same counts in each file's report. Each file keeps its own channel: a JD order
/// number and an offline one may be the same text.
@Suite struct ImportChannelsTogetherTests {
    typealias Path = PreloadedImportTests.Path

    /// The scenario's files (PreloadedImportTests.files): Taobao members and orders, then JD and
    /// offline members and orders sharing phones with them and with each other, a Shopify export
    /// and the JD members again. `together`: the four JD and offline files as one import.
    func run(_ path: Path, seed: UInt64, together: Bool) throws -> (store: [String: [String]], reports: [String], search: [String]) {
        let t = try TempStore(); defer { t.cleanup() }
        let files = try PreloadedImportTests.files(t, seed: seed)
        #expect(files[2].channel == .jd && files[5].channel == .offline)
        let loads: [[Int]] = together ? [[0], [1], [2, 3, 4, 5], [6], [7]] : files.indices.map { [$0] }
        var reports: [String] = []
        for load in loads {
            let got = try PreloadedImportTests().importer(t, path).run(files: load.map { Importer.File(files[$0].kind, files[$0].path, channel: files[$0].channel) })
            for (k, r) in zip(load, got) {
                #expect(r.channel == files[k].channel.rawValue)
                reports.append("\(files[k].path.split(separator: "/").last!): \(PreloadedImportTests().counts(r))")
            }
        }
        var search: [String] = []
        for q in ["jd1", "C2", "t3", "昵称", "名1", "0001", "JD-00003", "C-00003"] {
            let hits = try t.store.pool.read { try MemberSearch.search($0, q, limit: 5_000) }
            // As a set: a small load's refresh ranks its movers approximately (RankUpdate: to the
            // front, in paid order) until the next rebuild, so one refresh and four order them apart.
            search.append("\(q): " + hits.map(\.id).sorted().map { "\($0)" }.joined(separator: ","))
        }
        return (try PreloadedImportTests().dump(t), reports, search)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func channelsTogetherLeaveTheSameStoreAsOneImportEach(seed: UInt64) throws {
        for path in Path.allCases {
            let apart = try run(path, seed: seed, together: false)
            let together = try run(path, seed: seed, together: true)
            // The scenario links, makes candidates and has the same order number in two channels.
            #expect(apart.store["member_identity"]!.filter { $0.hasSuffix("|\"phone\"") }.count >= 8)
            #expect(apart.store["duplicate_candidate"]!.count > 10)
            #expect(together.reports == apart.reports, "\(path)")
            #expect(together.search == apart.search, "\(path)")
            PreloadedImportTests.expectSameStore(together.store, apart.store, "\(path)")
        }
    }

    /// Each file's orders are its own channel's: the same order number in JD and offline files of
    /// one import is two orders, each on its channel's buyer.
    @Test func eachFileKeepsItsChannel() throws {
        let t = try TempStore(); defer { t.cleanup() }
        let m = "buyer_id,phone\nb1,\n"
        let o = "order_id,buyer_id,paid_at,amount,status\nA-1,b1,2026-11-01 10:00:00,10.00,paid\n"
        let reports = try t.importer(bulk: false).run(files: [
            Importer.File(.members, try t.file("jm.csv", m), channel: .jd), Importer.File(.orders, try t.file("jo.csv", o), channel: .jd),
            Importer.File(.members, try t.file("om.csv", m), channel: .offline), Importer.File(.orders, try t.file("oo.csv", o), channel: .offline),
        ])
        #expect(reports.map(\.channel) == ["jd", "jd", "offline", "offline"])
        #expect(reports.map(\.added) == [1, 1, 1, 1])
        let rows = try t.store.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT o.channel, o.order_no, i.channel, i.external_id FROM orders o JOIN member_identity i ON i.id = o.identity_id ORDER BY o.channel
                """).map { "\($0[0] as String? ?? "")|\($0[1] as String? ?? "")|\($0[2] as String)|\($0[3] as String)" }
        }
        #expect(rows == ["jd|A-1|jd|b1", "offline|A-1|offline|b1"])
    }

    /// A phone an earlier row of the load wrote is the member's phone for the rows after it, in the
    /// same file or a later one, as if each had been imported on its own: a phone filled into an
    /// empty one links, a replaced phone links no more (MemberKeys.notePhone). Before, a later
    /// row saw only the phones the store and the load's new members had at first.
    @Test(arguments: PreloadedImportTests.Path.allCases)
    func aPhoneWrittenEarlierInTheLoadIsTheMembersPhone(path: PreloadedImportTests.Path) throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try t.importer(bulk: false).run(.members, path: try t.file("tb0.csv", "buyer_id,phone\nc,13800000002\n"))
        let taobao = "buyer_id,phone\na,\na,13800000001\nc,13800000003\n"
        let jd = "buyer_id,phone\nj1,13800000001\nj2,13800000002\nj3,13800000003\n"
        _ = try PreloadedImportTests().importer(t, path).run(files: [
            Importer.File(.members, try t.file("tb.csv", taobao)), Importer.File(.members, try t.file("jd.csv", jd), channel: .jd),
        ])
        let member = { (c: Channel, id: String) in try t.store.pool.read { try Identities.find($0, channel: c, externalId: id)?.member } }
        // a got its phone in this load: j1 links to a. c's phone went from …0002 to …0003: j3
        // links to c, j2 is a member of its own with no candidate.
        #expect(try member(.jd, "j1") == member(.taobao, "a"))
        #expect(try member(.jd, "j3") == member(.taobao, "c"))
        #expect(try member(.jd, "j2") != member(.taobao, "c"))
        #expect(try t.store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM duplicate_candidate") } == 0)
    }
}
