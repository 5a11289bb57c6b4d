import Foundation
import Testing

/// Issue 15 part A through the real binary: a file nothing of which could be read is a failure
/// (non-zero exit, one line saying what to do), not "0 added" and exit 0.
@Suite struct ImportSafetyCLITests {
    let dir: String

    init() throws {
        dir = NSTemporaryDirectory() + "ecrm-import-safety-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    func ecrm(_ args: [String]) throws -> CLIResult { try runEcrm(args + ["--db", dir + "/shop.sqlite"]) }

    /// A real GBK file (written through iconv) read with --encoding utf-8.
    @Test func aGBKFileReadAsUTF8ExitsNonZeroWithOneLine() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let utf8 = dir + "/o-utf8.csv", gbk = dir + "/o-gbk.csv"
        try Data("order_id,buyer_id,buyer_nick,paid_at,amount\n1,张三,张三的店,2026-01-05 10:00:00,1.00\n2,李四,李四,2026-01-05 10:00:00,2.00\n".utf8)
            .write(to: URL(fileURLWithPath: utf8))
        let iconv = try runProcess("/usr/bin/iconv", ["-f", "UTF-8", "-t", "GBK", "-o", gbk, utf8], stdin: nil)
        #expect(iconv.status == 0)
        let r = try ecrm(["import", "orders", gbk, "--encoding", "utf-8"])
        #expect(r.status != 0)
        #expect(r.stderrLines.count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("--encoding gb18030"))
        // Read as it should be, it goes in.
        let ok = try ecrm(["import", "orders", gbk])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("2 added"))
    }

    @Test func aFileWhoseEveryRowIsBadExitsNonZero() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bad = dir + "/bad.csv"
        try Data("order_id,buyer_id,paid_at,amount\n1,b1,2026-01-05 10:00:00,\"12,5\"\n2,,2026-01-05 10:00:00,1\n".utf8)
            .write(to: URL(fileURLWithPath: bad))
        let r = try ecrm(["import", "orders", bad])
        #expect(r.status != 0)
        #expect(r.stderrLines.last?.contains("every row") == true, "\(r.stderr)")
        #expect(!r.stderr.contains("SQLite"))
    }
}
