import Foundation
import Testing

/// kill -9 at random moments (fixed seed) of real `ecrm` processes: an import, a tier publish and
/// a bulk tag that creates its tag. Each kill must leave the store as it was before the action or
/// as the action leaves it when it completes, never in between, and SQLite's integrity check ok.
@Suite(.serialized) struct KillTests {
    /// The census fields an action changes (integrity is checked apart).
    struct State: Equatable, CustomStringConvertible {
        var members = 0, orders = 0, tierVersions = 0, tagActions = 0, audit = 0
        var paidOrdersSum: Int64 = 0, paidStatsSum: Int64 = 0
        var tagMembers: [String: Int] = [:]
        var description: String { "members \(members) orders \(orders) tiers \(tierVersions) tagActions \(tagActions) audit \(audit) paid \(paidOrdersSum)/\(paidStatsSum) tags \(tagMembers)" }
    }

    static func census(_ db: String) throws -> (integrity: String, state: State) {
        let r = try runTool(benchBinary, ["census", "--db", db])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any], "census: \(r.out)")
        var s = State()
        s.members = json["members"] as? Int ?? -1
        s.orders = json["orders"] as? Int ?? -1
        s.tierVersions = json["tierVersions"] as? Int ?? -1
        s.tagActions = json["tagActions"] as? Int ?? -1
        s.audit = json["audit"] as? Int ?? -1
        s.paidOrdersSum = (json["paidOrdersSum"] as? NSNumber)?.int64Value ?? -1
        s.paidStatsSum = (json["paidStatsSum"] as? NSNumber)?.int64Value ?? -1
        s.tagMembers = json["tagMembers"] as? [String: Int] ?? [:]
        return (json["integrity"] as? String ?? "", s)
    }

    @Test func killedImportPublishAndBulkTagLeaveNothingOrEverything() throws {
        let dir = NSTemporaryDirectory() + "ecrm-kill-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let base = dir + "/base.db"
        #expect(try runTool(builtEcrm, ["demo", "--db", base, "--members", "3000", "--end", "2026-11-20", "--force"]).status == 0)
        // A draft to publish: a lower first threshold raises members (the publish writes many rows).
        #expect(try runTool(builtEcrm, ["tiers", "draft", "--db", base, "--level", "1", "--threshold", "50"]).status == 0)
        // 4,000 new orders, a third of them from buyers the store does not know yet.
        var csv = "order_id,buyer_id,buyer_nick,paid_at,amount,status\n"
        var rng = SplitMix(seed: 15)
        for i in 0..<4000 {
            let buyer = i % 3 == 0 ? "kill-new-\(i)" : "kill-old-\(rng.next() % 500)"
            csv += "\(8_000_000_000 + i),\(buyer),,2026-11-\(10 + rng.next() % 9) 10:00:00,\(50 + rng.next() % 900).50,paid\n"
        }
        let orders = dir + "/orders.csv"
        try Data(csv.utf8).write(to: URL(fileURLWithPath: orders))

        let actions: [(name: String, args: [String])] = [
            ("import", ["import", "orders", orders]),
            ("publish", ["tiers", "publish", "--yes"]),
            ("bulk tag", ["tags", "apply", "杀九", "--segment", "important_value", "--yes", "--create"]),
        ]
        let trial = dir + "/trial.db"
        func fresh() throws {
            for s in ["", "-wal", "-shm", "-journal", "-writer"] { try? FileManager.default.removeItem(atPath: trial + s) }
            try FileManager.default.copyItem(atPath: base, toPath: trial)
        }
        let before = try Self.census(base)
        #expect(before.integrity == "ok")
        var kills = 0, partial = 0
        for action in actions {
            // The whole action once, unkilled: the "everything" state and how long it runs.
            try fresh()
            let t0 = Date()
            let done = try runTool(builtEcrm, action.args + ["--db", trial])
            let duration = Date().timeIntervalSince(t0)
            #expect(done.status == 0, "\(action.name) failed: \(done.out)")
            let after = try Self.census(trial)
            #expect(after.state != before.state, "\(action.name) changed nothing")
            for _ in 0..<6 {
                try fresh()
                let pid = try spawn(builtEcrm, action.args + ["--db", trial])
                usleep(UInt32(Double(rng.next() % 1000) / 1000 * duration * 1_000_000))
                kill(pid, SIGKILL)
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                kills += 1
                let now = try Self.census(trial)
                #expect(now.integrity == "ok", "\(action.name): integrity \(now.integrity)")
                if now.state != before.state && now.state != after.state {
                    partial += 1
                    Issue.record("\(action.name) killed left a partial state:\n  before \(before.state)\n  after  \(after.state)\n  now    \(now.state)")
                }
            }
        }
        #expect(kills == 18 && partial == 0)
    }
}

/// `ecrm-bench`, built next to `ecrm`.
let benchBinary: String = URL(fileURLWithPath: builtEcrm).deletingLastPathComponent().appendingPathComponent("ecrm-bench").path

/// Starts a program (output to /dev/null) and returns its pid without waiting.
func spawn(_ exe: String, _ args: [String]) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for fd in [Int32(0), 1, 2] { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
    let argv = ([exe] + args).map { strdup($0) } + [nil]
    defer { for a in argv { free(a) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, exe, &actions, nil, argv, environ)
    guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .ENOENT) }
    return pid
}

/// A tiny seeded generator: the same kill moments every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: (z ^ (z >> 31)) >> 1)
    }
}

/// The command line waits for another session's import and says so once on stderr.
@Suite(.serialized) struct WaitCLITests {
    @Test func aTagCreatedDuringAnImportWaitsAndSaysForWhom() throws {
        let dir = NSTemporaryDirectory() + "ecrm-wait-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/shop.db"
        // An import long enough to be caught holding the lock: 30,000 orders.
        let rows = (0..<30_000).map { "\($0 + 1),b\($0 % 20_000),,2026-10-01 10:00:00,12.50,paid" }
        try Data(("order_id,buyer_id,buyer_nick,paid_at,amount,status\n" + rows.joined(separator: "\n") + "\n").utf8)
            .write(to: URL(fileURLWithPath: dir + "/o.csv"))
        #expect(try runEcrm(["tags", "create", "先有", "--db", db, "--lang", "en"]).status != 0)   // no store yet
        #expect(try runEcrm(["import", "members", try member(dir), "--db", db]).status == 0)
        let importer = try spawn(builtEcrm, ["import", "orders", dir + "/o.csv", "--db", db])
        // The importer's label appears once it holds the write lock.
        let end = Date().addingTimeInterval(60)
        while Date() < end, !((try? String(contentsOfFile: db + "-writer", encoding: .utf8)) ?? "").contains("\timport") { usleep(2_000) }
        let r = try runEcrm(["tags", "create", "导入时", "--db", db, "--lang", "en"])
        var status: Int32 = 0
        while waitpid(importer, &status, 0) < 0 && errno == EINTR {}
        #expect(r.status == 0, "\(r.stderr)")
        let waits = r.stderrLines.filter { $0.contains("waiting for") }
        #expect(waits.count == 1 && waits[0].contains("'s import…"), "stderr: \(r.stderr)")
        #expect(try runEcrm(["tags", "list", "--db", db]).stdout.contains("导入时"))
    }

    private func member(_ dir: String) throws -> String {
        let p = dir + "/m.csv"
        try Data("buyer_id,nick\nb0,first\n".utf8).write(to: URL(fileURLWithPath: p))
        return p
    }
}
