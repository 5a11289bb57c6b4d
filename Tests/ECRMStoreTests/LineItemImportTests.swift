import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// Issue 18 part 3: Shopify and TikTok Shop line-item exports, written here as real files.
@Suite struct LineItemImportTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    func importer(_ t: TempStore, bulk: Bool) -> Importer {
        var i = t.importer(bulk: bulk)
        i.timeZone = Self.shanghai
        i.today = Day(year: 2024, month: 12, day: 31)!
        return i
    }

    func orders(_ t: TempStore) throws -> [String] {
        try t.store.pool.read {
            try String.fetchAll($0, sql: """
                SELECT o.channel || '|' || o.order_no || '|' || m.buyer_id || '|' || o.paid_at || '|' || o.amount || '|' || o.status || '|' || o.items
                FROM orders o JOIN member m ON m.id = o.member_id ORDER BY o.order_no
                """)
        }
    }

    static let shopify = """
        Name,Email,Financial Status,Paid at,Lineitem quantity,Lineitem name,Total,Refunded Amount,Phone,Billing Name,Billing Province,Billing City
        #1001,ann@example.com,paid,2024-03-01 10:00:00 +0800,2,Tea,40.00,0.00,+8613812345678,Ann Li,Zhejiang,Hangzhou
        #1001,,,,1,Cup,,,,,,
        #1002,bob@example.com,partially_refunded,2024-03-02 02:00:00 +0000,1,Pot,100.00,30.00,,Bob Wu,Ontario,Toronto
        #1003,ann@example.com,refunded,2024-03-03 09:00:00 +0800,1,Tea,20.00,20.00,,Ann Li,Zhejiang,Hangzhou
        #1004,cat@example.com,pending,,3,Tea,60.00,,,Cat,,
        #1005,dan@example.com,voided,2024-03-04 09:00:00 +0800,1,Tea,10.00,,,Dan,,
        #1001,,,,4,Spoon,41.00,,,,,
        #1006,eve@example.com,paid,2024-03-05 10:00:00 +2500,1,Tea,10.00,,,Eve,,
        #1007,eve@example.com,shipped,2024-03-05 10:00:00 +0800,1,Tea,10.00,,,Eve,,
        #1007,,,,2,Cup,,,,,,

        """

    @Test(arguments: [false, true])
    func shopifyFoldsLineItemsIntoOrders(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        let path = try t.file("orders_export.csv", Self.shopify)
        let r = try importer(t, bulk: bulk).run(.orders, path: path)
        #expect(r.format == "shopify-orders" && r.channel == "shopify")
        #expect(r.added == 5)
        #expect(r.problems.map(\.line) == [9, 10, 11])
        #expect(r.problems[0].reason.contains("impossible time offset"))
        #expect(r.problems[1].reason.contains("unknown status 'shipped'"))
        #expect(r.problems[2].reason.contains("rejected on line 10"))
        // Line 8 repeats #1001 with another Total: kept from line 2, with a warning naming both lines.
        #expect(r.warnings.map(\.line) == [8])
        #expect(r.warnings.first?.reason.contains("Total '41.00' differs from line 2") == true)
        #expect(try orders(t) == [
            "shopify|#1001|ann@example.com|2024-03-01 10:00:00|4000|paid|7",
            "shopify|#1002|bob@example.com|2024-03-02 10:00:00|7000|paid|1",     // UTC 02:00 is 10:00 in Shanghai; 100 − 30 refunded
            "shopify|#1003|ann@example.com|2024-03-03 09:00:00|2000|refunded|1",
            "shopify|#1004|cat@example.com||6000|unpaid|3",
            "shopify|#1005|dan@example.com|2024-03-04 09:00:00|1000|closed|1",
        ])
        try t.store.pool.read { (db: Database) throws in
            let ann = try MemberQueries.detail(db, id: MemberQueries.resolve(db, "#1001")!)!
            #expect(ann.summary.buyerId == "ann@example.com" && ann.summary.paidCount == 1 && ann.summary.paidSum == 4000)
            #expect(ann.summary.name == "Ann Li" && ann.summary.province == "Zhejiang" && ann.summary.city == "Hangzhou")
            #expect(Set(ann.recentOrders.map(\.channel)) == ["shopify"])
        }
        let again = try importer(t, bulk: bulk).run(.orders, path: path)
        #expect(again.added == 0 && again.updated == 0 && again.skipped == 5)
        #expect(try orders(t).count == 5)
    }

    @Test(arguments: [false, true])
    func tiktokFoldsSKURowsAndMapsItsStatuses(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        let csv = """
            Order ID,Order Status,SKU ID,Quantity,Order Amount,Paid Time,Buyer Username,Recipient,Phone #,State,City
            576461234567890001,Completed,s1,1,$25.00,2024-05-01 08:00:00 -0700,tom_t,Tom,(+1)555****12,California,LA
            576461234567890001,Completed,s2,2,$25.00,2024-05-01 08:00:00 -0700,tom_t,Tom,(+1)555****12,California,LA
            576461234567890002,Awaiting shipment,s1,1,12.50,2024-05-02 09:00:00,amy_t,Amy,,Texas,Austin
            576461234567890003,Cancelled,s1,1,9.90,,amy_t,Amy,,Texas,Austin
            576461234567890004,Unpaid,s1,1,9.90,,amy_t,Amy,,Texas,Austin
            576461234567890005,To ship,s1,1,5.00,2024-05-03 09:00:00 +0800,amy_t,Amy,,Texas,Austin
            576461234567890005,To ship,s2,1,6.00,2024-05-03 09:00:00 +0800,bob_t,Amy,,Texas,Austin

            """
        let r = try importer(t, bulk: bulk).run(.orders, path: try t.file("tiktok.csv", csv))
        #expect(r.format == "tiktok-orders" && r.channel == "tiktok")
        #expect(r.added == 5 && r.rejected == 0)
        #expect(r.warnings.map(\.line) == [8, 8])
        #expect(r.warnings.contains { $0.reason.contains("Buyer Username 'bob_t' differs from line 7") })
        #expect(try orders(t) == [
            "tiktok|576461234567890001|tom_t|2024-05-01 23:00:00|2500|paid|3",
            "tiktok|576461234567890002|amy_t|2024-05-02 09:00:00|1250|paid|1",
            "tiktok|576461234567890003|amy_t||990|closed|1",
            "tiktok|576461234567890004|amy_t||990|unpaid|1",
            "tiktok|576461234567890005|amy_t|2024-05-03 09:00:00|500|paid|2",
        ])
        // TikTok's numbers are digits, but not Taobao's: a search finds the order all the same.
        try t.store.pool.read { (db: Database) throws in
            #expect(try MemberSearch.search(db, "576461234567890001").first?.buyerId == "tom_t")
        }
    }

    @Test func offsetsBecomeTheShopsLocalTime() throws {
        let z = Self.shanghai
        #expect(try ShopTime.local("2024-03-01 10:00:00 +0800", in: z).get().description == "2024-03-01 10:00:00")
        #expect(try ShopTime.local("2024-03-01T02:00:00Z", in: z).get().description == "2024-03-01 10:00:00")
        #expect(try ShopTime.local("2024-03-01 00:30:00 -05:30", in: z).get().description == "2024-03-01 14:00:00")
        #expect(try ShopTime.local("2024-03-01 10:00:00", in: z).get().description == "2024-03-01 10:00:00")
        for bad in ["2024-03-01 10:00:00 +2500", "2024-03-01 10:00:00 +0861", "2024-03-01 10:00:00 -1300", "2024-03-01 10:00:00 +08"] {
            guard case .failure(let p) = ShopTime.local(bad, in: z) else { Issue.record("\(bad) accepted"); continue }
            #expect(p.message.contains("offset"), "\(bad)")
        }
    }
}
