import Foundation
import Testing

/// `ecrm import` through the real binary: one file, several files in one import, and the
/// one-line errors for a kind without a file or an unknown kind.
@Suite struct ImportCLITests {
    let dir: String

    init() throws {
        dir = NSTemporaryDirectory() + "ecrm-import-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data("buyer_id,nick,phone\nb1,张三的店,13812345678\nb2,小明,13900001111\n".utf8)
            .write(to: URL(fileURLWithPath: dir + "/m.csv"))
        try Data("order_id,buyer_id,buyer_nick,paid_at,amount,status\n1,b1,,2026-01-05 10:00:00,100,paid\n2,b3,新买家,2026-01-06 10:00:00,50,paid\n".utf8)
            .write(to: URL(fileURLWithPath: dir + "/o.csv"))
    }

    func ecrm(_ args: [String]) throws -> CLIResult { try runEcrm(args + ["--db", dir + "/shop.sqlite", "--lang", "en"]) }

    @Test func membersAndOrdersLoadInOneImportWithASummaryEach() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try ecrm(["import", "members", dir + "/m.csv", "orders", dir + "/o.csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("members (members, UTF-8): 2 added") == true)
        #expect(lines.last?.hasPrefix("orders (orders, UTF-8): 2 added") == true)
        #expect(lines.last?.contains("1 members created from orders") == true)
        // Search and stats are current after the one import: the new buyer is found with his order.
        let found = try ecrm(["search", "新买家", "--json"])
        #expect(found.status == 0 && found.stdout.contains("\"b3\""))
        let card = try ecrm(["member", "show", "b1", "--json"])
        #expect(card.stdout.contains("\"monetary\" : 10000") && card.stdout.contains("\"paidCount\" : 1"))
    }

    @Test func aKindWithoutItsFileIsOneClearLine() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try ecrm(["import", "members", dir + "/m.csv", "orders"])
        #expect(r.status != 0)
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stderr.contains("`orders` needs a CSV file after it"))
        let other = try ecrm(["import", "buyers", dir + "/m.csv"])
        #expect(other.status != 0 && other.stderr.contains("not 'buyers'"))
        // The arguments are refused before the store is opened: nothing of the first pair went in.
        #expect(!FileManager.default.fileExists(atPath: dir + "/shop.sqlite"))
    }
}
