import Foundation
import Testing

/// Review mend: the command line's own failure lines (a missing file, an unknown channel, a bad
/// option, a member not found) are in the operator's language with `--lang zh`, and stay as they
/// were with `--lang en`: one line on stderr, exit status 1.
@Suite struct CLIFailureLanguageCLITests {
    let dir: String

    init() throws {
        dir = NSTemporaryDirectory() + "ecrm-fail-lang-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    func hasChinese(_ s: String) -> Bool { s.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } }

    /// (arguments, the Chinese line, the English line): each fails with that one line.
    func cases() throws -> [([String], String, String)] {
        let orders = dir + "/o.csv"
        try Data("order_id,buyer_id,paid_at,amount,status\n1,b1,2026-01-05 10:00:00,1.00,paid\n".utf8).write(to: URL(fileURLWithPath: orders))
        let db = dir + "/shop.sqlite"
        return [
            (["import", "--db", db], "ecrm: 导入什么？请写 `members 文件` 或 `orders 文件`", "ecrm: import what? say `members FILE` or `orders FILE`"),
            (["import", "orders", dir + "/none.csv", "--db", db], "ecrm: 没有这个文件：\(dir)/none.csv", "ecrm: no such file: \(dir)/none.csv"),
            (["import", "orders", orders, "--channel", "ebay", "--db", db], "ecrm: 未知渠道“ebay”：请用 taobao, tmall, jd, pdd, douyin, youzan, wechat, shopify, tiktok, offline, other 之一",
             "ecrm: unknown channel 'ebay': use one of taobao, tmall, jd, pdd, douyin, youzan, wechat, shopify, tiktok, offline, other"),
            (["import", "orders", orders, "--encoding", "latin1", "--db", db], "ecrm: 未知编码“latin1”：请用 auto, utf-8, gb18030",
             "ecrm: unknown encoding 'latin1': use auto, utf-8, gb18030"),
            (["demo", "--members", "0", "--db", dir + "/demo.sqlite"], "ecrm: --members 至少为 1", "ecrm: --members must be at least 1"),
            (["member", "show", "nobody", "--db", db], "ecrm: 没有会员“nobody”（试试 `ecrm search nobody`）", "ecrm: no member 'nobody' (try `ecrm search nobody`)"),
        ]
    }

    @Test func failureLinesFollowTheLanguage() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A store for `member show` (the import makes it).
        let seed = dir + "/seed.csv"
        try Data("order_id,buyer_id,paid_at,amount,status\n9,someone,2026-01-05 10:00:00,1.00,paid\n".utf8).write(to: URL(fileURLWithPath: seed))
        #expect(try runEcrm(["import", "orders", seed, "--db", dir + "/shop.sqlite"]).status == 0)
        for (args, zh, en) in try cases() {
            let z = try runEcrm(args + ["--lang", "zh"]), e = try runEcrm(args + ["--lang", "en"])
            #expect(z.status == 1 && e.status == 1, "\(args)")
            #expect(z.stderrLines == [zh], "\(args): \(z.stderr)")
            #expect(e.stderrLines == [en], "\(args): \(e.stderr)")
            #expect(!hasChinese(e.stderr.replacingOccurrences(of: dir, with: "")), "\(args): \(e.stderr)")
        }
    }

    /// ArgumentParser's own checks (validate()) say the same in both languages.
    @Test func optionChecksFollowTheLanguage() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/shop.sqlite"
        let z = try runEcrm(["tiers", "draft", "--floor", "900", "--no-floor", "--db", db, "--lang", "zh"])
        let e = try runEcrm(["tiers", "draft", "--floor", "900", "--no-floor", "--db", db, "--lang", "en"])
        #expect(z.status != 0 && z.stderr.contains("--floor 和 --no-floor 不能同时使用"), "\(z.stderr)")
        #expect(e.status != 0 && e.stderr.contains("--floor and --no-floor cannot be used together"), "\(e.stderr)")
    }
}
