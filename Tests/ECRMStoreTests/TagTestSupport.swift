import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// Five buyers whose RFM facts are known by hand at as-of 2026-06-30 (the RFMEngineTests shop,
/// with member profiles): a important_value/active, b general_winback/new, c general_winback/
/// sleeping, d none/lost, e none/never bought (refund only).
struct TagShop {
    let t: TempStore
    var store: Store { t.store }
    static let asOf = Day.parse("2026-06-30")!

    static let members = """
        buyer_id,nick,name,phone,gender,birthday,province,city,joined_at
        a,阿甲,张一,13800000001,F,1990-12-30,浙江省,杭州市,2025-01-01
        b,阿乙,张二,13800000002,M,2000-01-02,浙江省,宁波市,2025-01-01
        c,阿丙,张三,13800000003,F,1992-02-29,江苏省,南京市,2025-01-01
        d,阿丁,张四,13800000004,U,1985-07-04,北京,北京,2025-01-01
        e,阿戊,张五,13800000005,F,,上海,上海,2025-01-01
        """

    /// The same orders as the RFM engine's shop, so its hand-checked figures hold here too.
    static let orders = RFMEngineTests.orders

    init(operatorName: String = "owner1", recompute: Bool = true) throws {
        t = try TempStore(operatorName: operatorName)
        _ = try Importer(store: t.store).run(.members, path: try t.file("m.csv", Self.members))
        _ = try Importer(store: t.store).run(.orders, path: try t.file("o.csv", Self.orders))
        if recompute { try RFMEngine.recompute(t.store, settings: RFMSettings(asOf: Self.asOf)) }
    }

    func cleanup() { t.cleanup() }

    func id(_ buyer: String) throws -> Int64 {
        try #require(try store.pool.read { try Int64.fetchOne($0, sql: "SELECT id FROM member WHERE buyer_id = ?", arguments: [buyer]) }, "no member \(buyer)")
    }

    /// Buyers carrying the tag, sorted.
    func holders(_ tag: String) throws -> [String] {
        try store.pool.read {
            try String.fetchAll($0, sql: """
                SELECT m.buyer_id FROM member_tag mt JOIN tag t ON t.id = mt.tag_id JOIN member m ON m.id = mt.member_id
                WHERE t.name = ? ORDER BY m.buyer_id
                """, arguments: [tag])
        }
    }

    func buyers(_ ids: [Int64]) throws -> [String] {
        try store.pool.read { db in try ids.map { try #require(try String.fetchOne(db, sql: "SELECT buyer_id FROM member WHERE id = ?", arguments: [$0]), "no member id \($0)") } }
    }

    func importOrders(_ csvRows: String, name: String) throws {
        var importer = Importer(store: store)
        importer.today = Day(year: 2027, month: 12, day: 31)!   // the fixtures replay orders up to 2027
        let r = try importer.run(.orders, path: try t.file(name, "order_id,buyer_id,paid_at,amount,status\n" + csvRows))
        try #require(r.rejected == 0, "fixture rows rejected: \(r.problems)")
    }

    func session(_ user: String, role: String?) throws -> Store {
        if let role { try store.pool.write { try Operators.add($0, user: user, role: role, by: store.operatorName) } }
        return try Store(path: t.path, operatorName: user)
    }

    func audit(_ action: String) throws -> [Audit.Entry] {
        try store.pool.read { try Audit.recent($0, limit: 1000) }.filter { $0.action == action }
    }
}
