import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// A preloaded key map keeps only the identity keys of the load's channels (and Taobao's); another
/// channel's rows count only for their members' channels (MemberKeys.readIdentities). The phone
/// rules that depend on those channels must come out as with the whole map.
@Suite struct ChannelKeyFilterTests {
    static let taobao = "buyer_id,phone\nalice,13800000001\nbob,13800000002\ncarol,13800000003\n"
    static let jd = "buyer_id,phone\njdA,13800000001\njdX,13800000009\n"
    static let offlineFirst = "buyer_id,phone\noffC,13800000003\n"
    /// Rows whose outcome depends on other channels' identities: alice has Taobao and JD (an offline
    /// id with her phone links); carol already has an offline card (a second one is a candidate);
    /// jdX's member has JD only (links); an offline id equal to a JD id and to a handle.
    static let offlineSecond = "buyer_id,phone\noffC,\noffA,13800000001\noffC2,13800000003\noffX,13800000009\njdA,\njdX,13800000008\n"

    func store() throws -> TempStore {
        let t = try TempStore()
        _ = try t.importer(bulk: false).run(.members, path: try t.file("tb.csv", Self.taobao))
        _ = try t.importer(bulk: false).run(.members, path: try t.file("jd.csv", Self.jd), channel: .jd)
        _ = try t.importer(bulk: false).run(.members, path: try t.file("off1.csv", Self.offlineFirst), channel: .offline)
        return t
    }

    @Test func filteredMapResolvesAsTheWholeMap() throws {
        let t = try store(); defer { t.cleanup() }
        let rows = Self.offlineSecond.split(separator: "\n").dropFirst().map { line -> BulkLoader.MemberRow in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            var r = BulkLoader.MemberRow(buyerId: f[0])
            r.phone = f[1].isEmpty ? nil : f[1]
            return r
        }
        var outcomes: [[String]] = []
        try t.store.pool.write { db in
            for channels in [nil, Set([Channel.offline])] {
                let keys = try MemberKeys(db: db, expectedMembers: 10, preload: true, at: "2026-12-01 00:00:00", channels: channels)
                keys.channel = .offline
                var out = try rows.map { r -> String in
                    let w = try keys.resolve(r)
                    let e = w.extra
                    return "\(r.buyerId)→\(w.id) new=\(w.isNew) handle=\(e?.handle ?? "-") how=\(e?.identity?.how.rawValue ?? "-") overwrite=\(e?.overwrite ?? false)"
                }
                out += keys.candidates.map { "candidate \($0.new)-\($0.other) \($0.detail)" }
                out.append("linked \(keys.linked)")
                outcomes.append(out)
            }
        }
        #expect(outcomes[0] == outcomes[1])
        // The rules themselves: offA links to alice (she has no offline card), offC2 is a candidate
        // with carol, offX links to jdX's member, the offline "jdX" gets a handle of its own.
        let alice = try t.store.pool.read { try Identities.find($0, channel: .taobao, externalId: "alice")!.member }
        #expect(outcomes[1].contains { $0.hasPrefix("offA→\(alice) new=false") })
        #expect(outcomes[1].contains { $0.hasPrefix("offC2→") && $0.contains("new=true") })
        #expect(outcomes[1].contains { $0.hasPrefix("candidate") })
        #expect(outcomes[1].contains { $0.hasPrefix("jdX→") && $0.contains("handle=offline:jdX") })
    }

    /// The same through the importer: preloaded (filtered) and row by row leave the same store.
    @Test func preloadedImportEqualsRowByRow() throws {
        var dumps: [[String: [String]]] = []
        for preload in [false, true] {
            let t = try store(); defer { t.cleanup() }
            var importer = t.importer(bulk: false)
            importer.preload = preload
            _ = try importer.run([(.members, try t.file("off2.csv", Self.offlineSecond)),
                                  (.orders, try t.file("off2o.csv", "order_id,buyer_id,paid_at,amount,status\nS1,offA,2026-11-01 10:00:00,10.00,paid\nS2,offX,2026-11-02 10:00:00,20.00,paid\nS3,jdX,2026-11-03 10:00:00,5.00,paid\n"))],
                                 channel: .offline)
            dumps.append(try PreloadedImportTests().dump(t))
        }
        #expect(dumps[0] == dumps[1])
        #expect(dumps[1]["duplicate_candidate"]?.isEmpty == false)
    }
}
