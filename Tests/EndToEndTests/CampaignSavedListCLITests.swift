import Foundation
import Testing

/// Issue 20: a campaign on a saved list — a list file kept from an export (edited or not), several
/// tags (all or any, as the console's Tags pane marks them), a region — and the rest of the bad
/// input of `campaign create`, each one line.
@Suite struct CampaignSavedListCLITests {
    final class Shop: DemoCLIShop {
        init() throws { try super.init(prefix: "ecrm-campaign-lists-", members: 1000, seed: 5) }

        func members(_ campaign: String) throws -> [String: String] {
            let rows = try JSONSerialization.jsonObject(with: Data(try expectOK(["campaign", "members", campaign, "--json"]).stdout.utf8)) as! [[String: Any]]
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["buyerId"] as! String, $0["group"] as! String) })
        }

        func write(_ name: String, _ text: String) throws -> String {
            let p = dir + "/" + name
            try Data(text.utf8).write(to: URL(fileURLWithPath: p))
            return p
        }
    }

    @Test func aListFileKeptFromAnExportIsATarget() throws {
        let shop = try Shop()
        // The owner exported the tier-1 members last week (Chinese headers, BOM for Excel) and kept the file.
        let file = shop.dir + "/VIP名单.csv"
        try shop.expectOK(["export", file, "--tier", "1", "--headers", "zh"])
        let exported = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { String($0.split(separator: ",")[0]).trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(exported.count >= 20)
        let made = try shop.expectOK(["campaign", "create", "VIP回访", "--list", file, "--holdout", "20", "--seed", "4", "--start", "2026-06-01"])
        #expect(made.stdout.contains("listed members"), "\(made.stdout)")
        let members = try shop.members("VIP回访")
        #expect(Set(members.keys) == Set(exported))
        #expect(members.values.filter { $0 == "control" }.count == (exported.count * 2_000 + 5_000) / 10_000)
        // An edited list: two buyers kept, Excel's ="…" around one, a blank line.
        let two = Array(exported.prefix(2))
        let edited = try shop.write("edited.csv", "buyer_id,备注\n=\"\(two[0])\",打过电话\n\n\(two[1]),\n")
        try shop.expectOK(["campaign", "create", "两人", "--list", edited, "--holdout", "50", "--start", "2026-06-01"])
        #expect(Set(try shop.members("两人").keys) == Set(two))
    }

    @Test func severalTagsAllOrAnyAndARegion() throws {
        let shop = try Shop()
        try shop.expectOK(["tags", "apply", "甲", "--tier", "1", "--yes", "--create"])
        try shop.expectOK(["tags", "apply", "乙", "--lifecycle", "active", "--yes", "--create"])
        func ids(_ args: [String]) throws -> Set<String> {
            let r = try shop.expectOK(["tags", "members"] + args + ["--json", "--limit", "100000"])
            let out = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
            return Set((out["members"] as! [[String: Any]]).map { $0["buyerId"] as! String })
        }
        let both = try ids(["甲", "乙"]), either = try ids(["甲", "乙", "--any"])
        #expect(!both.isEmpty && both.count < either.count)
        try shop.expectOK(["campaign", "create", "两个都有", "--tags", "甲,乙", "--holdout", "20", "--start", "2026-06-01"])
        let any = try shop.expectOK(["campaign", "create", "任一", "--tags", "甲,乙", "--any", "--holdout", "20", "--start", "2026-06-01"]).stdout
        #expect(Set(try shop.members("两个都有").keys) == both)
        // Blacklisted members are left out of a target (and said so).
        let anyMembers = Set(try shop.members("任一").keys)
        let left = Int(any.firstMatch(of: /, ([0-9,]+) blacklisted left out/)?.1.replacingOccurrences(of: ",", with: "") ?? "0") ?? -1
        #expect(anyMembers.isSubset(of: either) && either.count - anyMembers.count == left, "\(any)")
        let zj = try shop.expectOK(["campaign", "create", "浙江", "--province", "浙江", "--holdout", "20", "--start", "2026-06-01"])
        #expect(zj.stdout.contains("region 浙江"), "\(zj.stdout)")
    }

    @Test func badInputIsOneLine() throws {
        let shop = try Shop()
        let noColumn = try shop.write("nocol.csv", "nick,phone\n张三,138\n")
        let stranger = try shop.write("stranger.csv", "buyer_id\nnobody-here\n")
        let emptyList = try shop.write("empty.csv", "buyer_id\n")
        try shop.expectOK(["tags", "create", "很少"])
        let cases: [([String], String)] = [
            (["--tier", "0", "--window", "-1"], "window of -1 days"),
            (["--tier", "0", "--window", "abc"], "--window must be a number of days"),
            (["--tier", "0", "--holdout", "-5"], "--holdout must be a percent"),
            (["--tier", "0", "--seed", "-1"], "--seed must be a whole number"),
            (["--tier", "0", "--seed", "x"], "--seed must be a whole number"),
            (["--list", shop.dir + "/missing.csv"], "cannot read"),
            (["--list", noColumn], "has no buyer_id column"),
            (["--list", stranger], "1 of the 1 buyer ids"),
            (["--list", emptyList], "lists no buyer ids"),
            (["--city", "杭州"], "--city goes with --province"),
            (["--tier", "0", "--any"], "--any goes with --tags"),
            (["--tags", "很少"], "target is empty"),
            (["--tags", "没有这个"], "no tag named"),
            (["--tier", "0", "--holdout", "99.99"], "both groups need at least one member"),
        ]
        for (args, message) in cases {
            let r = try shop.run(["campaign", "create", "坏"] + args)
            #expect(r.status == 1, "\(args)")
            #expect(r.stderrLines.count == 1 && r.stderrLines.first?.hasPrefix("ecrm: ") == true && r.stderr.contains(message), "\(args): \(r.stderr)")
        }
        // Nothing of a refused campaign is left.
        #expect(try shop.expectOK(["campaign", "list"]).stdout.contains("no campaigns yet"))
    }
}
