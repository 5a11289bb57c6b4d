import Foundation
import Testing

/// `ecrm rfm|export|tags|health|birthdays|audit|operators` through the real binary: exit status,
/// output, the audit entry, and the refusal for staff (a real OS user, run with `runuser`).
/// Serialized: the staff scenarios add and remove OS users (useradd locks /etc/passwd).
@Suite(.serialized) struct CommandsCLITests {
    /// As of 2026-06-30 (the RFMEngineTests shop, figures by hand there and here):
    /// a 3 × 500 yuan (06-30, 06-01, 05-01): R 0, F 3, M 1500 → scores (4,4,4), important_value, active;
    /// b 50 (06-20) and a 20 refund (06-25): R 10, F 1, M 50 → (2,1,1), general_winback, new;
    /// c 2 × 300 (01-01, 02-01): R 149, F 2, M 600 → (1,2,2), general_winback, sleeping (91–180);
    /// d 10 (2025-01-01): outside the 365-day window → none, lost.
    /// Quintiles over n = 3: R c,b,a → 1,2,4; F b,c,a → 1,2,4; M b,c,a → 1,2,4; mean 7/3: only 4 is high.
    final class Shop {
        let dir: String
        var db: String { dir + "/shop.sqlite" }

        init(groupWritable group: String? = nil) throws {
            dir = NSTemporaryDirectory() + "ecrm-cmd-cli-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            if let group {
                // The store's operators share a group; files made in the folder inherit it (setgid).
                try sh("/usr/bin/chgrp", [group, dir])
                try sh("/usr/bin/chmod", ["2770", dir])
            }
            let members = """
                buyer_id,nick,name,phone,gender,birthday,province,city
                a,阿甲,张一,13800000001,F,1990-07-02,浙江,杭州
                b,"Amy, ""the"" buyer",张二,13800000002,M,2000-07-10,浙江,宁波
                c,阿丙,张三,13800000003,F,,江苏,南京
                d,阿丁,张四,13800000004,U,,北京,北京

                """
            let orders = """
                order_id,buyer_id,paid_at,amount,status
                1,a,2026-06-30 10:00:00,500,paid
                2,a,2026-06-01 10:00:00,500,paid
                3,a,2026-05-01 10:00:00,500,paid
                4,b,2026-06-20 10:00:00,50,paid
                5,b,2026-06-25 10:00:00,20,refunded
                6,c,2026-01-01 10:00:00,300,paid
                7,c,2026-02-01 10:00:00,300,paid
                8,d,2025-01-01 10:00:00,10,paid

                """
            try Data(members.utf8).write(to: URL(fileURLWithPath: dir + "/m.csv"))
            try Data(orders.utf8).write(to: URL(fileURLWithPath: dir + "/o.csv"))
            try ok(["import", "members", dir + "/m.csv", "orders", dir + "/o.csv"])
            try ok(["rfm", "--as-of", "2026-06-30"])
        }

        deinit { try? FileManager.default.removeItem(atPath: dir) }

        func run(_ args: [String], as user: String? = nil) throws -> CLIResult {
            let full = args + ["--db", db, "--lang", "en"]
            guard let user else { return try runEcrm(full) }
            return try runProcess("/usr/sbin/runuser", ["-u", user, "--", ecrmBinary()] + full, stdin: nil)
        }

        @discardableResult
        func ok(_ args: [String], as user: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> CLIResult {
            let r = try run(args, as: user)
            #expect(r.status == 0, "ecrm \(args.joined(separator: " ")) exited \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
            return r
        }

        /// The newest audit entries, as `ecrm audit --json` prints them.
        func audit() throws -> [[String: Any]] {
            let r = try ok(["audit", "--json", "--limit", "100"])
            return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]], "audit --json: \(r.stdout)")
        }

        func exported(_ file: String) throws -> [String] {
            try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
        }
    }

    @Test func rfmRecomputesAndPrintsTheSummary() throws {
        let shop = try Shop()
        let text = try shop.ok(["rfm", "--as-of", "2026-06-30"]).stdout
        #expect(text.hasPrefix("RFM as of 2026-06-30, window 365 days: 4 members, 3 scored"), "\(text)")
        #expect(text.contains("lifecycle: new 1, active 1, sleeping 1, lost 1, none 0; returning 2"), "\(text)")
        let json = try shop.ok(["rfm", "--as-of", "2026-06-30", "--json"]).stdout
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(obj["memberCount"] as? Int == 4 && obj["scoredCount"] as? Int == 3, "\(json)")
        // Window `all`: d counts too (4 scored).
        #expect(try shop.ok(["rfm", "--as-of", "2026-06-30", "--window", "all"]).stdout.contains("4 members, 4 scored"))
        let bad = try shop.run(["rfm", "--as-of", "2026-13-01"])
        #expect(bad.status != 0 && bad.stderr.contains("--as-of must be a date"))
    }

    @Test func exportFiltersMasksQuotesAndAuditsAClearExport() throws {
        let shop = try Shop()
        let out = shop.dir + "/out.csv"
        let all = try shop.ok(["export", out, "--as-of", "2026-06-30"])
        #expect(all.stdout == "exported 4 members to \(out)\n")
        let lines = try shop.exported(out)
        try #require(lines.count == 5, "\(lines)")
        #expect(lines[0] == "buyer_id,nick,name,phone,province,city,tier,recency_days,frequency,monetary,r_score,f_score,m_score,segment,lifecycle,tags,channels")
        #expect(lines[1] == "a,阿甲,张一,138****0001,浙江,杭州,0,0,3,1500.00,4,4,4,important_value,active,,taobao")
        #expect(lines[2] == "b,\"Amy, \"\"the\"\" buyer\",张二,138****0002,浙江,宁波,0,10,1,50.00,2,1,1,general_winback,new,,taobao")
        #expect(!lines.joined().contains("13800000001"))
        try shop.ok(["export", out, "--as-of", "2026-06-30", "--lifecycle", "sleeping"])
        #expect(try shop.exported(out).dropFirst().map { String($0.prefix(2)) } == ["c,"])
        try shop.ok(["export", out, "--as-of", "2026-06-30", "--segment", "general_winback"])
        #expect(try shop.exported(out).dropFirst().map { String($0.prefix(2)) } == ["b,", "c,"])
        // A ladder whose level-1 threshold equals a's spend (1500 yuan): a reaches it, nobody else.
        try shop.ok(["tiers", "draft", "--level", "1", "--enable", "--threshold", "1500", "--discount", "980"])
        try shop.ok(["tiers", "publish", "--yes"])
        try shop.ok(["export", out, "--as-of", "2026-06-30", "--tier", "1"])
        #expect(try shop.exported(out).dropFirst().map { String($0.prefix(2)) } == ["a,"])
        try shop.ok(["export", out, "--as-of", "2026-06-30", "--tier", "0", "--lifecycle", "lost"])
        #expect(try shop.exported(out).dropFirst().map { String($0.prefix(2)) } == ["d,"])
        let bad = try shop.run(["export", out, "--lifecycle", "asleep"])
        #expect(bad.status == 1 && bad.stderr.contains("unknown lifecycle 'asleep'"))
        // Clear numbers: the owner only, and logged.
        let clear = try shop.ok(["export", out, "--as-of", "2026-06-30", "--reveal"])
        #expect(clear.stdout.contains("with clear phone numbers (logged)"))
        #expect(try shop.exported(out).dropFirst().first?.contains(",13800000001,") == true)
        let entry = try #require(try shop.audit().first)
        #expect(entry["action"] as? String == "export.clear" && entry["operatorName"] as? String == "root", "\(entry)")
    }

    @Test func tagsCreateRuleAddMembersAndAudit() throws {
        let shop = try Shop()
        #expect(try shop.ok(["tags", "create", "直播"]).stdout == "created tag 直播\n")
        #expect(try shop.ok(["tags", "add", "直播", "b"]).stdout == "tagged b 直播\n")
        #expect(try shop.ok(["tags", "add", "直播", "b"]).stdout == "b already has 直播\n")
        // Bounds equal to b's (50) and c's (600) all-time spend are inside: b and c match.
        let rule = try shop.ok(["tags", "create", "中等", "--rule", #"{"spendMin":"50","spendMax":"600"}"#]).stdout
        #expect(rule == "created rule tag 中等: 2 members match\n")
        #expect(try shop.ok(["tags", "rule", "中等", #"{"ordersMin":2,"ordersMax":2}"#]).stdout == "中等: rule set, 1 members match\n")
        let members = try shop.ok(["tags", "members", "中等", "--json"]).stdout
        #expect(members.contains("\"buyerId\" : \"c\"") && !members.contains("\"buyerId\" : \"a\""), "\(members)")
        #expect(members.contains("138****0003"))
        let list = try shop.ok(["tags", "list"]).stdout
        #expect(list.contains("直播") && list.contains("中等"))
        let actions = try shop.audit().compactMap { $0["action"] as? String }
        #expect(Array(actions.prefix(4)) == ["tag.rule", "tag.create", "tag.add", "tag.create"], "\(actions)")
        #expect(try shop.ok(["tags", "remove", "直播", "b"]).stdout == "removed 直播 from b\n")
        #expect(try shop.ok(["tags", "delete", "直播"]).stdout.hasPrefix("deleted 直播 (0 members had it; `ecrm tags restore 直播`"))
        let unknown = try shop.run(["tags", "add", "无此标签", "b"])
        #expect(unknown.status == 1 && unknown.stderrLines.count == 1)
    }

    @Test func healthAndBirthdays() throws {
        let shop = try Shop()
        // Buyers a b c d; twice or more: a, c → 2 of 4. Reactivation from 2026-04-01: d lost (455
        // days), c active (59 days), a and b had not bought → 0 of 0 sleeping + 1 lost.
        // Refunds: 1 of 8 orders, 20 of 1500 + 50 + 600 + 10 + 20 = 2200 yuan.
        let text = try shop.ok(["health", "--as-of", "2026-06-30"]).stdout
        #expect(text.contains("Shop health as of 2026-06-30 (4 buyers)"), "\(text)")
        #expect(text.contains("50.0%  (2 of 4 buyers bought twice or more)"), "\(text)")
        #expect(text.contains("0.0%  (0 of 0 sleeping + 1 lost on 2026-04-01 bought by 2026-06-30)"), "\(text)")
        #expect(text.contains("12.5% of orders (1 of 8)"), "\(text)")
        let json = try shop.ok(["health", "--as-of", "2026-06-30", "--json"]).stdout
        let h = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(h["buyers"] as? Int == 4)
        // Birthdays from 2026-06-30 for 7 days: a (07-02, in 2 days, turning 36); b's 07-10 is day 10.
        let b = try shop.ok(["birthdays", "--from", "2026-06-30", "--days", "7"]).stdout
        #expect(b.hasPrefix("1 birthdays from 2026-06-30 in 7 days\n"), "\(b)")
        #expect(b.contains("2026-07-02") && b.contains("in 2d") && b.contains("36岁") && b.contains("138****0001"), "\(b)")
        let bj = try shop.ok(["birthdays", "--from", "2026-06-30", "--days", "11", "--json"]).stdout
        let list = try #require(try JSONSerialization.jsonObject(with: Data(bj.utf8)) as? [[String: Any]])
        #expect(list.compactMap { $0["buyerId"] as? String } == ["a", "b"])
        #expect(list.compactMap { $0["daysUntil"] as? Int } == [2, 10])
        let bad = try shop.run(["birthdays", "--days", "0"])
        #expect(bad.status != 0)
    }

    @Test func searchShowsMaskedPhones() throws {
        let shop = try Shop()
        let r = try shop.ok(["search", "0001"])      // a phone's last four digits
        #expect(r.stdout.split(separator: "\n").count == 1 && r.stdout.hasPrefix("a "), "\(r.stdout)")
        #expect(r.stdout.contains("138****0001") && !r.stdout.contains("13800000001"), "\(r.stdout)")
    }

    @Test func operatorsAndAuditForTheOwner() throws {
        let shop = try Shop()
        #expect(try shop.ok(["operators", "list"]).stdout.hasPrefix("root\towner\tadded "))
        #expect(try shop.ok(["operators", "add", "clerk"]).stdout == "clerk is now staff\n")
        let listed = try shop.ok(["operators", "list"]).stdout
        #expect(listed.contains("clerk\tstaff\tadded ") && listed.contains("by root"))
        let badRole = try shop.run(["operators", "add", "x", "--role", "boss"])
        #expect(badRole.status == 1 && badRole.stderr.contains("role must be owner or staff"))
        let last = try shop.run(["operators", "remove", "root"])
        #expect(last.status == 1 && last.stderrLines == ["ecrm: root is the last owner; add another owner first"], "\(last.stderr)")
        #expect(try shop.ok(["operators", "remove", "clerk"]).stdout == "removed clerk\n")
        let log = try shop.audit()
        try #require(log.count >= 2, "audit: \(log)")
        #expect(log[0]["action"] as? String == "operators.remove" && log[0]["target"] as? String == "clerk" && log[0]["before"] as? String == "staff")
        #expect(log[1]["action"] as? String == "operators.add" && log[1]["target"] as? String == "clerk" && log[1]["after"] as? String == "staff")
        #expect(log[1]["operatorName"] as? String == "root")
        let text = try shop.ok(["audit", "--limit", "1"]).stdout
        #expect(text.split(separator: "\n").count == 1 && text.contains("  root  operators.remove  clerk"), "\(text)")
        #expect(try shop.ok(["operators", "list"]).stdout.split(separator: "\n").count == 1)
    }

    /// A real OS user as staff: what staff may do works (so the refusals are not a permissions
    /// accident), and every owner-only command is refused with the reason, and each refusal is audited.
    @Test(.enabled(if: geteuid() == 0, "skipped: needs root to create a throwaway OS user (useradd) and run ecrm as it (runuser)"))
    func staffIsRefusedOwnerCommandsAsARealOSUser() throws {
        let staff = try OSUser()
        let stranger = try OSUser()
        let shop = try Shop(groupWritable: staff.name)
        try sh("/usr/sbin/usermod", ["-a", "-G", staff.name, stranger.name])
        #expect(try shop.ok(["operators", "add", staff.name, "--role", "staff"]).stdout == "\(staff.name) is now staff\n")
        let before = try shop.audit().count

        // Allowed for staff: look-ups, a masked export, plain tags, health.
        let found = try shop.ok(["member", "show", "a", "--json"], as: staff.name)
        #expect(found.stdout.contains("\"buyerId\" : \"a\""))
        let out = shop.dir + "/staff.csv"
        try shop.ok(["export", out, "--as-of", "2026-06-30"], as: staff.name)
        #expect(try shop.exported(out).count == 5)
        try shop.ok(["tags", "create", "客服标"], as: staff.name)

        // Refused: the owner's commands, each with its reason, exit 1, one line.
        let refusals: [([String], String)] = [
            (["operators", "add", "eve"], "only the owner can add operators"),
            (["operators", "remove", "root"], "only the owner can remove operators"),
            (["export", out, "--reveal"], "only the owner can export clear phone numbers"),
            (["tags", "create", "规则", "--rule", #"{"ordersMin":1}"#], "only the owner can create rule tags"),
            (["tags", "delete", "客服标"], "only the owner can delete tags"),
            (["tags", "evaluate"], "only the owner can re-evaluate rule tags"),
        ]
        for (args, why) in refusals {
            let r = try shop.run(args, as: staff.name)
            #expect(r.status == 1, "staff ran ecrm \(args.joined(separator: " ")): \(r.stdout)")
            #expect(r.stderrLines.count == 1 && r.stderr.contains(why), "ecrm \(args.joined(separator: " ")): \(r.stderr)")
        }
        #expect(try shop.ok(["operators", "list"]).stdout.split(separator: "\n").count == 2)
        // Staff's masked export and plain tag are logged, and so is every refusal: who tried what.
        let after = try shop.audit()
        let added = after.prefix(max(0, after.count - before))
        let actions = added.compactMap { $0["action"] as? String }
        #expect(added.count == 2 + refusals.count, "\(actions)")
        #expect(added.allSatisfy { $0["operatorName"] as? String == staff.name }, "\(added)")
        #expect(actions.filter { $0 == "refused" }.count == refusals.count, "\(actions)")
        #expect(Set(actions) == ["export", "tag.create", "refused"], "\(actions)")
        #expect(!(try shop.exported(out)).joined().contains("13800000001"))

        // A user the store does not know is refused with the owner's command to add them.
        let r = try shop.run(["search", "阿甲"], as: stranger.name)
        #expect(r.status == 1 && r.stderr.contains("user '\(stranger.name)' is not an operator") && r.stderr.contains("ecrm operators add \(stranger.name) --role staff"), "\(r.stderr)")
    }
}

/// Runs a tool that must succeed (setup), failing with its output otherwise.
@discardableResult
func sh(_ exe: String, _ args: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> CLIResult {
    let r = try runProcess(exe, args, stdin: nil)
    try #require(r.status == 0, "\(exe) \(args.joined(separator: " ")) failed (\(r.status)): \(r.stderr)", sourceLocation: sourceLocation)
    return r
}

/// A throwaway OS user with its own group, deleted (with the group) when released.
final class OSUser {
    let name: String
    init() throws {
        name = "ecrmt" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        try sh("/usr/sbin/useradd", ["-M", "-U", "-s", "/usr/sbin/nologin", name])
    }
    deinit {
        _ = try? runProcess("/usr/sbin/userdel", [name], stdin: nil)
        _ = try? runProcess("/usr/sbin/groupdel", [name], stdin: nil)
    }
}
