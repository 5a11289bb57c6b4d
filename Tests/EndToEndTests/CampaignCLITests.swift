import Foundation
import Testing

/// `ecrm campaign …` through the real binary: create → export → show, the JSON keys of PRODUCT.md
/// (in the command line's camelCase), reproducible groups and one-line refusals.
@Suite struct CampaignCLITests {
    /// A deterministic demo shop of 2,000 members with orders up to 2026-06-30.
    fileprivate final class Shop: DemoCLIShop {
        init() throws { try super.init(prefix: "ecrm-campaign-cli-", members: 2000, seed: 3) }
    }

    @Test func createExportAndOutcome() throws {
        let shop = try Shop()
        let made = try shop.expectOK(["campaign", "create", "六月回访", "--lifecycle", "active", "--holdout", "20", "--seed", "7",
                                      "--start", "2026-06-01", "--window", "30"])
        #expect(made.stdout.contains("created campaign 六月回访"))
        #expect(made.stdout.contains("treatment ") && made.stdout.contains("control ") && made.stdout.contains("smallest detectable uplift"))
        let show = try #require(try shop.json(["campaign", "show", "六月回访"]) as? [String: Any])
        for key in ["name", "start", "windowDays", "running", "target", "treatment", "control", "uplift", "upliftCi95", "pValue",
                    "incrementalRevenue", "incrementalRevenueCi95", "minDetectableUplift"] {
            #expect(show[key] != nil, "missing \(key)")
        }
        let t = try #require(show["treatment"] as? [String: Any]), c = try #require(show["control"] as? [String: Any])
        for g in [t, c] { for key in ["members", "responders", "rate", "revenue", "revenuePerMember"] { #expect(g[key] != nil, "missing \(key)") } }
        let nt = try #require(t["members"] as? Int), nc = try #require(c["members"] as? Int), n = try #require(show["target"] as? Int)
        #expect(nt + nc == n)
        #expect(nc == (n * 2_000 + 5_000) / 10_000)                    // round(0.2 × n), halves up
        let uplift = try #require(show["uplift"] as? Double)
        #expect(abs(uplift - ((t["rate"] as! Double) - (c["rate"] as! Double))) < 1e-12)
        let ci = try #require(show["upliftCi95"] as? [Double])
        #expect(ci.count == 2 && ci[0] <= uplift && uplift <= ci[1])
        #expect(show["running"] as? Bool == false && show["windowDays"] as? Int == 30 && show["start"] as? String == "2026-06-01")
        // The demo shop has orders in June: somebody responded.
        #expect((t["responders"] as! Int) + (c["responders"] as! Int) > 0)

        let members = try #require(try shop.json(["campaign", "members", "六月回访"]) as? [[String: Any]])
        #expect(members.count == n)
        #expect(members.filter { $0["group"] as? String == "control" }.count == nc)

        let file = shop.dir + "/send.csv"
        let exported = try shop.expectOK(["campaign", "export", "六月回访", file])
        #expect(exported.stdout.contains("treatment members of 六月回访"))
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == nt + 1)
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false)[3].contains("****") || $0.split(separator: ",", omittingEmptySubsequences: false)[3].isEmpty })
        let sent = Set(lines.dropFirst().map { String($0.split(separator: ",")[0]) })
        #expect(sent == Set(members.filter { $0["group"] as? String == "treatment" }.map { $0["buyerId"] as! String }))

        let text = try shop.expectOK(["campaign", "show", "六月回访"]).stdout
        #expect(text.contains("uplift") && text.contains("95% CI") && text.contains("incremental revenue"))
        let list = try shop.expectOK(["campaign", "list"]).stdout
        #expect(list.contains("六月回访") && list.contains("ended"))
        try shop.expectOK(["campaign", "close", "六月回访"])
        let audit = try shop.expectOK(["audit", "--limit", "5"]).stdout
        #expect(audit.contains("campaign.create") && audit.contains("campaign.export") && audit.contains("campaign.close"))
    }

    @Test func theSameSeedGivesTheSameGroups() throws {
        let a = try Shop(), b = try Shop()
        for shop in [a, b] { try shop.expectOK(["campaign", "create", "s", "--segment", "important_value", "--seed", "99", "--start", "2026-06-15"]) }
        try b.expectOK(["campaign", "create", "s2", "--segment", "important_value", "--seed", "100", "--start", "2026-06-15"])
        let ga = try a.expectOK(["campaign", "members", "s"]).stdout, gb = try b.expectOK(["campaign", "members", "s"]).stdout
        let g2 = try b.expectOK(["campaign", "members", "s2"]).stdout
        #expect(ga == gb && !ga.isEmpty)
        #expect(ga != g2)
    }

    @Test func badInputIsOneLine() throws {
        let shop = try Shop()
        try shop.expectOK(["campaign", "create", "有了", "--tier", "0"])
        let cases: [([String], String)] = [
            (["campaign", "create", "a", "--tier", "0", "--holdout", "0"], "holdout of 0%"),
            (["campaign", "create", "a", "--tier", "0", "--holdout", "100"], "holdout of 100%"),
            (["campaign", "create", "a", "--tier", "0", "--window", "0"], "window of 0 days"),
            (["campaign", "create", "a", "--tier", "0", "--window", "366"], "window of 366 days"),
            (["campaign", "create", "a", "--tier", "0", "--start", "2999-01-01"], "too far ahead"),
            (["campaign", "create", "有了", "--tier", "0"], "already exists"),
            (["campaign", "create", "a", "--segment", "important_value", "--segment", "general_winback"], "target is empty"),
            (["campaign", "create", "a"], "say which members"),
            (["campaign", "show", "nope"], "no campaign 'nope'"),
        ]
        for (args, message) in cases {
            let r = try shop.run(args)
            #expect(r.status == 1, "\(args)")
            #expect(r.stderrLines.count == 1 && r.stderrLines.first?.hasPrefix("ecrm: ") == true && r.stderr.contains(message), "\(args): \(r.stderr)")
        }
        // A small target warns that it cannot detect much.
        let small = try shop.run(["campaign", "create", "小", "--segment", "important_value", "--start", "2026-06-30", "--holdout", "5"])
        #expect(small.status == 0 && small.stderr.contains("warning: this campaign can only detect"), "\(small.stderr)")
    }
}
