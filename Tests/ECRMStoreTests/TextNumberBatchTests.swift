import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// Text order numbers above every stored one go in batches without a look-up each (BulkLoader's
/// number high water); everything else is looked up. Either way: a repeat in the file is a
/// rejected row naming the kept line, a stored number is updated, another channel's is another order.
@Suite struct TextNumberBatchTests {
    @Test(arguments: [false, true])
    func batchedTextNumbersKeepEveryRule(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        var text = "order_id,buyer_id,paid_at,amount,status\n"
        for i in 100..<300 { text += "E\(i),b\(i % 7),2026-11-01 10:00:00,\(i).00,paid\n" }   // lines 2…201
        text += "E150,b1,2026-11-02 10:00:00,9.00,paid\n"    // line 202: repeats line 52
        text += "D9,b2,2026-11-02 10:00:00,9.00,paid\n"      // below the high water: looked up, new
        text += "E300,b3,2026-11-03 10:00:00,3.00,paid\n"    // above again
        let path = try t.file("o.csv", text)
        let importer = t.importer(bulk: bulk)
        let r = try importer.run(.orders, path: path)
        #expect(r.added == 202 && r.rejected == 1)
        #expect(r.problems.map(\.line) == [202])
        #expect(r.problems.first?.reason.contains("repeats line 52") == true)
        try t.store.pool.read { (db: Database) throws in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM orders WHERE channel = 'taobao' AND order_no IS NOT NULL") == 202)
            // The first row of a repeat wins.
            #expect(try Int64.fetchOne(db, sql: "SELECT amount FROM orders WHERE order_no = 'E150'") == 15_000)
            #expect(try MemberOrderListsTests.mismatches(db) == [])
        }
        // Again: nothing new; a changed amount of a stored number is an update, not a second order.
        let again = try importer.run(.orders, path: path)
        #expect(again.added == 0 && again.skipped == 202 && again.rejected == 1)
        let changed = try importer.run(.orders, path: try t.file("c.csv", "order_id,buyer_id,paid_at,amount,status\nE299,b5,2026-11-01 10:00:00,1.00,paid\nE301,b5,2026-11-01 10:00:00,1.00,paid\n"))
        #expect(changed.updated == 1 && changed.added == 1)
        // The same numbers in another channel are other orders.
        let jd = try importer.run(.orders, path: path, channel: .jd)
        #expect(jd.added == 202 && jd.rejected == 1)
        try t.store.pool.read { (db: Database) throws in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM orders WHERE order_no = 'E150'") == 2)
            #expect(try Int64.fetchOne(db, sql: "SELECT amount FROM orders WHERE order_no = 'E299' AND channel = 'taobao'") == 100)
            #expect(try MemberOrderListsTests.mismatches(db) == [])
            #expect(try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok")
        }
    }
}
