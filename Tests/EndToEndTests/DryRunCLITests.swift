import Foundation
import Testing

/// Issue 18: `ecrm import … --dry-run` and `--channel` through the real binary.
@Suite struct DryRunCLITests {
    let dir: String

    init() throws {
        dir = NSTemporaryDirectory() + "ecrm-dryrun-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    func ecrm(_ args: [String]) throws -> CLIResult { try runEcrm(args + ["--db", dir + "/shop.sqlite", "--lang", "en"]) }

    @Test func aDryRunShowsTheRowsAndRejectsAndLeavesTheStoreAsItWas() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("order_id,buyer_id,paid_at,amount\n1,b1,2026-01-05 10:00:00,1.00\n".utf8).write(to: URL(fileURLWithPath: dir + "/first.csv"))
        #expect(try ecrm(["import", "orders", dir + "/first.csv"]).status == 0)
        let files = ["", "-wal", "-shm"].map { dir + "/shop.sqlite" + $0 }
        let before = files.map { FileManager.default.contents(atPath: $0) }
        var csv = "order_id,buyer_id,buyer_nick,paid_at,amount,status,items\n"
        for i in 1...7 { csv += "S01-00012\(i),pos\(i),门店客人,2026-01-0\(i) 10:00:00,\(i)0.50,paid,\(i)\n" }
        csv += "S01-000121,pos9,,2026-01-09 10:00:00,1.00,paid,1\n"        // line 9: a repeat of line 2
        csv += ",pos9,,2026-01-09 10:00:00,1.00,paid,1\n"                   // line 10: no number
        csv += "S01-000130,pos9,,2026-01-09 10:00:00,1.00,shipped?,1\n"    // line 11: unknown status
        try Data(csv.utf8).write(to: URL(fileURLWithPath: dir + "/pos.csv"))
        let r = try ecrm(["import", "orders", dir + "/pos.csv", "--channel", "offline", "--dry-run"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("layout orders (UTF-8), channel offline"))
        let shown = r.stdout.split(separator: "\n").filter { $0.hasPrefix("  order_id=") }
        #expect(shown.count == 5)
        #expect(shown.first?.contains("order_id=S01-000121  channel=offline  buyer_id=pos1  nick=门店客人  paid_at=2026-01-01 10:00:00  amount=10.50  status=paid  items=1") == true)
        #expect(r.stdout.contains("7 rows would import, 3 rejected"))
        let errs = r.stderr.split(separator: "\n").map(String.init)
        #expect(errs.count == 3)
        #expect(errs[0].hasSuffix("pos.csv:9: order_id S01-000121 repeats line 2 of this file (the row on line 2 is kept)"))
        #expect(errs[1].hasSuffix("pos.csv:10: missing order_id"))
        #expect(errs[2].contains("pos.csv:11:") && errs[2].contains("shipped?"))
        // Nothing written: the store's files are byte for byte as they were.
        #expect(files.map { FileManager.default.contents(atPath: $0) } == before)
        // The real import then stores what the dry run showed, in channel offline.
        let real = try ecrm(["import", "orders", dir + "/pos.csv", "--channel", "offline"])
        #expect(real.stdout.contains("orders (orders, UTF-8, offline): 7 added"))
        let card = try ecrm(["member", "show", "S01-000121"])
        #expect(card.status == 0 && card.stdout.contains("offline S01-000121"))
        #expect(try ecrm(["import", "orders", dir + "/pos.csv", "--channel", "till"]).stderr.contains("unknown channel 'till'"))
    }
}
