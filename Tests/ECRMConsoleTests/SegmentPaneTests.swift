import Foundation
import Testing
import TerminalKit
@testable import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// Segments pane, edges editor, tags pane, bulk tag/undo and health: state and 80x24 goldens on
/// the CSV-built GoldenFixture (as-of pinned).
@Suite(.serialized) struct SegmentPaneTests {
    /// Opens pane 2 and waits for the stored summary.
    func segments(_ h: Harness, sourceLocation: SourceLocation = #_sourceLocation) throws -> SegmentsView {
        h.keys("2")
        let view = try #require(h.app.topView as? SegmentsView, sourceLocation: sourceLocation)
        #expect(h.pump(timeout: 20) { view.settings != nil }, "the stored summary never arrived", sourceLocation: sourceLocation)
        return view
    }

    @Test func gridCursorDrillsToMembersAndCard() throws {
        let h = Harness(store: try GoldenFixture.make())
        _ = try segments(h)
        // Down past 9 segment rows into the lifecycle line, then into the grid (R5), right twice.
        for _ in 0..<10 { h.keys("j") }
        h.keys("Right", "Right")
        expectGolden(h.screen(), "segments-grid-cursor", SegmentGoldens.gridCursor)
        h.keys("Enter")
        let list = try #require(h.app.topView as? MemberListView)
        #expect(list.title == "R5×F3")
        let expected = try MemberSets.count(h.store, .grid(r: 5, f: 3))
        #expect(list.count == expected)
        #expect(expected > 0)
        h.keys("Enter")
        #expect(h.app.topView is MemberCardView)
    }

    @Test func lifecycleGroupDrillsToItsMembers() throws {
        let h = Harness(store: try GoldenFixture.make())
        _ = try segments(h)
        for _ in 0..<9 { h.keys("j") }
        h.keys("Right")   // 活跃
        h.keys("Enter")
        let list = try #require(h.app.topView as? MemberListView)
        let expected = try MemberSets.count(h.store, .lifecycle(.active))
        #expect(list.count == expected)
    }

    @Test func windowKeyRecomputesInTheBackground() throws {
        let h = Harness(store: try GoldenFixture.make())
        let view = try segments(h)
        h.keys("w")   // 365 → all
        #expect(h.pump { view.settings?.windowDays == nil })
        h.keys("w", "w")   // all → 30 → 90: the newer request wins
        #expect(h.pump { view.settings?.windowDays == 90 })
        let stored = try h.store.pool.read { db in try BrowseStats.storedSegmentSummary(db) }
        #expect(stored?.settings.windowDays == 90)
    }

    @Test func staffSeeWhyEdgesAreDisabled() throws {
        let h = Harness(store: try GoldenFixture.make(), role: .staff)
        _ = try segments(h)
        h.keys("e")
        #expect(h.app.toast?.text.contains("只有店主可以自定义RFM区间") == true, "toast: \(String(describing: h.app.toast))")
        #expect(!(h.app.topView is EdgesEditorView))
    }

    @Test func edgesEditorShowsValidationAndPreview() throws {
        let h = Harness(store: try GoldenFixture.make())
        _ = try segments(h)
        h.keys("e")
        let editor = try #require(h.app.topView as? EdgesEditorView)
        #expect(h.pump { if case .form = h.app.overlay { return true } else { return false } })
        _ = h.screen()   // the first frame starts the preview
        // The preview has arrived when the title no longer says it is computing.
        #expect(h.pump(timeout: 20) { !h.screen().line(1).contains("计算中") }, "the edges preview never arrived")
        _ = editor
        // R edges out of order: the live line and, on Enter, the field say why.
        h.keys("C-u"); h.type("90 30 180 365")
        h.keys("Enter", "Enter", "Enter")
        expectGolden(h.screen(), "edges-invalid", SegmentGoldens.edgesInvalid)
    }

    @Test func bulkTagPreviewConfirmAndUndo() throws {
        let store = try GoldenFixture.make()
        let h = Harness(store: store)
        _ = try segments(h)
        h.keys("Enter")   // 重要价值客户
        let list = try #require(h.app.topView as? MemberListView)
        h.keys("B")
        h.type("双11召回")
        h.keys("Enter")
        #expect(h.app.topView is ConfirmView)
        expectGolden(h.screen(), "bulk-tag-preview", SegmentGoldens.bulkPreview)
        h.keys("y")
        let n = list.count
        let tagged = { try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM member_tag mt JOIN tag t ON t.id = mt.tag_id WHERE t.name = '双11召回'") ?? 0 } }
        #expect(h.pump { (try? tagged()) == n })
        // The action's own toast comes after its commit: wait for it, or under load it can land
        // after the undo's and hide it.
        #expect(h.pump { h.app.toast?.text.hasPrefix("已给 \(n) 位会员打上") == true }, "toast: \(String(describing: h.app.toast))")
        h.keys("u")
        #expect(h.pump { (try? tagged()) == 0 })
        #expect(h.pump { h.app.toast?.text.hasPrefix("已撤销：添加「双11召回」\(n) 位会员") == true }, "toast: \(String(describing: h.app.toast))")
    }

    @Test func tagsPaneMarksAndFilters() throws {
        let h = Harness(store: try GoldenFixture.make())
        h.keys("3")
        let tags = try #require(h.app.topView as? TagsView)
        expectGolden(h.screen(), "tags-pane", SegmentGoldens.tagsPane)
        h.keys("Space", "Space")   // mark the first two tags
        #expect(tags.marked.count == 2)
        h.keys("o")
        let list = try #require(h.app.topView as? MemberListView)
        let names = tags.tags.prefix(2).map(\.name)
        let expected = try MemberSets.count(h.store, .tags(names, .any))
        #expect(list.count == expected)
    }

    @Test func staffCannotDeleteTags() throws {
        let h = Harness(store: try GoldenFixture.make(), role: .staff)
        h.keys("3", "D")
        #expect(h.app.toast?.text.contains("只有店主可以删除标签") == true, "toast: \(String(describing: h.app.toast))")
        #expect(h.app.topView is TagsView)
    }

    @Test func healthView() throws {
        let h = Harness(store: try GoldenFixture.make())
        _ = try segments(h)
        h.keys("h")
        let view = try #require(h.app.topView as? HealthView)
        _ = view
        #expect(h.pump(timeout: 20) { h.screen().text().contains("复购率") }, "health figures never arrived")
        expectGolden(h.screen(), "health", SegmentGoldens.health)
    }

    @Test func exportCommandWritesTheGridCell() throws {
        let h = Harness(store: try GoldenFixture.make())
        _ = try segments(h)
        for _ in 0..<10 { h.keys("j") }
        h.keys("Enter")
        let list = try #require(h.app.topView as? MemberListView)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("seg-\(UUID().uuidString).csv").path
        h.app.runCommand("export \(path) bom")
        #expect(h.pump { FileManager.default.fileExists(atPath: path) && (try? String(contentsOfFile: path, encoding: .utf8))?.split(separator: "\n").count == list.count + 1 })
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
    }
}
