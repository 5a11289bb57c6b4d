import Foundation
import Testing

/// Issue 21 point 1: the store owns its database. Outside ECRMStore no Swift file imports GRDB,
/// holds SQL or reaches for `store.pool`: the command line, the benchmark (and, once its move is
/// merged, the console) go through the store's public calls.
@Suite struct ModuleBoundaryTests {
    /// The folders checked: everything outside the store.
    static let checked = ["Sources/ECRMConsole", "Sources/ecrm", "Sources/ecrm-bench"]

    /// What a file there must not contain (regular expressions), with why.
    static let patterns: [(String, String)] = [
        (#"(?m)^\s*(@[A-Za-z_]+(\([^)]*\))?\s+)*import\s+(GRDB|GRDBSQLite|SQLite3)\b"#, "imports GRDB or SQLite"),
        (#"\.pool(?![A-Za-z0-9_])"#, "reaches for store.pool"),
        (#"\bsql:"#, "holds SQL"),
        (#"\b(SELECT|INSERT|UPDATE|DELETE)\s+[^"\n]*\b(FROM|INTO|SET)\b"#, "holds SQL"),
    ]

    static func forbidden() throws -> [(Regex<AnyRegexOutput>, String)] {
        try patterns.map { (try Regex($0.0), $0.1) }
    }

    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func swiftFiles(under folder: String) -> [URL] {
        let dir = root.appendingPathComponent(folder)
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [] }
        return e.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
    }

    @Test("no file of the command line or the benchmark imports GRDB, holds SQL or uses store.pool",
          arguments: checked)
    func noDatabaseOutsideTheStore(_ folder: String) throws {
        let files = Self.swiftFiles(under: folder)
        #expect(!files.isEmpty, "no Swift files under \(folder)")
        for url in files {
            let text = try String(contentsOf: url, encoding: .utf8)
            for (pattern, why) in try Self.forbidden() {
                if let m = text.firstMatch(of: pattern) {
                    Issue.record("\(folder)/\(url.lastPathComponent) \(why): \(text[m.range].trimmingCharacters(in: .whitespacesAndNewlines))")
                }
            }
        }
    }

    @Test("the check finds what it looks for (a file importing GRDB and using the pool is caught)")
    func theCheckCanFail() throws {
        let bad = """
            import Foundation
            @_spi(Bench) import GRDB
            let n = try store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM member") }
            """
        let forbidden = try Self.forbidden()
        let caught = forbidden.filter { bad.firstMatch(of: $0.0) != nil }.map(\.1)
        #expect(Set(caught) == ["imports GRDB or SQLite", "reaches for store.pool", "holds SQL"])
        #expect(forbidden.allSatisfy { "import ECRMStore\nlet hits = try MemberSearch.search(store, q)".firstMatch(of: $0.0) == nil })
    }
}
