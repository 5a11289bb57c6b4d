import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

@Suite struct ImportTests {
    let membersCSV = """
        \u{FEFF}buyer_id,nick,name,phone,gender,birthday,province,city,joined_at
        b1,张三的店,张三,13812345678,M,1990-05-01,浙江,杭州,2024-01-02 10:00:00
        b2,小明,王小明,13900001111,F,1988-12-31,广东,深圳,2024-02-03 11:00:00
        ,无名,,,,,,,
        b3,"Amy, ""the"" buyer",李娜,,X,,,,
        b4,坏生日,,,,1990-02-30,,,

        """

    @Test func membersImportCountsAndReportsBadRowsWithLines() throws {
        let t = try TempStore(); defer { t.cleanup() }
        let report = try Importer(store: t.store).run(.members, path: try t.file("m.csv", membersCSV))
        #expect(report.added == 2)
        #expect(report.rejected == 3)
        #expect(report.problems.map(\.line) == [4, 5, 6])
        #expect(report.problems[0].reason.contains("buyer_id"))
        #expect(report.problems[1].reason.contains("gender"))
        #expect(report.problems[2].reason.contains("birthday"))
        #expect(report.encoding == "UTF-8")
        let nick = try t.store.pool.read { try String.fetchOne($0, sql: "SELECT nick FROM member WHERE buyer_id = 'b1'") }
        #expect(nick == "张三的店")
        // A quoted field with a comma and doubled quotes is stored as written between the quotes
        // (b3 above is rejected for its gender, so import it again with a valid one).
        let quoted = try Importer(store: t.store).run(.members, path: try t.file("q.csv", "buyer_id,nick,gender\nb3,\"Amy, \"\"the\"\" buyer\",F\n"))
        #expect(quoted.added == 1 && quoted.rejected == 0)
        let amy = try t.store.pool.read { try String.fetchOne($0, sql: "SELECT nick FROM member WHERE buyer_id = 'b3'") }
        #expect(amy == "Amy, \"the\" buyer")
    }

    @Test func reimportChangesNothingAndUpdatesOnlyRealChanges() throws {
        let t = try TempStore(); defer { t.cleanup() }
        let path = try t.file("m.csv", membersCSV)
        _ = try Importer(store: t.store).run(.members, path: path)
        let again = try Importer(store: t.store).run(.members, path: path)
        #expect(again.added == 0 && again.updated == 0 && again.skipped == 2 && again.rejected == 3)
        let changed = try t.file("m2.csv", "buyer_id,city\nb1,宁波\nb2,\n")
        let r = try Importer(store: t.store).run(.members, path: changed)
        #expect(r.updated == 1 && r.skipped == 1)
        // An empty field never erases what the store knows.
        let city = try t.store.pool.read { try String.fetchOne($0, sql: "SELECT city FROM member WHERE buyer_id = 'b2'") }
        #expect(city == "深圳")
    }

    /// Both load paths. A bulk load runs with SQLite's CHECK constraints off (the parser has
    /// already rejected what they would): the bad rows must still be rejected by line, the stored
    /// rows must pass every CHECK (integrity_check tests them), and the CHECKs are on again after.
    @Test(arguments: [false, true])
    func ordersImportKeepsStatsAndCreatesUnknownBuyers(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try t.importer(bulk: bulk).run(.members, path: try t.file("m.csv", membersCSV))
        let orders = """
            order_id,buyer_id,buyer_nick,paid_at,amount,status,items
            1001,b1,张三的店,2026-01-05 10:00:00,100.50,paid,2
            1002,b1,张三的店,2026-03-01 09:00:00,0,交易成功,1
            1003,b1,张三的店,2026-04-01 09:00:00,50,refunded,1
            1004,b9,新买家,2026-02-01 08:00:00,20.1,paid,1
            1005,b2,,2026-02-01 08:00:00,-5,paid,1
            1006,b2,,not-a-date,5,paid,1
            1007,b2,,2026-02-01 08:00:00,5.123,paid,1
            1008,b2,,2026-02-01 08:00:00,5,lost-in-space,1
            ,b2,,2026-02-01 08:00:00,5,paid,1
            1010,b2,,,5,等待买家付款,1
            """
        let r = try t.importer(bulk: bulk).run(.orders, path: try t.file("o.csv", orders))
        #expect(r.added == 5)
        #expect(r.rejected == 5)
        #expect(r.membersCreated == 1)
        #expect(r.problems.map(\.line) == [6, 7, 8, 9, 10])
        try t.store.pool.read { db in
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            let statuses = try String.fetchAll(db, sql: "SELECT DISTINCT status FROM orders ORDER BY status")
            #expect(integrity == ["ok"])
            #expect(statuses == ["paid", "refunded", "unpaid"])
        }
        #expect(throws: DatabaseError.self) {
            try t.store.pool.write { try $0.execute(sql: "INSERT INTO orders(order_id, member_id, paid_at, amount, status) VALUES (9999, 1, '', -1, 'lost')") }
        }
        try t.store.pool.read { db in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT paid_count, paid_sum, first_paid, last_paid, last_paid_at FROM member_stats s JOIN member m ON m.id = s.member_id WHERE m.buyer_id = 'b1'"))
            #expect(row[0] as Int == 2)                 // the refund does not count; the ¥0 order does
            #expect(row[1] as Int64 == 10_050)
            #expect(row[2] as Int32 == Day.parse("2026-01-05")!.number)
            #expect(row[3] as Int32 == Day.parse("2026-03-01")!.number)
            #expect(row[4] as String == "2026-03-01 09:00:00")
            let created = try String.fetchOne(db, sql: "SELECT nick FROM member WHERE buyer_id = 'b9'")
            #expect(created == "新买家")
        }
        // Re-import: nothing changes. Then a status change (paid → refunded) updates the stats.
        let again = try Importer(store: t.store).run(.orders, path: try t.file("o.csv", orders))
        #expect(again.added == 0 && again.updated == 0 && again.skipped == 5)
        let refund = try t.file("o2.csv", "order_id,buyer_id,paid_at,amount,status\n1001,b1,2026-01-05 10:00:00,100.50,退款\n")
        let r2 = try Importer(store: t.store).run(.orders, path: refund)
        #expect(r2.updated == 1)
        let after = try #require(try t.store.pool.read { try Row.fetchOne($0, sql: "SELECT paid_count, paid_sum FROM member_stats s JOIN member m ON m.id = s.member_id WHERE m.buyer_id = 'b1'") })
        #expect(after[0] as Int == 1 && after[1] as Int64 == 0)
    }

    /// Both load paths: a bulk load works the receiver, mobile and address out only for the rows
    /// that fill a member (after its batch lookups), a small load as it resolves each row.
    @Test(arguments: [false, true])
    func taobaoReportInGBKIsRecognisedAndFillsMembers(bulk: Bool) throws {
        let t = try TempStore(); defer { t.cleanup() }
        let path = try t.gbkFile("taobao.csv", [
            ["订单编号", "买家会员名", "买家实际支付金额", "订单状态", "订单创建时间", "订单付款时间", "收货人姓名", "收货地址", "联系手机", "宝贝总数量"],
            ["=\"3456789012345678\"", "欧阳娜娜", "199.00", "交易成功", "2026-05-01 10:00:00", "2026-05-01 10:01:00", "欧阳娜娜", "浙江省 杭州市 西湖区 文三路1号", "'13712345678", "2"],
            ["=\"3456789012345679\"", "欧阳娜娜", "0.00", "等待买家付款", "2026-06-01 10:00:00", "", "欧阳娜娜", "浙江省 杭州市 西湖区", "13712345678", "1"],
            ["=\"3456789012345680\"", "司马", "88.8", "卖家已发货，等待买家确认", "2026-06-02 10:00:00", "2026-06-02 10:05:00", "司马光", "北京 北京市 海淀区", "", "1"],
        ])
        let r = try t.importer(bulk: bulk).run(.orders, path: path)
        #expect(r.format == "taobao-order-report")
        #expect(r.encoding == "GB18030")
        #expect(r.added == 3 && r.rejected == 0)
        #expect(r.membersCreated == 2)
        try t.store.pool.read { db in
            let m = try #require(try Row.fetchOne(db, sql: "SELECT nick, name, phone, province, city FROM member WHERE buyer_id = '欧阳娜娜'"))
            #expect(m[0] as String == "欧阳娜娜")
            #expect(m[2] as String == "13712345678")
            #expect(m[3] as String == "浙江")
            #expect(m[4] as String == "杭州")
            let sima = try #require(try Row.fetchOne(db, sql: "SELECT nick, name, phone, province, city FROM member WHERE buyer_id = '司马'"))
            #expect(sima[1] as String == "司马光" && sima[2] as String == "" && sima[3] as String == "北京")
            let paid = try Int.fetchOne(db, sql: "SELECT paid_count FROM member_stats s JOIN member m ON m.id = s.member_id WHERE m.buyer_id = '欧阳娜娜'")
            #expect(paid == 1)
            let unpaid = try String.fetchOne(db, sql: "SELECT status FROM orders WHERE order_id = 3456789012345679")
            #expect(unpaid == "unpaid")
        }
    }

    @Test func aWrongHeaderIsAClearErrorAndLoadsNothing() throws {
        let t = try TempStore(); defer { t.cleanup() }
        #expect(throws: StoreError.self) {
            _ = try Importer(store: t.store).run(.orders, path: try t.file("x.csv", "foo,bar\n1,2\n"))
        }
        do {
            _ = try Importer(store: t.store).run(.orders, path: try t.file("x.csv", "foo,bar\n1,2\n"))
        } catch let e as StoreError {
            #expect(e.description.contains("order_id"))
        }
        let n = try t.store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM orders") }
        #expect(n == 0)
    }

    /// A small load finds its buyers in the store one by one (no key map of the whole store): known
    /// members keep their data, their empty fields are filled, unknown buyers become members.
    @Test func aSmallImportLooksBuyersUpAndFillsOnlyEmptyFields() throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try Importer(store: t.store).run(.members, path: try t.file("m.csv", """
            buyer_id,nick,name,phone,province,city
            老客户,老客户,王一,13800000001,江苏,南京
            缺电话,缺电话,李二,,,

            """))
        let report = try Importer(store: t.store).run(.orders, path: try t.file("t.csv", """
            订单编号,买家会员名,买家实际支付金额,订单状态,订单付款时间,收货人姓名,收货地址,联系手机
            9001,老客户,10.00,交易成功,2026-05-01 10:00:00,别人,浙江省 杭州市,13999999999
            9002,缺电话,20.00,交易成功,2026-05-02 10:00:00,李二,四川省 成都市,13700000002
            9003,新面孔,30.00,交易成功,2026-05-03 10:00:00,赵三,广东省 深圳市,13600000003
            9004,缺电话,5.00,交易成功,2026-05-04 10:00:00,李二,,13700000009

            """))
        #expect(report.added == 4 && report.membersCreated == 1)
        let rows = try t.store.pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT m.buyer_id || '|' || m.name || '|' || m.phone || '|' || m.province || '|' || m.city || '|' || s.paid_count
                FROM member m JOIN member_stats s ON s.member_id = m.id ORDER BY m.id
                """)
        }
        #expect(rows == ["老客户|王一|13800000001|江苏|南京|1", "缺电话|李二|13700000002|四川|成都|2", "新面孔|赵三|13600000003|广东|深圳|1"])
    }

    /// Phases read "name=wall/cpu" and, for the benchmark only, "/peak MiB" with the import's peak.
    @Test func phasesCarryPeakMemoryOnlyWhenAsked() throws {
        let t = try TempStore(); defer { t.cleanup() }
        let path = try t.file("m.csv", membersCSV)
        let plain = try Importer(store: t.store).run(.members, path: path)
        #expect(plain.peakMemoryMiB == nil)
        #expect(plain.phases.split(separator: " ").allSatisfy { $0.split(separator: "/").count == 2 })
        var measuring = Importer(store: t.store)
        measuring.measurePhasePeaks = true
        let r = try measuring.run(.members, path: path)
        let peaks = try r.phases.split(separator: " ").map { try #require($0.split(separator: "/").last.flatMap { Int($0) }, "phase \($0)") }
        #expect(peaks.count >= 5 && peaks.allSatisfy { $0 > 0 })
        #expect(r.peakMemoryMiB == peaks.max())
    }

    @Test func gbkMembersFileIsDetected() throws {
        let t = try TempStore(); defer { t.cleanup() }
        let path = try t.gbkFile("m.csv", [["buyer_id", "nick", "province"], ["g1", "张三丰", "湖北"]])
        let r = try Importer(store: t.store).run(.members, path: path)
        #expect(r.encoding == "GB18030" && r.added == 1)
        let nick = try t.store.pool.read { try String.fetchOne($0, sql: "SELECT nick FROM member WHERE buyer_id = 'g1'") }
        #expect(nick == "张三丰")
    }

    /// Bulk mode (big files) takes other code paths: dropped indexes, pipeline, one-pass stats merge.
    /// Loading the same files in both modes must give the same store, also when orders arrive in
    /// two files (the merge with existing stats).
    @Test func bulkAndRowByRowImportsAgree() throws {
        var members = "buyer_id,nick,name,phone\n"
        var orders1 = "order_id,buyer_id,buyer_nick,paid_at,amount,status\n"
        var orders2 = orders1
        for i in 0..<300 { members += "m\(i),昵称\(i),姓名\(i),1380000\(String(format: "%04d", i))\n" }
        for j in 0..<2000 {
            let line = "\(5000 + j),m\(j * 7 % 320),,2026-\(String(format: "%02d", 1 + j % 12))-\(String(format: "%02d", 1 + j % 28)) 10:\(String(format: "%02d", j % 60)):00,\(j % 50).5\(j % 10),\(j % 11 == 0 ? "refunded" : "paid")\n"
            if j < 1200 { orders1 += line } else { orders2 += line }
        }
        func load(bulk: Bool) throws -> [String] {
            let t = try TempStore(); defer { t.cleanup() }
            let importer = t.importer(bulk: bulk)
            _ = try importer.run(.members, path: try t.file("m.csv", members))
            let r1 = try importer.run(.orders, path: try t.file("o1.csv", orders1))
            let r2 = try importer.run(.orders, path: try t.file("o2.csv", orders2))
            #expect(r1.added == 1200 && r2.added == 800 && r1.membersCreated == 20)
            return try t.store.pool.read { db in
                try String.fetchAll(db, sql: """
                    SELECT m.buyer_id || '|' || m.nick || '|' || coalesce(s.paid_count, 0) || '|' || coalesce(s.paid_sum, 0) || '|'
                        || coalesce(s.first_paid, '') || '|' || coalesce(s.last_paid_at, '') || '|' || coalesce(hex(s.paid_days), '')
                    FROM member m LEFT JOIN member_stats s ON s.member_id = m.id ORDER BY m.buyer_id
                    """)
            }
        }
        let bulk = try load(bulk: true), rowByRow = try load(bulk: false)
        #expect(bulk.count == 320)
        #expect(bulk == rowByRow)
    }

    /// A buyer listed again later in the same members file: the first row adds the member, a
    /// changed row updates it, an identical one changes nothing. In a bulk load, where runs of new
    /// members go in 32 to a statement straight from the batch, the rows must still apply in file
    /// order, and the outcome must be the row-by-row load's.
    @Test func aBuyerRepeatedInOneMembersFileAppliesInFileOrder() throws {
        var members = "buyer_id,nick,name\n"
        for i in 0..<100 {
            members += "n\(i),新\(i),\n"
            if i % 10 == 9 { members += "n\(i - 5),改\(i),\nn\(i - 5),改\(i),\n" }
        }
        func load(bulk: Bool) throws -> (ImportReport, [String]) {
            let t = try TempStore(); defer { t.cleanup() }
            let r = try t.importer(bulk: bulk).run(.members, path: try t.file("m.csv", members))
            let rows = try t.store.pool.read { try String.fetchAll($0, sql: "SELECT id || ':' || buyer_id || ':' || nick FROM member ORDER BY id") }
            return (r, rows)
        }
        let (bulk, bulkRows) = try load(bulk: true), (single, singleRows) = try load(bulk: false)
        #expect(bulk.added == 100 && bulk.updated == 10 && bulk.skipped == 10)
        #expect(bulkRows.count == 100)
        #expect(bulkRows.contains("5:n4:改9") && bulkRows.contains("96:n95:新95"))
        #expect(bulkRows == singleRows)
        #expect(bulk.added == single.added && bulk.updated == single.updated && bulk.skipped == single.skipped)
    }

    /// `ecrm import members M orders O` loads both files in one transaction and brings indexes,
    /// stats, tiers and search up to date once: the store must be the one two imports make.
    @Test func membersAndOrdersInOneImportGiveTheStoreOfTwoImports() throws {
        var members = "buyer_id,nick,name,phone\n"
        var orders = "order_id,buyer_id,buyer_nick,paid_at,amount,status\n"
        for i in 0..<200 { members += "m\(i),小明\(i),姓名\(i % 7),1390000\(String(format: "%04d", i))\n" }
        for j in 0..<1500 {
            orders += "\(9000 + j),m\(j * 13 % 230),新\(j),2026-\(String(format: "%02d", 1 + j % 12))-\(String(format: "%02d", 1 + j % 28)) 08:\(String(format: "%02d", j % 60)):00,\(j % 40).2\(j % 10),\(j % 9 == 0 ? "closed" : "paid")\n"
        }
        members += "bad,,,\n,没有编号,,\n"
        func load(bulk: Bool, together: Bool) throws -> (rows: [String], search: [String], reports: [ImportReport]) {
            let t = try TempStore(); defer { t.cleanup() }
            let importer = t.importer(bulk: bulk)
            let m = try t.file("m.csv", members), o = try t.file("o.csv", orders)
            let reports = together
                ? try importer.run([(.members, m), (.orders, o)])
                : [try importer.run(.members, path: m), try importer.run(.orders, path: o)]
            return try t.store.pool.read { db in
                let rows = try String.fetchAll(db, sql: """
                    SELECT m.buyer_id || '|' || m.nick || '|' || m.tier || '|' || coalesce(s.paid_count, 0) || '|' || coalesce(s.paid_sum, 0)
                        || '|' || coalesce(s.last_paid_at, '') || '|' || coalesce(hex(s.paid_days), '')
                    FROM member m LEFT JOIN member_stats s ON s.member_id = m.id ORDER BY m.buyer_id
                    """)
                let search = try ["小明1", "明", "姓名3", "0012", "新12"].map { q in
                    try MemberSearch.search(db, q, limit: 20).map(\.buyerId).joined(separator: ",")
                }
                return (rows, search, reports)
            }
        }
        for bulk in [true, false] {
            let one = try load(bulk: bulk, together: true), two = try load(bulk: bulk, together: false)
            #expect(one.rows.count == 231)   // 200 members, 30 created by orders, the row "bad"
            #expect(one.rows == two.rows)
            #expect(one.search == two.search)
            #expect(one.search[0].hasPrefix("m1"))
            #expect(one.reports.map(\.kind) == ["members", "orders"])
            #expect(one.reports[0].added == 201 && one.reports[0].rejected == 1 && one.reports[0].problems.first?.line == 203)
            #expect(one.reports[1].added == 1500 && one.reports[1].membersCreated == 30)
            #expect(one.reports[1].membersCreated == two.reports[1].membersCreated)
        }
    }

    /// Every file's header is checked before anything is written: a wrong second file loads nothing.
    @Test func aWrongHeaderInAnyFileOfOneImportLoadsNoFile() throws {
        let t = try TempStore(); defer { t.cleanup() }
        let m = try t.file("m.csv", membersCSV), bad = try t.file("o.csv", "foo,bar\n1,2\n")
        do {
            _ = try Importer(store: t.store).run([(.members, m), (.orders, bad)])
            Issue.record("a wrong orders header was accepted")
        } catch let e as StoreError {
            #expect(e.description.contains("order_id"))
        }
        let n = try t.store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM member") }
        #expect(n == 0)
    }

    /// An amount too big for the bulk merge's compact 32-bit columns sends the load down the full
    /// stats rebuild (orders read by member, each history sorted in memory): same figures as the merge.
    @Test func aHugeAmountFallsBackToAFullStatsRebuildWithTheSameFigures() throws {
        let orders = """
            order_id,buyer_id,paid_at,amount,status
            1,a,2026-03-05 10:00:00,10.00,paid
            2,a,2026-01-02 09:00:00,30000000.00,paid
            3,b,2026-02-01 08:00:00,5.50,paid
            4,a,2026-02-10 12:00:00,1.00,refunded
            5,a,2026-02-11 12:00:00,2.00,paid

            """
        func stats(bulk: Bool) throws -> [String] {
            let t = try TempStore(); defer { t.cleanup() }
            let importer = t.importer(bulk: bulk)
            _ = try importer.run(.orders, path: try t.file("o.csv", orders))
            return try t.store.pool.read { db in
                try String.fetchAll(db, sql: """
                    SELECT m.buyer_id || '|' || s.paid_count || '|' || s.paid_sum || '|' || s.first_paid || '|' || s.last_paid
                        || '|' || s.last_paid_at || '|' || hex(s.paid_days)
                    FROM member m JOIN member_stats s ON s.member_id = m.id ORDER BY m.buyer_id
                    """)
            }
        }
        let bulk = try stats(bulk: true)
        #expect(bulk == (try stats(bulk: false)))
        // Sorted by day although the file has them out of order: first is Jan 2, last is Mar 5.
        let first = Day(year: 2026, month: 1, day: 2)!.number, last = Day(year: 2026, month: 3, day: 5)!.number
        #expect(bulk.first?.hasPrefix("a|3|3000001200|\(first)|\(last)|2026-03-05 10:00:00|") == true)
    }

    /// Orders above every id already stored go in 32 to a statement; a lower id and a row that
    /// creates its buyer go one by one, after the waiting rows. A repeat of order 5 in the same file
    /// is a rejected row (issue 15: the first wins); a later file's refund of it is an update.
    @Test func batchedOrderInsertsKeepCountsStatsAndLaterCorrections() throws {
        var orders = "order_id,buyer_id,paid_at,amount,status\n"
        for i in 1...70 { orders += "\(i),\(i % 2 == 0 ? "a" : "b"),2026-01-\(String(format: "%02d", 1 + i % 28)) 10:00:00,\(i).00,paid\n" }
        orders += "5,b,2026-01-06 10:00:00,5.00,refunded\n71,z,2026-02-01 09:00:00,1.00,paid\n72,a,2026-02-02 09:00:00,2.00,paid\n"
        let t = try TempStore(); defer { t.cleanup() }
        _ = try Importer(store: t.store).run(.members, path: try t.file("m.csv", "buyer_id,nick\na,甲\nb,乙\n"))
        let r = try Importer(store: t.store).run(.orders, path: try t.file("o.csv", orders))
        #expect(r.added == 72 && r.updated == 0 && r.rejected == 1 && r.membersCreated == 1)
        #expect(r.problems.map(\.line) == [72])
        _ = try Importer(store: t.store).run(.orders, path: try t.file("refund.csv", "order_id,buyer_id,paid_at,amount,status\n5,b,2026-01-06 10:00:00,5.00,refunded\n"))
        try t.store.pool.read { db in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM orders") == 72)
            #expect(try String.fetchOne(db, sql: "SELECT status FROM orders WHERE order_id = 5") == "refunded")
            // a: the even orders 2…70 (35 orders, 1260 yuan) and order 72; b: the odd ones but order 5.
            let stats = try String.fetchAll(db, sql: """
                SELECT m.buyer_id || ':' || s.paid_count || ':' || s.paid_sum FROM member m JOIN member_stats s ON s.member_id = m.id ORDER BY m.buyer_id
                """)
            #expect(stats == ["a:36:126200", "b:34:122000", "z:1:100"])
        }
        // The same file again adds nothing (its first row of order 5 puts it back to paid, the repeat
        // is rejected again); the refund file again makes it refunded.
        let again = try Importer(store: t.store).run(.orders, path: try t.file("o2.csv", orders))
        #expect(again.added == 0 && again.updated == 1 && again.skipped == 71 && again.rejected == 1)
        _ = try Importer(store: t.store).run(.orders, path: try t.file("refund2.csv", "order_id,buyer_id,paid_at,amount,status\n5,b,2026-01-06 10:00:00,5.00,refunded\n"))
        try t.store.pool.read { (db: Database) throws in
            #expect(try String.fetchOne(db, sql: "SELECT status FROM orders WHERE order_id = 5") == "refunded")
            #expect(try Int.fetchOne(db, sql: "SELECT paid_sum FROM member_stats WHERE member_id = (SELECT id FROM member WHERE buyer_id = 'b')") == 122000)
        }
    }

    /// Dates and times already in the stored form are kept as written; others are reformatted.
    @Test func memberDatesAreStoredInTheOneFormWhateverTheFileWrote() throws {
        let t = try TempStore(); defer { t.cleanup() }
        let csv = "buyer_id,gender,birthday,joined_at\nx1,女,1990/5/1,2024-01-02T03:04\nx2,m,1991-06-07,2024-02-03 04:05:06\n"
        let r = try Importer(store: t.store).run(.members, path: try t.file("m.csv", csv))
        #expect(r.added == 2 && r.rejected == 0)
        let rows = try t.store.pool.read { try String.fetchAll($0, sql: "SELECT gender || '|' || birthday || '|' || joined_at FROM member ORDER BY buyer_id") }
        #expect(rows == ["F|1990-05-01|2024-01-02 03:04:00", "M|1991-06-07|2024-02-03 04:05:06"])
    }

    /// A bulk import after the store was read (the CLI checks the operator first, which opens a
    /// reader) and while another session has the store open must both go through (it once failed
    /// with "store is busy" because the journal switch waited on our own idle reader).
    @Test func bulkImportWorksWithReadersOpen() throws {
        let t = try TempStore(); defer { t.cleanup() }
        _ = try t.store.requireRole()
        let importer = t.importer(bulk: true)
        let r = try importer.run(.members, path: try t.file("m.csv", "buyer_id,nick\na1,一\na2,二\n"))
        #expect(r.added == 2)
        // Another session (its own pool) reading: the load stays in WAL and still succeeds.
        let other = try Store(path: t.path, operatorName: "owner1")
        let n = try other.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM member") }
        #expect(n == 2)
        let r2 = try importer.run(.orders, path: try t.file("o.csv", "order_id,buyer_id,paid_at,amount\n1,a1,2026-01-01 10:00:00,5\n"))
        #expect(r2.added == 1)
        #expect(try other.pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
    }

    /// A bulk members load without a card column keeps the card index as it is (no rebuild);
    /// one with cards drops and rebuilds it. Either way it exists, matches the table
    /// (integrity_check compares every index with its table) and finds cards.
    @Test func theCardIndexStaysRightThroughBulkLoads() throws {
        let t = try TempStore(); defer { t.cleanup() }
        func cardIndex() throws -> (exists: Bool, integrity: String, found: [String]) {
            try t.store.pool.read { db in
                (try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM sqlite_master WHERE name = 'member_card'") ?? false,
                 try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "",
                 try String.fetchAll(db, sql: "SELECT buyer_id FROM member INDEXED BY member_card WHERE card_no = 'VIP2'"))
            }
        }
        _ = try t.importer(bulk: true).run(.members, path: try t.file("a.csv", "buyer_id,nick\nb1,一\nb2,二\n"))
        let plain = try cardIndex()
        #expect(plain.exists && plain.integrity == "ok" && plain.found.isEmpty)
        _ = try t.importer(bulk: true).run(.members, path: try t.file("b.csv", "buyer_id,card_no\nb2,VIP2\nb3,VIP3\n"))
        let carded = try cardIndex()
        #expect(carded.exists && carded.integrity == "ok" && carded.found == ["b2"])
        _ = try t.importer(bulk: true).run(.members, path: try t.file("c.csv", "buyer_id,nick\nb2,改\nb4,四\n"))
        let after = try cardIndex()
        #expect(after.exists && after.integrity == "ok" && after.found == ["b2"])
    }
}
