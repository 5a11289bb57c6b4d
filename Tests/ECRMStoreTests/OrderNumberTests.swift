import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// Issue 18 part 1 and 2: text order numbers, unique within a channel, found by search in any channel.
/// Every import test runs both load paths (bulk and row by row).
@Suite struct OrderNumberTests {
    let header = "order_id,buyer_id,buyer_nick,paid_at,amount,status,items\n"

    func rows(_ t: TempStore) throws -> [String] {
        try t.store.pool.read {
            try String.fetchAll($0, sql: """
                SELECT coalesce(o.channel, 'taobao') || '|' || coalesce(o.order_no, o.order_id) || '|' || m.buyer_id || '|' || o.amount
                FROM orders o JOIN member m ON m.id = o.member_id ORDER BY 1
                """)
        }
    }

    @Test(arguments: [false, true])
    func textNumbersAreStoredAsWrittenAndFoundBySearch(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        let csv = header + """
            CD000982,a,甲,2026-01-05 10:00:00,10.00,paid,1
            E20241111000001,b,乙,2026-01-05 10:00:00,20.00,paid,1
            241111-123456789012345,c,丙,2026-01-05 10:00:00,30.00,paid,1
            #1001,d,丁,2026-01-05 10:00:00,40.00,paid,1
            S01-000123,e,戊,2026-01-05 10:00:00,50.00,paid,1
            '0012,f,己,2026-01-05 10:00:00,60.00,paid,1
            3900000000000000001,g,庚,2026-01-05 10:00:00,70.00,paid,1
             777 ,h,辛,2026-01-05 10:00:00,80.00,paid,1

            """ + #""=""00E9""",i,壬,2026-01-05 10:00:00,90.00,paid,1"# + "\n"
        let path = try t.file("o.csv", csv)
        let r = try t.importer(bulk: bulk).run(.orders, path: path)
        #expect(r.added == 9 && r.rejected == 0, "\(r.problems)")
        #expect(try rows(t) == [
            "taobao|#1001|d|4000", "taobao|0012|f|6000", "taobao|00E9|i|9000", "taobao|241111-123456789012345|c|3000",
            "taobao|3900000000000000001|g|7000", "taobao|777|h|8000", "taobao|CD000982|a|1000",
            "taobao|E20241111000001|b|2000", "taobao|S01-000123|e|5000",
        ])
        // A plain Taobao number stays its own integer key (no text kept); the rest keep their text.
        try t.store.pool.read { (db: Database) throws in
            #expect(try Int64.fetchOne(db, sql: "SELECT count(*) FROM orders WHERE order_no IS NULL AND order_id IN (777, 3900000000000000001)") == 2)
            #expect(try Int64.fetchOne(db, sql: "SELECT count(*) FROM orders WHERE order_no IS NOT NULL AND order_id >= ?", arguments: [OrderNumber.surrogateBase]) == 7)
            for (number, buyer) in [("CD000982", "a"), ("#1001", "d"), ("0012", "f"), ("12", nil), ("777", "h"), ("S01-000123", "e"),
                                    ("241111-123456789012345", "c"), ("3900000000000000001", "g")] {
                let found = try MemberSearch.search(db, number).map(\.buyerId)
                if let buyer {
                    #expect(found.first == buyer, "search \(number)")
                    #expect(try MemberQueries.resolve(db, number).flatMap { try MemberQueries.detail(db, id: $0) }?.summary.buyerId == buyer)
                } else {
                    #expect(!found.contains("f"), "12 is not 0012")
                }
            }
            let card = try MemberQueries.detail(db, id: MemberQueries.resolve(db, "CD000982")!)!
            #expect(card.recentOrders.map(\.orderId) == ["CD000982"])
            #expect(card.recentOrders.map(\.channel) == ["taobao"])
        }
        // The same file again changes nothing.
        let again = try t.importer(bulk: bulk).run(.orders, path: path)
        #expect(again.added == 0 && again.updated == 0 && again.skipped == 9 && again.rejected == 0)
        #expect(try rows(t).count == 9)
    }

    @Test(arguments: [false, true])
    func badOrderNumbersAreRejectedRowsAndRepeatsNameTheirLine(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        let long = String(repeating: "X", count: 65)
        let csv = header + """
            CD1,a,甲,2026-01-05 10:00:00,10.00,paid,1
            \(long),b,乙,2026-01-05 10:00:00,20.00,paid,1
            "C\u{7}D",c,丙,2026-01-05 10:00:00,30.00,paid,1
            ,d,丁,2026-01-05 10:00:00,40.00,paid,1
            CD1,e,戊,2026-01-05 10:00:00,50.00,paid,1
            \(String(repeating: "Y", count: 64)),f,己,2026-01-05 10:00:00,60.00,paid,1

            """
        let r = try t.importer(bulk: bulk).run(.orders, path: try t.file("o.csv", csv))
        #expect(r.added == 2)
        #expect(r.problems.map(\.line) == [3, 4, 5, 6])
        #expect(r.problems[0].reason.contains("longer than 64"))
        #expect(r.problems[1].reason.contains("control character"))
        #expect(r.problems[2].reason.contains("missing order_id"))
        #expect(r.problems[3].reason.contains("repeats line 2"))
        #expect(try rows(t) == ["taobao|CD1|a|1000", "taobao|\(String(repeating: "Y", count: 64))|f|6000"])
    }

    @Test(arguments: [false, true])
    func theSameNumberInTwoChannelsIsTwoOrders(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        let tb = try t.file("tb.csv", header + "1001,a,甲,2026-01-05 10:00:00,10.00,paid,1\n#1001,a,甲,2026-01-05 10:00:00,11.00,paid,1\n")
        let jd = try t.file("jd.csv", header + "1001,b,乙,2026-01-06 10:00:00,20.00,paid,2\n#1001,b,乙,2026-01-06 10:00:00,21.00,paid,1\n")
        #expect(try t.importer(bulk: bulk).run(.orders, path: tb).added == 2)
        let r = try t.importer(bulk: bulk).run(.orders, path: jd, channel: .jd)
        #expect(r.added == 2 && r.channel == "jd" && r.summary.contains("jd"))
        #expect(try rows(t) == ["jd|#1001|b|2100", "jd|1001|b|2000", "taobao|#1001|a|1100", "taobao|1001|a|1000"])
        try t.store.pool.read { (db: Database) throws in
            #expect(Set(try MemberSearch.search(db, "#1001").map(\.buyerId)) == ["a", "b"])
            #expect(Set(try MemberSearch.search(db, "1001").map(\.buyerId)) == ["a", "b"])
            let b = try MemberQueries.detail(db, id: MemberQueries.resolve(db, "b")!)!
            #expect(Set(b.recentOrders.map(\.channel)) == ["jd"])
            #expect(b.summary.paidCount == 2)
        }
        let again = try t.importer(bulk: bulk).run(.orders, path: jd, channel: .jd)
        #expect(again.added == 0 && again.skipped == 2 && again.rejected == 0)
        // A later jd file with a corrected amount replaces that order only.
        let fix = try t.file("jd2.csv", header + "#1001,b,乙,2026-01-06 10:00:00,5.00,refunded,1\n")
        let u = try t.importer(bulk: bulk).run(.orders, path: fix, channel: .jd)
        #expect(u.updated == 1 && u.added == 0)
        #expect(try rows(t) == ["jd|#1001|b|500", "jd|1001|b|2000", "taobao|#1001|a|1100", "taobao|1001|a|1000"])
        try t.store.pool.read { (db: Database) throws in
            #expect(try MemberQueries.detail(db, id: MemberQueries.resolve(db, "b")!)!.summary.paidCount == 1)
        }
        // Re-importing the file changes nothing.
        #expect(try t.importer(bulk: bulk).run(.orders, path: fix, channel: .jd).skipped == 1)
    }

    /// A repeat whose buyer is new to the store: the buyer's later orders still find their member.
    @Test(arguments: [false, true])
    func aRepeatFromANewBuyerLeavesEveryOrderWithItsMember(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        let csv = header + """
            E1,a,甲,2026-01-05 10:00:00,10.00,paid,1
            E1,z,壬,2026-01-05 10:00:00,10.00,paid,1
            E2,z,壬,2026-01-06 10:00:00,20.00,paid,1
            E3,y,癸,2026-01-06 10:00:00,30.00,paid,1
            4,z,壬,2026-01-07 10:00:00,40.00,paid,1

            """
        let r = try t.importer(bulk: bulk).run(.orders, path: try t.file("o.csv", csv))
        #expect(r.added == 4 && r.problems.map(\.line) == [3])
        try t.store.pool.read { (db: Database) throws in
            #expect(try Int64.fetchOne(db, sql: "SELECT count(*) FROM orders o LEFT JOIN member m ON m.id = o.member_id WHERE m.id IS NULL") == 0)
            #expect(try MemberQueries.detail(db, id: MemberQueries.resolve(db, "z")!)!.summary.paidCount == 2)
            #expect(try MemberSearch.search(db, "E3").first?.buyerId == "y")
        }
    }

    /// Text and plain numbers mixed in one big file: the numeric rows still go in batches, and
    /// a text order updated then repeated in the same file is a rejected repeat.
    @Test(arguments: [false, true])
    func mixedNumbersAndARepeatOfAStoredTextNumber(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        var csv = header
        for i in 1...300 { csv += (i % 3 == 0 ? "E\(i)" : "\(i)") + ",b\(i % 40),n,2026-01-05 10:00:00,\(i).00,paid,1\n" }
        let path = try t.file("o.csv", csv)
        #expect(try t.importer(bulk: bulk).run(.orders, path: path).added == 300)
        let second = try t.file("o2.csv", header + "E3,b1,n,2026-01-05 10:00:00,9.00,paid,1\nE3,b1,n,2026-01-05 10:00:00,8.00,paid,1\n")
        let r = try t.importer(bulk: bulk).run(.orders, path: second)
        #expect(r.updated == 1 && r.rejected == 1 && r.problems.first?.reason.contains("repeats line 2") == true)
        try t.store.pool.read { (db: Database) throws in
            #expect(try Int64.fetchOne(db, sql: "SELECT amount FROM orders WHERE order_no = 'E3'") == 900)
            #expect(try Int64.fetchOne(db, sql: "SELECT count(*) FROM orders") == 300)
            #expect(try Int64.fetchOne(db, sql: "SELECT sum(paid_count) FROM member_stats") == 300)
        }
    }
}
