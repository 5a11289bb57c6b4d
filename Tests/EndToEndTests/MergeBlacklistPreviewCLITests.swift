import Foundation
import Testing

/// Issue 19, bad input: merging a blacklisted member is allowed, the survivor is blacklisted, and
/// the preview a person reads says so before anything changes (PRODUCT.md: One member across
/// channels). Through the real binary, in both languages; kills the mutation
/// `merge-cli-preview-says-blacklisted` (Tests/Mutations/run.sh).
@Suite struct MergeBlacklistPreviewCLITests {
    @Test func thePreviewSaysTheMergedMemberIsBlacklistedAndTheMergeDoesIt() throws {
        let (db, dir) = try DuplicatesShop.make("ecrm-merge-black")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func run(_ args: [String], _ lang: String = "en") throws -> CLIResult { try runEcrm(args + ["--db", db, "--lang", lang]) }
        #expect(try run(["member", "blacklist", "fang2", "on", "--reason", "恶意差评"]).status == 0)

        let en = try run(["member", "merge", "fang", "fang2"])
        #expect(en.status == 0, "\(en.stderr)")
        #expect(en.stdout.contains("note: fang2 is blacklisted, so the merged member is blacklisted too (no discount)"), "\(en.stdout)")
        let zh = try run(["member", "merge", "fang", "fang2"], "zh")
        #expect(zh.stdout.contains("注意：fang2 在黑名单中，合并后的会员也在黑名单中（不享受折扣）"), "\(zh.stdout)")

        // The preview changed nothing; the merge makes the survivor blacklisted.
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(run(["member", "merge", "fang", "fang2", "--json"]).stdout.utf8)) as? [String: Any])
        #expect((seen["keep"] as? [String: Any])?["status"] as? String == "normal")
        let merged = try #require(try JSONSerialization.jsonObject(with: Data(run(["member", "merge", "fang", "fang2", "--yes", "--json"]).stdout.utf8)) as? [String: Any])
        #expect(merged["blacklistCarried"] as? Bool == true)
        #expect((merged["result"] as? [String: Any])?["status"] as? String == "blacklist")
        #expect((merged["result"] as? [String: Any])?["discount"] as? Int == 1000)

        // Two members with a clean record: no such line.
        let clean = try run(["member", "merge", "wei", "wei2"])
        #expect(clean.status == 0 && !clean.stdout.contains("blacklisted"), "\(clean.stdout)")
    }
}
