import Foundation
import Testing
import TerminalKit
import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// Issue 17, 7: the export dialog offers choices, not words to type; defaults to what Chinese
/// Excel opens; names the file after the list; asks before replacing a file.
@Suite(.serialized) struct ExportDialogTests {
    @Test func choicesBomChineseHeadersAndOverwriteQuestion() throws {
        let h = Harness(store: try GoldenFixture.make())
        h.keys("2")
        let view = try #require(h.app.topView as? SegmentsView)
        h.pump { view.settings != nil }
        h.keys("Enter")   // 重要价值客户
        h.keys("x")
        guard case .form(let f)? = h.app.overlay else { Issue.record("no export form"); return }
        #expect(f.form.fields[0].value.contains("重要价值客户"), "\(f.form.fields[0].value)")
        #expect(f.form.fields[1].choices.count == 3 && f.form.fields[1].value.contains("BOM"))
        // A choice is toggled, never typed.
        h.keys("Tab", "Right")
        guard case .form(let g)? = h.app.overlay else { Issue.record("form closed"); return }
        #expect(g.form.fields[1].value == "UTF-8")
        h.keys("Left")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecrm-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("list.csv").path
        h.keys("S-Tab", "C-u")
        h.type(path)
        h.keys("Enter", "Enter", "Enter", "Enter")
        #expect(h.pump { FileManager.default.fileExists(atPath: path) && (h.app.toast.map { $0.kind == .success } ?? false) })
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "UTF-8 with BOM by default")
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("买家ID,昵称"))
        #expect(text.contains("重要价值客户") && !text.contains("important_value"))
        // The same file again: asked first.
        h.keys("x", "C-u")
        h.type(path)
        h.keys("Enter", "Enter", "Enter", "Enter")
        #expect(h.app.topView is ConfirmView)
        #expect(h.screen().text().contains("覆盖"))
    }
}
