import Foundation
import Testing

/// Issue 17, 11: the command line as a careful user finds it.
@Suite struct CommandLine17Tests {
    let store: String
    init() throws { store = try sharedDemoStore() }

    /// Status and stdout+stderr together.
    func ecrm(_ args: String) throws -> (status: Int32, out: String) {
        try runTool("/bin/sh", ["-c", "'\(builtEcrm)' \(args) 2>&1"])
    }

    @Test func versionExists() throws {
        let r = try ecrm("--version")
        #expect(r.status == 0)
        #expect(r.out.first?.isNumber == true)
    }

    @Test func memberShowWithSeveralMatchesListsThem() throws {
        let r = try ecrm("member show 王 --db '\(store)'")
        #expect(!r.out.contains("no member"), "\(r.out)")
        #expect(r.out.contains("members match"))
        #expect(r.out.split(separator: "\n").count > 2)
    }

    @Test func dbNamingADirectorySaysSo() throws {
        let r = try ecrm("search 王 --db /tmp")
        #expect(r.status == 1)
        #expect(r.out.contains("directory"), "\(r.out)")
    }

    @Test func tiersDraftLevelOutOfRangeIsOneLine() throws {
        let r = try ecrm("tiers draft --level 9 --discount 900 --db '\(store)'")
        #expect(r.status == 1)
        #expect(r.out.split(separator: "\n").count == 1, "\(r.out)")
        #expect(r.out.contains("9"))
    }

    /// A store the user may read but not write (here: nobody, an operator, on root's 644 file in
    /// a 755 directory) still answers search, member show and export, and says it is read-only.
    @Test func aReadOnlyStoreStillAnswers() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecrm-ro-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let db = dir.path + "/shop.db"
        try FileManager.default.copyItem(atPath: store, toPath: db)
        #expect(try ecrm("operators add nobody --role staff --db '\(db)'").status == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: db)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ecrm-ro-\(UUID().uuidString).csv").path
        let nobody = "/usr/bin/setpriv --reuid 65534 --regid 65534 --clear-groups"
        for args in ["search 王", "member show 王", "export '\(out)'"] {
            let r = try runTool("/bin/sh", ["-c", "\(nobody) '\(builtEcrm)' \(args) --db '\(db)' 2>&1"])
            #expect(r.out.contains("read-only"), "\(args): \(r.out)")
            #expect(!r.out.contains("cannot open"), "\(args): \(r.out)")
        }
        #expect(FileManager.default.fileExists(atPath: out))
    }

    @Test func tagsListMarksRuleTags() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecrm-cli17-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: store, toPath: dir.path + "/shop.db")
        let created = try ecrm("tags create 浙江客 --rule '{\"provinces\":[\"浙江\"]}' --db '\(dir.path)/shop.db'")
        #expect(created.status == 0, "\(created.out)")
        let list = try ecrm("tags list --db '\(dir.path)/shop.db'")
        let line = list.out.split(separator: "\n").first { $0.hasPrefix("浙江客") } ?? ""
        #expect(line.contains("rule") && line.contains("浙江"), "\(list.out)")
    }

    @Test func chineseSegmentNamesWorkLikeKeys() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecrm-cli17-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let byKey = try ecrm("export '\(dir.path)/a.csv' --segment important_value --db '\(store)'")
        let byName = try ecrm("export '\(dir.path)/b.csv' --segment 重要价值客户 --db '\(store)'")
        #expect(byKey.status == 0 && byName.status == 0, "\(byName.out)")
        let a = try String(contentsOfFile: dir.path + "/a.csv", encoding: .utf8)
        let b = try String(contentsOfFile: dir.path + "/b.csv", encoding: .utf8)
        #expect(a == b)
        let lcKey = try ecrm("export '\(dir.path)/c.csv' --lifecycle lost --db '\(store)'")
        let lcName = try ecrm("export '\(dir.path)/d.csv' --lifecycle 流失 --db '\(store)'")
        #expect(lcKey.status == 0 && lcName.status == 0, "\(lcName.out)")
        #expect(try String(contentsOfFile: dir.path + "/c.csv", encoding: .utf8) == String(contentsOfFile: dir.path + "/d.csv", encoding: .utf8))
    }
}
