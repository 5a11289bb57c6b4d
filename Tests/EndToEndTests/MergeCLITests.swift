import Foundation
import Testing

/// `ecrm duplicates`, `ecrm member merge|unmerge` through the real binary: evidence with masked
/// phones, JSON keys, preview changes nothing, one-line refusals with exit status 1, the audit log.
@Suite struct MergeCLITests {
    fileprivate final class Shop {
        let dir: String
        var db: String { dir + "/shop.sqlite" }

        init() throws {
            dir = NSTemporaryDirectory() + "ecrm-merge-cli-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try DuplicatesShop.members.write(toFile: dir + "/m.csv", atomically: true, encoding: .utf8)
            try DuplicatesShop.orders.write(toFile: dir + "/o.csv", atomically: true, encoding: .utf8)
            let r = try runEcrm(["import", "members", dir + "/m.csv", "orders", dir + "/o.csv", "--db", db])
            #expect(r.status == 0, "import: \(r.stderr)")
        }

        deinit { try? FileManager.default.removeItem(atPath: dir) }

        func run(_ args: [String]) throws -> CLIResult { try runEcrm(args + ["--db", db, "--lang", "en"]) }
    }

    @Test func listPreviewMergeUnmerge() throws {
        let shop = try Shop()
        let text = try shop.run(["duplicates"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("2 duplicate candidate pairs") && text.stdout.contains("same phone 138****0001"))
        #expect(!text.stdout.contains("13800000001"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(shop.run(["duplicates", "--json"]).stdout.utf8)) as? [String: Any])
        let pairs = try #require(json["pairs"] as? [[String: Any]])
        let first = try #require(pairs.first), a = try #require(first["a"] as? [String: Any])
        #expect(a["buyerId"] as? String == "fang" && a["phone"] as? String == "138****0001")
        #expect((first["evidence"] as? [[String: Any]])?.first?["code"] as? String == "same_phone")

        let preview = try shop.run(["member", "merge", "fang", "fang2"])
        #expect(preview.status == 0 && preview.stdout.contains("preview: merge fang2 into fang (add --yes to merge)"))
        #expect(preview.stdout.contains("merged  fang: F 2 · M ¥1,100.00"))
        #expect(try shop.run(["duplicates"]).stdout.contains("2 duplicate candidate pairs"))   // nothing changed

        let merged = try shop.run(["member", "merge", "fang", "fang2", "--yes", "--json"])
        let m = try #require(try JSONSerialization.jsonObject(with: Data(merged.stdout.utf8)) as? [String: Any])
        #expect(m["merged"] as? Bool == true && m["ordersMoving"] as? Int == 1)
        #expect((m["result"] as? [String: Any])?["paidSum"] as? String == "1100.00")
        #expect(try shop.run(["duplicates"]).stdout.contains("1 duplicate candidate pairs"))

        let undone = try shop.run(["member", "unmerge", "fang2"])
        #expect(undone.status == 0 && undone.stdout.hasPrefix("unmerged fang2 from fang: 1 orders and 1 identities back to fang2"))
        let log = try shop.run(["audit", "--json"])
        #expect(log.stdout.contains("member.merge") && log.stdout.contains("member.unmerge"))
    }

    @Test func refusalsAreOneLineOnStderr() throws {
        let shop = try Shop()
        for (args, message) in [
            (["member", "merge", "fang", "fang", "--yes"], "ecrm: cannot merge member fang with itself: give two different members\n"),
            (["member", "merge", "fang", "nobody"], "ecrm: no member 'nobody' (try `ecrm search nobody`)\n"),
            (["member", "unmerge", "wei"], "ecrm: member wei has no merge to undo: nothing to unmerge\n"),
        ] {
            let r = try shop.run(args)
            #expect(r.status == 1 && r.stderr == message && r.stdout.isEmpty, "\(args)")
        }
        let dismissed = try shop.run(["duplicates", "dismiss", "wei", "wei2"])
        #expect(dismissed.status == 0 && dismissed.stdout == "dismissed wei and wei2: no longer offered as duplicates\n")
        #expect(try shop.run(["duplicates"]).stdout.hasPrefix("1 duplicate candidate pairs"))
    }
}
