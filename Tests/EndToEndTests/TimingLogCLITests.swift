import Foundation
import Testing

/// The benchmarks' tuning lines (TimingLog) reach standard error only when their variable is set:
/// an operator's import prints none of them.
@Suite struct TimingLogCLITests {
    func importMembers(_ extra: [String: String]) throws -> CLIResult {
        let dir = NSTemporaryDirectory() + "ecrm-timing-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = "buyer_id,nick,phone\nb1,小明,13800001111\nb2,阿花,13800002222\n"
        try Data(csv.utf8).write(to: URL(fileURLWithPath: dir + "/members.csv"))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try ecrmBinary())
        p.arguments = ["import", "members", dir + "/members.csv", "--db", dir + "/shop.sqlite", "--lang", "en"]
        var env = ProcessInfo.processInfo.environment
        for v in ["ECRM_RFM_TIMING", "ECRM_SEARCH_TIMING", "ECRM_CHECKPOINT_TIMING"] { env[v] = nil }
        env["LANG"] = "C.UTF-8"
        env.merge(extra) { $1 }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        _ = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return CLIResult(status: p.terminationStatus, stdout: "", stderr: String(decoding: e, as: UTF8.self))
    }

    @Test func tuningLinesOnlyWhenAsked() throws {
        let quiet = try importMembers([:])
        #expect(quiet.status == 0, "\(quiet.stderr)")
        #expect(!quiet.stderr.contains("search rebuild:") && !quiet.stderr.contains("checkpoint after the write:"), "\(quiet.stderr)")
        let timed = try importMembers(["ECRM_SEARCH_TIMING": "1"])
        #expect(timed.status == 0, "\(timed.stderr)")
        let lines = timed.stderr.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("search rebuild: ") }, "\(timed.stderr)")
        #expect(lines.contains { $0.hasPrefix("search refresh of 2: ") && $0.hasSuffix(" ms") }, "\(timed.stderr)")
    }
}
