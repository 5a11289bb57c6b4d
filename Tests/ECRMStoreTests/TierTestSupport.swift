import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// A small shop for the tier tests: buyers and their paid orders imported through the real Importer.
struct TierShop {
    let t: TempStore
    var store: Store { t.store }
    private var nextOrderId: Int64 = 1000

    /// `paid`: buyer → yuan paid (one order each, dated `day`).
    init(_ paid: [(String, Int)], day: String = "2026-01-10") throws {
        t = try TempStore()
        if !paid.isEmpty { try importOrders(paid, day: day) }
    }

    func cleanup() { t.cleanup() }

    /// Imports one paid order per (buyer, yuan); returns the CSV path (to re-import it later).
    @discardableResult
    mutating func importOrders(_ paid: [(String, Int)], day: String = "2026-01-10", status: String = "paid") throws -> String {
        var csv = "order_id,buyer_id,buyer_nick,paid_at,amount,status,items\n"
        for (buyer, yuan) in paid {
            nextOrderId += 1
            csv += "\(nextOrderId),\(buyer),,\(day) 10:00:00,\(yuan),\(status),1\n"
        }
        let path = try t.file("orders-\(nextOrderId).csv", csv)
        let report = try Importer(store: store).run(.orders, path: path)
        try #require(report.rejected == 0, "fixture rows rejected: \(report.problems)")
        return path
    }

    func reimport(_ path: String) throws -> ImportReport {
        try Importer(store: store).run(.orders, path: path)
    }

    /// Another session on the same file, as `user` (added as an operator with `role` when given).
    func session(_ user: String, role: String? = nil) throws -> Store {
        if let role { try store.pool.write { try Operators.add($0, user: user, role: role, by: store.operatorName) } }
        return try Store(path: t.path, operatorName: user)
    }

    func tier(_ buyer: String) throws -> Int {
        try store.pool.read { try Int.fetchOne($0, sql: "SELECT tier FROM member WHERE buyer_id = ?", arguments: [buyer]) ?? -1 }
    }

    func tierSource(_ buyer: String) throws -> String? {
        try store.pool.read { try String.fetchOne($0, sql: "SELECT tier_source FROM member WHERE buyer_id = ?", arguments: [buyer]) }
    }

    func tiers() throws -> [String: Int] {
        try store.pool.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT buyer_id, tier FROM member").map { ($0[0] as String, $0[1] as Int) })
        }
    }

    func audit(_ action: String) throws -> [Audit.Entry] {
        try store.pool.read { try Audit.recent($0, limit: 1000) }.filter { $0.action == action }
    }

    func publishedCount() throws -> Int {
        try store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM tier_publish") ?? 0 }
    }

    /// Saves `ladder` as the draft, previews and publishes it as the owner.
    @discardableResult
    func publish(_ ladder: TierLadder, confirmFloor: Bool = false) throws -> TierService.PublishResult {
        try TierService.saveDraft(store, ladder)
        return try TierService.publish(store, reviewed: try TierService.preview(store), confirmFloor: confirmFloor)
    }
}

/// Ladder with the first `tiers.count` levels enabled: (threshold in yuan — or orders for `.count`, discount ‰).
func makeLadder(_ tiers: [(Int64, Int)], metric: TierMetric = .amount, floor: Int? = nil) -> TierLadder {
    var l = TierLadder.initial
    l.metric = metric
    l.distributorFloor = floor
    for (i, (threshold, discount)) in tiers.enumerated() {
        l[i + 1].enabled = true
        l[i + 1].threshold = metric == .amount ? threshold * 100 : threshold
        l[i + 1].discount = discount
    }
    return l
}

/// 100 yuan → 9.8折, 500 → 9.5折, 2000 → 9.2折.
let standardLadder = makeLadder([(100, 980), (500, 950), (2000, 920)])

/// The error a throwing call threw, as a TierServiceError (nil when it did not throw one).
func tierError(_ body: () throws -> Void) -> TierServiceError? {
    do { try body(); return nil } catch let e as TierServiceError { return e } catch { return nil }
}
