import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// A channel's members file loaded with a preloaded key map writes its new members and identity
/// rows in multi-row batches (BulkLoader.pendingFull, pendingIdentities). As the first file of an
/// empty store in bulk mode, those members' texts also feed the early search build in id order:
/// the store must be the one a row-by-row load leaves, and every member must be found by search.
@Suite struct ChannelBatchLoadTests {
    /// `repeats`: a few buyers listed twice (the second row updates the member still waiting in the
    /// batch; it also stops the early search build, which then reads the table).
    static func jdMembers(repeats: Bool) -> String {
        var csv = "buyer_id,nick,name,phone,province\n"
        for i in 0..<150 {
            // Phones shared by pairs (candidates), some fields empty.
            let phone = i % 7 == 0 ? "" : "1390000\(String(format: "%04d", i / 2))"
            csv += "jd\(i),京东\(i)号,\(i % 3 == 0 ? "" : "名\(i)"),\(phone),\(i % 2 == 0 ? "" : "江苏")\n"
            if repeats && i % 40 == 5 { csv += "jd\(i),京东\(i)号改,名\(i)改,,浙江\n" }
        }
        return csv
    }

    @Test(arguments: [false, true])
    func firstChannelFileIntoAnEmptyStoreLeavesTheRowByRowStore(repeats: Bool) throws {
        let suite = PreloadedImportTests()
        var stores: [[String: [String]]] = []
        var reports: [String] = []
        for path in PreloadedImportTests.Path.allCases {
            let t = try TempStore(); defer { t.cleanup() }
            let file = try t.file("jd.csv", Self.jdMembers(repeats: repeats))
            let r = try suite.importer(t, path).run(.members, path: file, channel: .jd)
            reports.append(suite.counts(r))
            if path == .bulk && !repeats { #expect(r.searchBuild == "early") }
            stores.append(try suite.dump(t))
            // Found by its nick, through the early pairs (bulk) or the refresh.
            for i in [0, 5, 77, 149] {
                let found = try IdentityBenchSupport.search(t.store, "京东\(i)号")
                let id = try t.store.pool.read { try Identities.find($0, channel: .jd, externalId: "jd\(i)")?.member }
                #expect(found.count >= 1 && found.first == id, "\(path) jd\(i)")
            }
        }
        #expect(reports.allSatisfy { $0 == reports[0] }, "\(reports)")
        #expect(reports[0].hasPrefix(repeats ? "150+4~" : "150+0~"))
        for k in 1..<stores.count {
            for (table, rows) in stores[0] {
                #expect(stores[k][table] == rows, "\(PreloadedImportTests.Path.allCases[k]) \(table)")
            }
        }
    }
}
