import Foundation
import Testing

/// A deterministic demo shop (orders up to 2026-06-30) in a fresh directory, driven through the real
/// `ecrm`: the setup CampaignCLITests and CampaignSavedListCLITests share. Removed on deinit.
class DemoCLIShop {
    let dir: String
    var db: String { dir + "/shop.sqlite" }

    init(prefix: String, members: Int, seed: Int) throws {
        dir = NSTemporaryDirectory() + prefix + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let r = try runEcrm(["demo", "--db", dir + "/shop.sqlite", "--members", String(members), "--seed", String(seed), "--end", "2026-06-30"])
        #expect(r.status == 0, "demo: \(r.stderr)")
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    func run(_ args: [String]) throws -> CLIResult { try runEcrm(args + ["--db", db]) }

    @discardableResult
    func expectOK(_ args: [String]) throws -> CLIResult {
        let r = try run(args)
        #expect(r.status == 0, "ecrm \(args.joined(separator: " ")): \(r.stderr)")
        return r
    }

    func json(_ args: [String]) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(try expectOK(args + ["--json"]).stdout.utf8))
    }
}
