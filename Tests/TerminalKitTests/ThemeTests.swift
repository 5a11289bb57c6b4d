import Testing
import Foundation
@testable import TerminalKit

private let repoThemes = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("themes").path

@Suite struct ThemeTests {
    @Test func colourFallback() throws {
        let orange = try #require(TermColor(parsing: "#ff8700"))
        #expect(orange.resolved(forColors: 256) == 208)
        #expect(orange.resolved(forColors: 16) == 3)     // nearest system colour: yellow
        #expect(orange.resolved(forColors: 8) == 3)
        #expect(orange.resolved(forColors: 2) == nil)
        #expect(TermColor(parsing: "#808080")?.resolved(forColors: 256) == 244)   // grey ramp beats the cube
        #expect(TermColor.indexed(196).resolved(forColors: 16) == 9)
        #expect(TermColor.indexed(196).resolved(forColors: 8) == 1)
        #expect(TermColor.indexed(12).resolved(forColors: 8) == 4)
        #expect(TermColor(parsing: "default")?.resolved(forColors: 256) == -1)
        #expect(TermColor(parsing: "bright-red") == .indexed(9))
        #expect(TermColor(parsing: "#12345") == nil)
        #expect(TermColor(parsing: "purple") == nil)
    }

    @Test func fallbackChainsPickTheFirstNativeEntry() throws {
        let t = try Theme.parse(toml: """
        [roles]
        selection = { fg = "black", bg = ["#5fafff", "bright_black", "cyan"], attrs = ["bold"] }
        """, name: "t")
        let s = t.style(.selection)
        #expect(s.resolvedColors(forColors: 256).map { $0 == (0, 75) } == true)
        #expect(s.resolvedColors(forColors: 16).map { $0 == (0, 8) } == true)
        #expect(s.resolvedColors(forColors: 8).map { $0 == (0, 6) } == true)
        #expect(s.attributes == .bold)
        #expect(t.style("unknown_role") == t.style(.text))
    }

    @Test func badThemesGiveClearErrors() {
        #expect(throws: ThemeError.self) { try Theme.parse(toml: "[roles]\ntext = { fg = \"purple\" }", name: "x") }
        do { _ = try Theme.parse(toml: "[roles]\ntext = { fg = \"purple\" }", name: "x") } catch {
            #expect(error.description.contains("roles.text.fg: bad colour"))
        }
        do { _ = try Theme.parse(toml: "[roles]\ntext = { blink = true }", name: "x") } catch {
            #expect(error.description.contains("unknown field \"blink\""))
        }
    }

    @Test(arguments: ["default", "light", "high-contrast", "mono"])
    func shippedThemesDefineEveryRole(_ name: String) throws {
        let theme = try ThemeLoader(searchDirectories: [repoThemes]).load(name)
        for role in StyleRole.standard { #expect(theme.roles[role] != nil, "\(name) lacks \(role)") }
    }

    @Test func compiledInCopiesMatchTheFiles() throws {
        for (name, source) in BuiltinThemes.sources {
            let file = try String(contentsOfFile: repoThemes + "/\(name).toml", encoding: .utf8)
            #expect(source + "\n" == file, "BuiltinThemes.\(name) is stale: regenerate from themes/\(name).toml")
        }
    }

    @Test func loaderFallsBackToBuiltinsAndListsNames() throws {
        let loader = ThemeLoader(searchDirectories: ["/nonexistent"])
        #expect(try loader.load("default").name == "default")
        #expect(try loader.load("mono").monochrome)
        #expect(throws: ThemeError.unknown(name: "neon", available: ["default", "mono"])) { try loader.load("neon") }
        #expect(throws: ThemeError.self) { try loader.load("../etc/passwd") }
        let full = ThemeLoader(searchDirectories: [repoThemes])
        #expect(full.availableThemes() == ["default", "high-contrast", "light", "mono"])
    }

    @Test func noColorSelectsMonoWhereSelectionStillShows() throws {
        let env = ["NO_COLOR": "1"]
        let mono = try ThemeLoader(searchDirectories: [repoThemes], environment: env).select("light", terminalColors: 256)
        #expect(mono.name == "mono")
        #expect(mono.style(.selection).attributes.contains(.reverse))
        let empty = try ThemeLoader(searchDirectories: [repoThemes], environment: ["NO_COLOR": ""]).select("light", terminalColors: 256)
        #expect(empty.name == "light")   // set but empty does not count (no-color.org)
        let few = try ThemeLoader(searchDirectories: [repoThemes]).select(nil, terminalColors: 0)
        #expect(few.name == "mono")
    }

    @Test func xdgThemesDirectoryComesFirst() throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("tk-theme-\(getpid())")
        let dir = tmp.appendingPathComponent("ecrm/themes")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        try "name = \"default\"\ndescription = \"mine\"\n[roles]\ntext = {}\n".write(
            to: dir.appendingPathComponent("default.toml"), atomically: true, encoding: .utf8)
        let loader = ThemeLoader(environment: ["XDG_CONFIG_HOME": tmp.path, "ECRM_THEMES_DIR": repoThemes],
                                 executablePath: "/nonexistent/bin/ecrm")
        #expect(try loader.load("default").description == "mine")
        #expect(try loader.load("light").name == "light")    // from ECRM_THEMES_DIR
    }
}
