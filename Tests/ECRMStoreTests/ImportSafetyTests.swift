import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

/// Issue 15 part A: an import never garbles, drops or invents data. Every test runs both load
/// paths (bulk: dropped indexes, batched appends, keys resolved on the parsing thread; small: row
/// by row, keys looked up in the store).
@Suite struct ImportSafetyTests {
    let header = "order_id,buyer_id,buyer_nick,paid_at,amount,status,items\n"

    func nicks(_ t: TempStore) throws -> [String] {
        try t.store.pool.read { try String.fetchAll($0, sql: "SELECT DISTINCT nick FROM member ORDER BY nick") }
    }

    // MARK: defect 1: one bad byte must not garble a UTF-8 file

    /// 50 good UTF-8 rows and one with the byte 0xFF: the file is UTF-8, the bad row is rejected
    /// with its line, and every nick is stored as written (not 灏忔槑).
    @Test(arguments: [false, true])
    func oneBadByteInAUTF8FileRejectsOnlyItsRow(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        var bytes = Array(header.utf8)
        for i in 1...50 { bytes += Array("\(i),b\(i),小明,2026-01-05 10:00:00,12.50,paid,1\n".utf8) }
        bytes += Array("51,b51,小".utf8) + [0xFF] + Array("明,2026-01-05 10:00:00,12.50,paid,1\n".utf8)
        let path = t.dir + "/bad-byte.csv"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let r = try t.importer(bulk: bulk).run(.orders, path: path)
        #expect(r.encoding == "UTF-8")
        #expect(r.added == 50)
        #expect(r.rejected == 1)
        #expect(r.problems.map(\.line) == [52])
        #expect(r.problems.first?.reason.contains("UTF-8") == true)
        #expect(try nicks(t) == ["小明"])
        #expect(r.failure(path: path) == nil)
    }

    // MARK: defect 2: duplicates inside one file are rejected rows, the first wins

    @Test(arguments: [false, true])
    func aDuplicateOrderInANewStoreIsARejectedRowNamingBothLines(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        let csv = header + """
            1,b1,甲,2026-01-05 10:00:00,10.00,paid,1
            2,b2,乙,2026-01-05 10:00:00,20.00,paid,1
            3,b3,丙,2026-01-05 10:00:00,30.00,paid,1
            2,b2,乙,2026-01-05 10:00:00,99.00,paid,1
            4,b4,丁,2026-01-05 10:00:00,40.00,paid,1
            2,b9,壬,2026-01-05 10:00:00,1.00,paid,1

            """
        let r = try t.importer(bulk: bulk).run(.orders, path: try t.file("o.csv", csv))
        #expect(r.added == 4)
        #expect(r.rejected == 2)
        #expect(r.problems.map(\.line) == [5, 7])
        #expect(r.problems.allSatisfy { $0.reason.contains("line 3") })
        #expect(!r.problems.contains { $0.reason.contains("SQLite") || $0.reason.contains("constraint") })
        try t.store.pool.read { (db: Database) throws in
            #expect(try Int64.fetchOne(db, sql: "SELECT amount FROM orders WHERE order_id = 2") == 2000)
            // The rejected row's unknown buyer is not invented.
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM member WHERE buyer_id = 'b9'") == 0)
            #expect(try Int64.fetchOne(db, sql: "SELECT paid_sum FROM member_stats WHERE member_id = (SELECT id FROM member WHERE buyer_id = 'b2')") == 2000)
        }
        // Re-importing the same file changes nothing, and reports the same duplicates.
        let again = try t.importer(bulk: bulk).run(.orders, path: try t.file("o2.csv", csv))
        #expect(again.added == 0 && again.updated == 0 && again.skipped == 4 && again.rejected == 2)
    }

    /// In a store that already has orders, a duplicate with another amount no longer overwrites
    /// the first row, whether its id is above or below the ids already stored.
    @Test(arguments: [false, true])
    func aDuplicateInAStoreWithOrdersDoesNotOverwriteTheFirst(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try t.importer(bulk: bulk).run(.orders, path: try t.file("o0.csv", header + """
            100,b1,甲,2026-01-05 10:00:00,10.00,paid,1
            200,b1,甲,2026-01-06 10:00:00,10.00,paid,1

            """))
        let csv = header + """
            150,b2,乙,2026-01-05 10:00:00,20.00,paid,1
            300,b2,乙,2026-01-05 10:00:00,30.00,paid,1
            150,b2,乙,2026-01-05 10:00:00,77.00,paid,1
            300,b2,乙,2026-01-05 10:00:00,88.00,paid,1
            100,b1,甲,2026-01-05 10:00:00,10.00,paid,1
            100,b1,甲,2026-01-05 10:00:00,55.00,paid,1

            """
        let r = try t.importer(bulk: bulk).run(.orders, path: try t.file("o.csv", csv))
        #expect(r.added == 2 && r.skipped == 1 && r.updated == 0)
        #expect(r.rejected == 3)
        #expect(r.problems.map(\.line) == [4, 5, 7])
        try t.store.pool.read { (db: Database) throws in
            #expect(try Int64.fetchAll(db, sql: "SELECT amount FROM orders ORDER BY order_id") == [1000, 2000, 1000, 3000])
        }
    }

    /// Decision (README): a later file's row for an order already stored replaces it (a newer
    /// export is the truth: refunds, corrected amounts) and is counted as updated, never silently.
    @Test func aLaterFileChangingAStoredOrderCountsAsUpdated() throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try Importer(store: t.store).run(.orders, path: try t.file("a.csv", header + "1,b1,甲,2026-01-05 10:00:00,10.00,paid,1\n"))
        let r = try Importer(store: t.store).run(.orders, path: try t.file("b.csv", header + "1,b1,甲,2026-01-05 10:00:00,12.00,paid,1\n"))
        #expect(r.updated == 1 && r.added == 0 && r.rejected == 0)
        #expect(try t.store.pool.read { try Int64.fetchOne($0, sql: "SELECT amount FROM orders") } == 1200)
    }

    /// Whatever the store refuses at write time (here a trigger stands for any constraint the parser
    /// did not foresee) is a rejected row with its line, in a batched run, a lone row and a row that
    /// creates its buyer, never a raw SQLite error and never the whole file.
    @Test(arguments: [false, true])
    func aRowTheStoreRefusesIsARejectedRowNotAnSQLiteError(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        try t.store.pool.write { db in
            try db.execute(sql: "CREATE TRIGGER refuse BEFORE INSERT ON orders WHEN NEW.amount = 4242 BEGIN SELECT RAISE(ABORT, 'xyzzy raw text'); END")
        }
        var csv = header
        for i in 1...80 { csv += "\(i),b\(i % 3),n,2026-01-05 10:00:00,\(i == 40 || i == 79 ? "42.42" : "1.00"),paid,1\n" }
        csv += "0,b1,n,2026-01-05 10:00:00,42.42,paid,1\n"      // below the stored ids: a lone row
        csv += "81,newbuyer,n,2026-01-05 10:00:00,42.42,paid,1\n"  // creates its buyer
        let r = try t.importer(bulk: bulk).run(.orders, path: try t.file("o.csv", csv))
        #expect(r.added == 78)
        #expect(r.rejected == 4)
        #expect(r.problems.map(\.line) == [41, 80, 82, 83])
        for p in r.problems {
            #expect(!p.reason.contains("SQLite") && !p.reason.contains("xyzzy") && !p.reason.contains("constraint"), "\(p)")
        }
        #expect(try t.store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM orders") } == 78)
    }

    /// A members file the store refuses outright stops with one line a person can act on, not
    /// SQLite's text, and loads nothing.
    @Test(arguments: [false, true])
    func aMembersLoadTheStoreRefusesIsOneClearLine(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        try t.store.pool.write { db in
            try db.execute(sql: "CREATE TRIGGER refuse BEFORE INSERT ON member WHEN NEW.nick = 'x' BEGIN SELECT RAISE(ABORT, 'xyzzy raw text'); END")
        }
        let path = try t.file("m.csv", "buyer_id,nick\nb1,a\nb2,x\n")
        do {
            _ = try t.importer(bulk: bulk).run(.members, path: path)
            Issue.record("the import went through")
        } catch let e as StoreError {
            #expect(!e.description.contains("SQLite") && !e.description.contains("xyzzy"), "\(e)")
            #expect(e.description.contains("m.csv"))
        }
        #expect(try t.store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM member") } == 0)
    }

    // MARK: defect 3: ambiguous amounts

    @Test(arguments: [false, true])
    func ambiguousAmountsAreRejectedWithAReason(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        let csv = header + """
            1,b1,甲,2026-01-05 10:00:00,12.50,paid,1
            2,b1,甲,2026-01-05 10:00:00,¥12.50,paid,1
            3,b1,甲,2026-01-05 10:00:00,"1,234.50",paid,1
            4,b1,甲,2026-01-05 10:00:00,"12,5",paid,1
            5,b1,甲,2026-01-05 10:00:00,"12,50",paid,1
            6,b1,甲,2026-01-05 10:00:00,"1,23.4",paid,1

            """
        let r = try t.importer(bulk: bulk).run(.orders, path: try t.file("o.csv", csv))
        #expect(r.added == 3 && r.rejected == 3)
        #expect(r.problems.map(\.line) == [5, 6, 7])
        #expect(r.problems.allSatisfy { $0.reason.contains("ambiguous") })
        #expect(try t.store.pool.read { try Int64.fetchAll($0, sql: "SELECT amount FROM orders ORDER BY order_id") } == [1250, 1250, 123_450])
    }

    // MARK: defect 4: identities are cleaned

    @Test(arguments: [false, true])
    func buyerAndOrderIdsAreTrimmedAndBlankOrControlIdsRejected(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try t.importer(bulk: bulk).run(.members, path: try t.file("m.csv", "buyer_id,nick\nb1,甲\n\" b2 \",乙\n\"b\u{0}3\",丙\n\"  \",丁\n"))
        let csv = header + """
            1,b1,甲,2026-01-05 10:00:00,1.00,paid,1
            2, b1,甲,2026-01-05 10:00:00,1.00,paid,1
            " 3 ",b1 ,甲,2026-01-05 10:00:00,1.00,paid,1
            4,,无名,2026-01-05 10:00:00,1.00,paid,1
            5,"  ",无名,2026-01-05 10:00:00,1.00,paid,1
            6,"b\u{0}1",甲,2026-01-05 10:00:00,1.00,paid,1
            7,"b\u{1B}1",甲,2026-01-05 10:00:00,1.00,paid,1
            8,b2, 乙 ,2026-01-05 10:00:00,1.00,paid,1

            """
        let r = try t.importer(bulk: bulk).run(.orders, path: try t.file("o.csv", csv))
        #expect(r.added == 4)
        #expect(r.rejected == 4)
        #expect(r.problems.map(\.line) == [5, 6, 7, 8])
        #expect(r.membersCreated == 0)
        try t.store.pool.read { (db: Database) throws in
            #expect(try String.fetchAll(db, sql: "SELECT buyer_id FROM member ORDER BY buyer_id") == ["b1", "b2"])
            #expect(try Int.fetchOne(db, sql: "SELECT paid_count FROM member_stats WHERE member_id = (SELECT id FROM member WHERE buyer_id = 'b1')") == 3)
        }
    }

    // MARK: defect 6: a paid time in the future

    @Test(arguments: [false, true])
    func aPaidTimeMoreThanADayAfterTheImportDateIsRejected(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        let csv = header + """
            1,b1,甲,2026-03-01 23:00:00,1.00,paid,1
            2,b1,甲,2026-03-02 23:59:59,1.00,paid,1
            3,b1,甲,2026-03-03 00:00:00,1.00,paid,1
            4,b1,甲,2099-01-01 10:00:00,5000.00,paid,1

            """
        var importer = t.importer(bulk: bulk)
        importer.today = Day.parse("2026-03-01")!
        let r = try importer.run(.orders, path: try t.file("o.csv", csv))
        #expect(r.added == 2 && r.rejected == 2)
        #expect(r.problems.map(\.line) == [4, 5])
        #expect(r.problems.allSatisfy { $0.reason.contains("future") })
        #expect(try t.store.pool.read { try Int64.fetchOne($0, sql: "SELECT paid_sum FROM member_stats") } == 200)
    }

    // MARK: defect 5: a file nothing of which could be read

    /// A GBK file read as UTF-8 rejects every row for its encoding: the report says so, in one
    /// line that names the fix; a file whose every row is bad for other reasons says that.
    @Test func aFileWhoseEveryRowIsRejectedIsAFailureWithWhatToDo() throws {
        let t = try TempStore(); defer { t.cleanup() }
        let gbk = try t.gbkFile("gbk.csv", [
            ["order_id", "buyer_id", "buyer_nick", "paid_at", "amount"],
            ["1", "张三", "张三的店", "2026-01-05 10:00:00", "1.00"],
            ["2", "李四", "李四", "2026-01-05 10:00:00", "2.00"],
        ])
        let r = try Importer(store: t.store).run(.orders, path: gbk, encoding: .utf8)
        #expect(r.added == 0 && r.rejected == 2)
        let line = try #require(r.failure(path: gbk))
        #expect(line.contains("gbk.csv") && line.contains("--encoding gb18030"))
        #expect(!line.contains("\n"))
        // (Order numbers are text since issue 18: a missing one makes the junk row.)
        let junk = try t.file("junk.csv", header + ",b1,甲,2026-01-05 10:00:00,1.00,paid,1\n")
        let j = try Importer(store: t.store).run(.orders, path: junk)
        let jl = try #require(j.failure(path: junk))
        #expect(jl.contains("every row") && !jl.contains("encoding"))
        // A header-only file is not a failure.
        let empty = try t.file("empty.csv", header)
        #expect(try Importer(store: t.store).run(.orders, path: empty).failure(path: empty) == nil)
    }
}
