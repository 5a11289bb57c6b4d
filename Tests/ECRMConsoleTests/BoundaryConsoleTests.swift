import Foundation
import Testing
import GRDB
import TerminalKit
@testable import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// The console over a shop whose members sit on the RFM edges, figures worked out by hand, and
/// the card's phone masking checked on its own (not only through a golden).
@Suite struct BoundaryConsoleTests {
    /// Five buyers, as of the pinned day 2026-11-20 (n = 5 scored):
    /// F 1,2,3,4,5 → scores 1 + ⌊5i/5⌋ = 1…5, mean 3; M 100, 100 (tie: both 1), 300, 400, 500 yuan →
    /// 1,1,3,4,5, mean 2.8; R 200, 100, 50, 10, 0 days → 1…5, mean 3.
    /// m3 (3,3,3) sits on the means: high in all three → 重要价值客户 with m4 and m5 (3 members);
    /// m1 (1,1,1) and m2 (2,2,1) → 一般挽留客户 (2 members).
    /// Lifecycle: m1 last 200 days → 流失; m2 last 100 → 沉睡; m3 50, m4 10 (first 40), m5 0 (first 100) → 活跃.
    static func makeStore() throws -> Store {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecrm-edges-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try Store(path: dir.appendingPathComponent("shop.db").path, create: true, operatorName: "alice")
        let members = """
            buyer_id,nick,name,phone
            m1,一号买家,赵一,13800000001
            m2,二号买家,赵二,13800000002
            m3,三号买家,赵三,13912345678
            m4,四号买家,赵四,13800000004
            m5,五号买家,赵五,13800000005

            """
        let plan: [(String, [Int], String)] = [
            ("m1", [200], "100"), ("m2", [150, 100], "50"), ("m3", [70, 60, 50], "100"),
            ("m4", [40, 30, 20, 10], "100"), ("m5", [100, 80, 60, 30, 0], "100"),
        ]
        var orders = "order_id,buyer_id,paid_at,amount,status\n"
        var id = 0
        for (buyer, days, yuan) in plan {
            for d in days { id += 1; orders += "\(id),\(buyer),\(pinnedDay.adding(days: -d)) 10:00:00,\(yuan),paid\n" }
        }
        let m = dir.appendingPathComponent("m.csv").path, o = dir.appendingPathComponent("o.csv").path
        try members.write(toFile: m, atomically: true, encoding: .utf8)
        try orders.write(toFile: o, atomically: true, encoding: .utf8)
        _ = try Importer(store: store).run(.members, path: m)
        _ = try Importer(store: store).run(.orders, path: o)
        try RFMEngine.recompute(store, settings: RFMSettings(asOf: pinnedDay))
        return store
    }

    @Test func segmentsPaneCountsAMeanScoreAsHigh() throws {
        let h = Harness(store: try Self.makeStore())
        h.keys("2")
        let view = try #require(h.app.topView as? SegmentsView)
        #expect(h.pump { view.settings != nil }, "the stored summary never arrived")
        let text = h.screen().text()
        func count(_ name: String) -> Int? {
            guard let line = text.split(separator: "\n").first(where: { $0.contains(name) }),
                  let r = line.range(of: name) else { return nil }
            return line[r.upperBound...].split(separator: " ").first.flatMap { Int($0) }
        }
        #expect(count("重要价值客户") == 3, "\(text)")
        #expect(count("一般挽留客户") == 2, "\(text)")
        #expect(count("重要挽留客户") == 0, "\(text)")
        #expect(text.contains("生命周期  新客 0  活跃 3  沉睡 1  流失 1  未购买 0"), "\(text)")
        #expect(text.contains("已评分 5/5"), "\(text)")
    }

    @Test func theCardShowsTheMaskedPhoneOnly() throws {
        let h = Harness(store: try Self.makeStore(), role: .staff)
        h.app.handle(.paste("三号买家\n"))
        #expect(h.pump { h.app.topView is MemberCardView })
        let text = h.screen().text()
        #expect(text.contains("139****5678"), "\(text)")
        #expect(!text.contains("13912345678"), "the card shows the phone in clear before any reveal")
        // The card's RFM line: m3 on the means, important_value, active.
        #expect(text.contains("重要价值客户"), "\(text)")
    }

    /// The card masks on its own too: handed a clear phone (a store bug, a revealed copy kept), it
    /// still shows the masked form until this card reveals it.
    @Test func theCardMasksAClearPhoneItIsHanded() throws {
        let store = try Self.makeStore()
        let id = try #require(try store.pool.read { try MemberQueries.resolve($0, "三号买家") })
        var d = try #require(try store.pool.read { try MemberQueries.detail($0, id: id) })
        d.summary.phone = "13912345678"
        let card = CardText(d: d, labels: .zh, asOf: Day(year: 2026, month: 11, day: 20)!, revealedPhone: nil, utf8: true)
        let text = card.profile().map { $0.map(\.text).joined() }.joined(separator: "\n")
        #expect(text.contains("139****5678") && !text.contains("13912345678"), "\(text)")
    }
}
