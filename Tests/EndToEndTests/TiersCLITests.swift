import Foundation
import Testing

/// `ecrm tiers …` and `ecrm member tier|blacklist` through the real binary: exit codes, one-line
/// errors on stderr, the typed confirmation and `--yes` when stdin is not a terminal.
@Suite struct TiersCLITests {
    /// A store with a published ladder (1: 100 yuan 9.8折, 2: 500 yuan 9.5折) and buyers b1 (150), b2 (600).
    fileprivate final class Shop {
        let dir: String
        var db: String { dir + "/shop.sqlite" }

        init() throws {
            dir = NSTemporaryDirectory() + "ecrm-tiers-cli-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let csv = """
                order_id,buyer_id,buyer_nick,paid_at,amount,status,items
                1,b1,买家一,2026-01-05 10:00:00,150,paid,1
                2,b2,买家二,2026-01-06 10:00:00,600,paid,1

                """
            try Data(csv.utf8).write(to: URL(fileURLWithPath: dir + "/orders.csv"))
            try expectOK(["import", "orders", dir + "/orders.csv"])
            try expectOK(["tiers", "draft", "--level", "1", "--enable", "--threshold", "100", "--discount", "980", "--name", "普通会员"])
            try expectOK(["tiers", "draft", "--level", "2", "--enable", "--threshold", "500", "--discount", "950"])
            try expectOK(["tiers", "publish", "--yes"])
        }

        deinit { try? FileManager.default.removeItem(atPath: dir) }

        func run(_ args: [String], stdin: String? = nil) throws -> CLIResult {
            try runEcrm(args + ["--db", db, "--lang", "en"], stdin: stdin)
        }

        @discardableResult
        func expectOK(_ args: [String]) throws -> CLIResult {
            let r = try run(args)
            #expect(r.status == 0, "ecrm \(args.joined(separator: " ")): \(r.stderr)")
            return r
        }
    }

    @Test func aShallowerDiscountIsSavedAsDraftButPublishIsRefusedWithTheRule() throws {
        let shop = try Shop()
        let draft = try shop.expectOK(["tiers", "draft", "--level", "2", "--discount", "960"])
        #expect(draft.stdout.contains("✗ 高级会员 (level 2) discount 960 (96% of price) is shallower than live 950 (95% of price)"))
        let r = try shop.run(["tiers", "publish", "--yes"])
        #expect(r.status == 1)
        #expect(r.stderrLines == ["ecrm: cannot publish: 高级会员 (level 2) discount 960 (96% of price) is shallower than live 950 (95% of price): a published tier may only deepen its discount; allowed: ≤ 950 (95% of price)"])
        let live = try shop.expectOK(["tiers", "show", "--json"]).stdout
        #expect(live.contains("\"discount\" : 950"))
    }

    @Test func publishNeedsYesWhenStdinIsNotATerminal() throws {
        let shop = try Shop()
        try shop.expectOK(["tiers", "draft", "--level", "2", "--threshold", "120", "--discount", "940"])
        let refused = try shop.run(["tiers", "publish"], stdin: "publish\n")
        #expect(refused.status == 1)
        #expect(refused.stderrLines == ["ecrm: stdin is not a terminal: publishing cannot be undone, pass --yes to confirm"])
        let ok = try shop.expectOK(["tiers", "publish", "--yes"])
        #expect(ok.stdout.contains("published v2: 1 members moved up"))
        let member = try shop.expectOK(["member", "show", "b1", "--json"]).stdout
        #expect(member.contains("\"tier\" : 2"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs /usr/bin/script (util-linux) to give ecrm a terminal"))
    func theTypedConfirmationOnATerminal() throws {
        let shop = try Shop()
        try shop.expectOK(["tiers", "draft", "--level", "1", "--discount", "970"])
        let cmd = ([ecrmBinary(), "tiers", "publish", "--db", shop.db, "--lang", "en"]).map(shellQuote).joined(separator: " ")
        let wrong = try runProcess("/usr/bin/script", ["-qec", cmd, "/dev/null"], stdin: "nope\n")
        #expect(wrong.stdout.contains("Type publish to confirm") && wrong.stdout.contains("not published: not confirmed"), "\(wrong.stdout)")
        #expect(try shop.expectOK(["tiers", "show", "--json"]).stdout.contains("\"discount\" : 980"), "a wrong word publishes nothing")
        let right = try runProcess("/usr/bin/script", ["-qec", cmd, "/dev/null"], stdin: "publish\n")
        #expect(right.stdout.contains("published v2"), "\(right.stdout)")
        #expect(try shop.expectOK(["tiers", "show", "--json"]).stdout.contains("\"discount\" : 970"))
    }

    @Test func crossingTheDistributorFloorNeedsBelowFloor() throws {
        let shop = try Shop()
        try shop.expectOK(["tiers", "draft", "--floor", "960"])
        let draft = try shop.expectOK(["tiers", "draft"]).stdout
        #expect(draft.contains("! 高级会员 (level 2) discount 950 (95% of price) is below the distributor floor 960"))
        let refused = try shop.run(["tiers", "publish", "--yes"])
        #expect(refused.status == 1 && refused.stderrLines.count == 1)
        #expect(refused.stderr.hasPrefix("ecrm: needs a second confirmation (distributor floor): "))
        try shop.expectOK(["tiers", "publish", "--yes", "--below-floor"])
    }

    @Test func staleExpectVersionIsRefused() throws {
        let shop = try Shop()
        try shop.expectOK(["tiers", "draft", "--level", "1", "--discount", "970"])
        let r = try shop.run(["tiers", "publish", "--yes", "--expect-version", "0"])
        #expect(r.status == 1 && r.stderr.contains("preview again, then publish"))
    }

    @Test func manualTierAndBlacklistChangesWithReasons() throws {
        let shop = try Shop()
        let noReason = try shop.run(["member", "tier", "b2", "--level", "0"])
        #expect(noReason.status == 1)
        #expect(noReason.stderrLines == ["ecrm: Lowering from level 2 to 0 needs a reason: demotions go to the audit log; allowed: a non-empty reason"])
        #expect(try shop.expectOK(["member", "tier", "b2", "--level", "0", "--reason", "刷单"]).stdout.contains("b2: level 2 → 0"))
        #expect(try shop.expectOK(["member", "blacklist", "b1", "on", "--reason", "恶意差评"]).stdout.contains("keeps level 1"))
        let raise = try shop.run(["member", "tier", "b1", "--level", "2"])
        #expect(raise.status == 1 && raise.stderr.contains("blacklisted member cannot be upgraded"))
        let audit = try shop.expectOK(["audit", "--json"]).stdout
        #expect(audit.contains("member.tier") && audit.contains("member.blacklist") && audit.contains("刷单"))
    }

    @Test func previewJSONCarriesTheDiffAndImpact() throws {
        let shop = try Shop()
        try shop.expectOK(["tiers", "draft", "--level", "2", "--threshold", "120"])
        let json = try shop.expectOK(["tiers", "preview", "--json"]).stdout
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(obj["movesUp"] as? [Int] == [0, 0, 1, 0, 0])
        #expect(obj["canPublish"] as? Bool == true)
        let changes = try #require(obj["changes"] as? [[String: Any]])
        #expect(changes.count == 1 && changes[0]["field"] as? String == "threshold" && changes[0]["to"] as? String == "120.00")
    }
}

/// What one run of the `ecrm` binary printed and returned.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
}

/// The `ecrm` that `swift test` built, next to the test bundle (<scratch>/debug/ecrm).
func ecrmBinary() -> String {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("ecrm").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return "ecrm"
}

func runEcrm(_ args: [String], stdin: String? = nil) throws -> CLIResult {
    try runProcess(ecrmBinary(), args, stdin: stdin)
}

func runProcess(_ path: String, _ args: [String], stdin: String?) throws -> CLIResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    var env = ProcessInfo.processInfo.environment
    env["LANG"] = "C.UTF-8"
    p.environment = env
    let out = Pipe(), err = Pipe(), inp = Pipe()
    p.standardOutput = out; p.standardError = err; p.standardInput = inp
    try p.run()
    if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
    try inp.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return CLIResult(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
}

fileprivate func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
