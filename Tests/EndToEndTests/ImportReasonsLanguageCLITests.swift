import Foundation
import Testing

/// Review mend: a rejected row's reason is in the operator's language (`--lang zh` or LANG=zh…),
/// through the store's message tables, for a real import and a dry run alike.
@Suite struct ImportReasonsLanguageCLITests {
    let dir: String

    init() throws {
        dir = NSTemporaryDirectory() + "ecrm-reasons-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    func ecrm(_ args: [String], _ lang: String) throws -> CLIResult {
        try runEcrm(args + ["--db", dir + "/shop.sqlite", "--lang", lang])
    }

    /// Every kind of row the parsers reject, one a line (line 2 is good).
    func badOrders() throws -> String {
        var csv = "order_id,buyer_id,paid_at,amount,status,items\n"
        csv += "1001,b1,2026-01-05 10:00:00,10.00,paid,1\n"          // 2 good
        csv += "1002,b2,2026-01-05 10:00:00,10.00,shipped?,1\n"      // 3 unknown status
        csv += "1003,b3,2026-01-05 10:00:00,abc,paid,1\n"            // 4 bad amount
        csv += "1004,,2026-01-05 10:00:00,10.00,paid,1\n"            // 5 missing buyer
        csv += "1005,b5,yesterday,10.00,paid,1\n"                    // 6 unparsable time
        csv += "1001,b6,2026-01-05 10:00:00,10.00,paid,1\n"          // 7 repeat of line 2
        csv += "1007,b7,2026-01-05 10:00:00,\"12,5\",paid,1\n"       // 8 ambiguous amount
        csv += "1008,b8,2026-01-05 10:00:00,,paid,1\n"               // 9 missing amount
        csv += "1009,b9,2026-01-05 10:00:00,1.00,paid,x\n"           // 10 bad items
        csv += "1010,b10,2999-01-05 10:00:00,1.00,paid,1\n"          // 11 in the future
        csv += ",b11,2026-01-05 10:00:00,1.00,paid,1\n"              // 12 no order id
        let path = dir + "/orders.csv"
        try Data(csv.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func reasons(_ stderr: String, _ path: String) -> [String] {
        stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix(path + ":") }
    }

    func hasChinese(_ s: String) -> Bool { s.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } }

    @Test func chineseOperatorsReadEveryReasonInChinese() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try badOrders()
        for dry in [true, false] {
            let r = try ecrm(["import", "orders", path] + (dry ? ["--dry-run"] : []), "zh")
            let lines = reasons(r.stderr, path)
            #expect(lines.count == 10, "dry \(dry): \(r.stderr)")
            for line in lines { #expect(hasChinese(line), "dry \(dry): \(line)") }
            #expect(lines.contains(path + ":3: 未知订单状态“shipped?”"), "\(lines)")
            #expect(lines.contains(path + ":7: order_id 1001 与本文件第 2 行重复（保留第 2 行）"), "\(lines)")
            #expect(lines.contains(path + ":12: 缺少订单号 order_id"), "\(lines)")
        }
        // English stays as it was.
        let en = reasons(try ecrm(["import", "orders", path, "--dry-run"], "en").stderr, path)
        #expect(en.contains(path + ":3: unknown status 'shipped?'"), "\(en)")
        #expect(en.contains(path + ":12: missing order_id"), "\(en)")
        for line in en { #expect(!hasChinese(line), "\(line)") }
    }

    @Test func memberRowsAndUndecodableRowsToo() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var members = Data("buyer_id,nick,gender,birthday,joined_at\n".utf8)
        members += Data("m1,甲,F,1990-01-02,2024-01-01 10:00:00\n".utf8)   // 2 good
        members += Data("m2,乙,X,,\n".utf8)                                 // 3 unknown gender
        members += Data("m3,丙,F,1990-13-40,\n".utf8)                       // 4 bad birthday
        members += Data("m4,丁,F,,soon\n".utf8)                             // 5 bad joined_at
        members += Data([0x6D, 0x35, 0x2C, 0xFF, 0xFE, 0x2C, 0x46, 0x2C, 0x2C, 0x0A])  // 6 not UTF-8
        members += Data("m6,戊,F,,\n".utf8)                                 // 7 good
        let path = dir + "/members.csv"
        try members.write(to: URL(fileURLWithPath: path))
        let r = try ecrm(["import", "members", path, "--encoding", "utf-8"], "zh")
        let lines = reasons(r.stderr, path)
        #expect(lines.count == 4, "\(r.stderr)")
        for line in lines { #expect(hasChinese(line), "\(line)") }
        #expect(r.stdout.contains("2") && hasChinese(r.stdout), "\(r.stdout)")
    }

    /// A file refused as a whole says so in the operator's language too.
    @Test func wholeFileRefusalsInChinese() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let empty = dir + "/empty.csv", noKey = dir + "/nokey.csv", noAmount = dir + "/noamount.csv"
        try Data().write(to: URL(fileURLWithPath: empty))
        try Data("nick,phone\n甲,13800000001\n".utf8).write(to: URL(fileURLWithPath: noKey))
        try Data("order_id,buyer_id,paid_at\n1,b1,2026-01-05 10:00:00\n".utf8).write(to: URL(fileURLWithPath: noAmount))
        for (kind, path, zh, en) in [("members", empty, "是空文件", "is empty"), ("members", noKey, "没有 buyer_id 列", "no buyer_id column"),
                                     ("orders", noAmount, "缺少列 amount", "missing column(s) amount")] {
            for dry in [false, true] {
                let extra = dry ? ["--dry-run"] : []
                let z = try ecrm(["import", kind, path] + extra, "zh")
                #expect(z.status != 0 && z.stderr.contains(zh), "\(z.stderr)")
                let e = try ecrm(["import", kind, path] + extra, "en")
                #expect(e.status != 0 && e.stderr.contains(en) && !hasChinese(e.stderr.replacingOccurrences(of: "甲", with: "")), "\(e.stderr)")
            }
        }
    }
}
