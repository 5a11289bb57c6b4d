import Foundation
import Testing
import TerminalKit
import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// Issue 17, 5: every string a person reads exists in both languages, and a zh string has no
/// English words (beyond product terms and key names), an en string no Chinese.
@Suite struct TranslationTests {
    /// Words a Chinese screen may show as they are.
    static let allowedInZh: Set<String> = [
        "VIP", "RFM", "ID", "CSV", "UTF", "BOM", "GBK", "GB", "ecrm", "Tab", "Esc", "Enter", "Space",
        "PgUp", "PgDn", "Home", "End", "Ctrl", "Shift", "publish", "below", "floor", "Excel", "FILE", "csv",
        "vip", "NAME", "zh", "en", "mono", "default", "light", "high", "contrast", "lang", "theme", "export",
        "search", "undo", "health", "birthdays", "help", "TEXT", "BOM", "utf", "gb", "excel",
    ]

    /// Every fixed text in a label table: strings, lists and dictionaries (closures are checked
    /// by the calls below: casting them generically through Mirror is not safe).
    static func texts(_ value: Any, path: String = "") -> [(String, String)] {
        var out: [(String, String)] = []
        for child in Mirror(reflecting: value).children {
            let name = path + (child.label ?? "?")
            let v = child.value
            switch v {
            case let s as String: out.append((name, s))
            case let a as [String]: out += a.map { (name, $0) }
            case let d as [String: String]: out += d.map { (name + "." + $0.key, $0.value) }
            case let d as [String: (String, String?)]:
                for (key, pair) in d {
                    let keyName: String = name + "." + key
                    out.append((keyName, pair.0))
                    if let hint = pair.1 { out.append((keyName, hint)) }
                }
            case is Labels.Type, is MessageLanguage: break
            default:
                if Mirror(reflecting: v).displayStyle == .dictionary {
                    for case let (k, val) as (Any, String) in Mirror(reflecting: v).children.map({ $0.value }) { out.append((name + ".\(k)", val)) }
                }
            }
        }
        return out
    }

    /// Messages built by closures, called with sample values.
    static func messages(_ l: Labels) -> [(String, String)] {
        let s = l.seg
        return [
            ("searchStatus", l.searchStatus("x", "3")), ("noMatches", l.noMatches("x")), ("exported", l.exported(3, "f.csv")),
            ("unknownCommand", l.unknownCommand("x")), ("themeSet", l.themeSet("x")), ("usage", l.usage("x")),
            ("days", l.days(3)), ("orders", l.orders(3)), ("tagAdded", l.tagAdded("x")), ("blacklistCount", l.blacklistCount(3)),
            ("bulkTitle", s.bulkTitle("x")), ("bulkPreview", s.bulkPreview("1", "2", "x", "3")), ("bulkDone", s.bulkDone("3", "x")),
            ("undone", s.undone(true, "3", "x", "y")), ("edgesInvalid", s.edgesInvalid("x")),
            ("unknownTheme", l.unknownTheme("x", "y")), ("ruleTagByHand", l.ruleTagByHand("x")),
            ("edgesNotIncreasing", s.edgesNotIncreasing("R", "28", "21")), ("edgesCount", s.edgesCount("R", 3)),
            ("edgesNotNumbers", s.edgesNotNumbers("R", "x")), ("edgesNegative", s.edgesNegative("R")),
            ("undoneScope", AuditLabels(zh: l.language == .zh).scope("grid R5 F5") + AuditLabels(zh: l.language == .zh).scope("20000 listed members")),
        ]
    }

    static func englishWords(_ s: String) -> [String] {
        s.split(whereSeparator: { !($0.isASCII && $0.isLetter) }).map(String.init).filter { $0.count >= 2 && !allowedInZh.contains($0) }
    }

    @Test func zhLabelsHaveNoEnglishWords() {
        let all = Self.texts(Labels.zh) + Self.texts(Labels.zh.seg, path: "seg.") + Self.messages(.zh)
        let bad = all.filter { !Self.englishWords($0.1).isEmpty }.map { "\($0.0): \($0.1)" }
        #expect(bad.isEmpty, "untranslated zh labels:\n\(bad.joined(separator: "\n"))")
    }

    @Test func enLabelsHaveNoChinese() {
        let all = Self.texts(Labels.en) + Self.texts(Labels.en.seg, path: "seg.") + Self.messages(.en)
        let bad = all.filter { $0.1.contains { displayWidth($0) == 2 } }.map { "\($0.0): \($0.1)" }
        #expect(bad.isEmpty, "untranslated en labels:\n\(bad.joined(separator: "\n"))")
    }

    @Test func everyKeyHasBothLanguages() {
        #expect(Set(Labels.zh.keys.keys) == Set(Labels.en.keys.keys))
        #expect(Set(Labels.zh.contextTitles.keys) == Set(Labels.en.contextTitles.keys))
        let zh = Self.texts(Labels.zh).map(\.0), en = Self.texts(Labels.en).map(\.0)
        #expect(Set(zh) == Set(en))
    }

    /// The edges editor's own problems, in the interface language (not the domain's English).
    @Test func edgesProblemsInTheInterfaceLanguage() {
        guard case .failure(let e) = EdgesText.parse(["7 28 21 90", "1 2 3 4", "100 200 300 400"], words: Labels.zh.seg) else {
            Issue.record("accepted"); return
        }
        #expect(e.message == "R 的边界必须逐个增大（28 之后是 21）")
    }

    /// What the store says in English reaches a zh screen in Chinese (tag names, undo, owner-only).
    @Test func storeErrorsInTheInterfaceLanguage() throws {
        let store = try GoldenFixture.make()
        let h = Harness(store: store)
        h.keys("3", "n")
        h.type(String(repeating: "长", count: 30))
        h.keys("Enter")
        guard case .form(let f)? = h.app.overlay else { Issue.record("the form closed"); return }
        let message = f.form.fields[0].error ?? ""
        #expect(message.contains("最多") && Self.englishWords(message).isEmpty, "\(message)")
        let l = Labels.zh
        for e in [StoreError.notFound("nothing to undo: alice has no bulk tag action left to undo"),
                  .conflict("a tag named 'VIP' already exists"), .locked(path: "/x"),
                  .permissionDenied("only the owner can delete tags (you are 'bob', staff)")] {
            let text = l.describe(e)
            #expect(Self.englishWords(text.replacingOccurrences(of: "bob", with: "")).allSatisfy { $0 == "VIP" }, "\(text)")
        }
    }

    /// Files whose store errors only the command line meets (import, search build, operators,
    /// setup, rule JSON, opening a store, campaign options, dry runs and import profiles): the console
    /// never triggers them.
    static let commandLineOnly: Set<String> = [
        "Importer.swift", "ImportFormat.swift", "SpoolFile.swift", "EarlyPairs.swift", "PartitionSort.swift",
        "MemberTextSpool.swift", "AppendKey.swift", "SharedStore.swift", "Operators.swift", "RuleTags.swift",
        "CampaignTarget.swift", "Store.swift", "DryRun.swift", "ImportProfile.swift",
    ]

    /// Every English message literal the store throws as StoreError, interpolations replaced by "1".
    static func storeErrorLiterals() throws -> [(file: String, error: StoreError)] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.appendingPathComponent("Sources/ECRMStore")
        var out: [(String, StoreError)] = []
        let files = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)!
        for case let url as URL in files where url.pathExtension == "swift" && !commandLineOnly.contains(url.lastPathComponent) {
            let text = Array(try String(contentsOf: url, encoding: .utf8))
            let source = String(text)
            for m in source.matches(of: /\.(invalid|notFound|conflict|permissionDenied)\("/) {
                var i = source.distance(from: source.startIndex, to: m.range.upperBound)
                var literal = "", depth = 0
                while i < text.count {
                    let c = text[i]
                    if depth > 0 {
                        if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }
                    } else if c == "\\", i + 1 < text.count {
                        if text[i + 1] == "(" { depth = 1; literal += "1" } else { literal.append(text[i + 1]) }
                        i += 1
                    } else if c == "\"" {
                        break
                    } else { literal.append(c) }
                    i += 1
                }
                let e: StoreError = switch m.output.1 {
                case "invalid": .invalid(literal)
                case "notFound": .notFound(literal)
                case "conflict": .conflict(literal)
                default: .permissionDenied(literal)
                }
                out.append((url.lastPathComponent, e))
            }
        }
        return out
    }

    /// Every store error a console user can meet reads in Chinese on a zh screen: a new English
    /// message that the zh table does not know fails here (the file and message are named).
    @Test func everyStoreErrorTheConsoleMeetsIsTranslated() throws {
        let errors = try Self.storeErrorLiterals()
        #expect(errors.count > 20, "the scan found only \(errors.count) messages")
        let bad = errors.compactMap { file, e -> String? in
            let text = Labels.zh.describe(e)
            return text.hasPrefix("出错") || text.hasPrefix("没有权限：") || !Self.englishWords(text).isEmpty ? "\(file): \(e) → \(text)" : nil
        }
        #expect(bad.isEmpty, "untranslated store errors:\n\(bad.joined(separator: "\n"))")
    }

    /// A long refusal under a form field is wrapped inside the box, not cut.
    @Test func aLongFormErrorIsWrappedNotCut() throws {
        let store = try GoldenFixture.make()
        _ = try TagService(store: store).create("浙江客", rule: try RuleTags.parse(#"{"provinces":["浙江"]}"#))
        let h = Harness(store: store)
        h.app.handle(.paste("王"))
        #expect(h.pump { (h.app.topView as? MemberListView)?.isSearchResult == true && !h.app.search.pending })
        h.keys("Enter", "Enter", "t")
        h.type("浙江客")
        h.keys("Enter")
        let text = h.screen().text()
        #expect(text.contains("不能手动增减") && text.contains("普通标签"), "\(text)")
        #expect(!text.contains("…"), "\(text)")
    }

    @Test func theEnglishHelpOverlayIsEnglish() throws {
        let h = Harness(store: try GoldenFixture.make(), role: .staff, language: .en)
        h.keys("?")
        let text = h.screen().text()
        #expect(text.contains("q/Esc close") && !text.contains("关闭") && !text.contains("不可用"), "\(text)")
    }

    @Test func auditEntriesReadAsSentences() throws {
        let store = try GoldenFixture.make()
        try TierService.editDraft(store) { $0[4].discount = 860 }
        let preview = try TierService.preview(store)
        _ = try TierService.publish(store, reviewed: preview, confirmFloor: true)
        _ = try TagService(store: store).create("回头客")
        _ = try BulkTagger(store: store).apply("回头客", to: .grid(r: 5, f: 5))
        for (lang, must, mustNot) in [(MessageLanguage.zh, "发布了等级 v2", ["tiers.publish", "{", "grid R5"]),
                                      (.en, "published tiers v2", ["tiers.publish", "{", "折"])] {
            let h = Harness(store: store, language: lang)
            h.keys("5")
            let text = h.screen(120, 40).text()
            #expect(text.contains(must), "\(text)")
            for m in mustNot { #expect(!text.contains(m), "\(m) in:\n\(text)") }
        }
    }
}
