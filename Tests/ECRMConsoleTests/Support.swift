import Foundation
import Testing
import TerminalKit
import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// The day every console test computes for, so goldens never depend on today.
let pinnedDay = Day.parse("2026-11-20")!

/// A fresh demo shop (300 members, seed 1) in its own temp dir, owned by "alice".
func makeDemoStore(members: Int = 300, operatorName: String = "alice") throws -> Store {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecrm-console-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let store = try Store(path: dir.appendingPathComponent("shop.db").path, create: true, operatorName: operatorName)
    _ = try DemoShop(members: members, seed: 1, endDay: pinnedDay).generate(into: store)
    try RFMEngine.recompute(store, settings: RFMSettings(asOf: pinnedDay))
    return store
}

final class FakeHost: ConsoleHost {
    var repaints = 0
    var theme: Theme?
    func requestFullRepaint() { repaints += 1 }
    func setTheme(_ theme: Theme) { self.theme = theme }
    var isUTF8: Bool { true }
}

/// An app on a store, with a fake host; keep the host alive for the app's lifetime.
struct Harness {
    let app: ConsoleApp
    let host = FakeHost()
    let store: Store

    init(store: Store, role: OperatorRole = .owner, language: MessageLanguage = .zh) {
        self.store = store
        app = ConsoleApp(store: store, role: role, language: language, asOf: pinnedDay)
        app.host = host
    }

    func keys(_ names: String...) {
        for n in names {
            guard let key = Key(name: n) else { Issue.record("no key named \(n)"); continue }
            app.handle(.key(key))
        }
    }

    func type(_ text: String) {
        for c in text { app.handle(.key(.char(c))) }
    }

    /// Applies mailbox messages until `done` holds (background search, segments, live refresh).
    /// The limit is generous (a loaded CI machine): it only bounds a failure, success returns at once.
    @discardableResult
    func pump(timeout: Double = 20, until done: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            while let m = app.mailbox.take() { app.handle(m) }
            if done() { return true }
            usleep(5_000)
        }
        while let m = app.mailbox.take() { app.handle(m) }
        return done()
    }

    /// Waits (at most `timeout`) for a message in the mailbox, then handles everything in it.
    func settleFirstValue(timeout: Double = 2) {
        let end = Date().addingTimeInterval(timeout)
        while app.mailbox.isEmpty, Date() < end { usleep(5_000) }
        while let m = app.mailbox.take() { app.handle(m) }
    }

    func screen(_ w: Int = 80, _ h: Int = 24) -> ScreenGrid {
        let g = ScreenGrid(width: w, height: h)
        app.draw(on: g)
        return g
    }
}

/// Compares a screen with its golden text; on mismatch writes the actual screen to
/// /tmp/ecrm-goldens/NAME.txt (to review and paste) and fails with a line diff.
func expectGolden(_ grid: ScreenGrid, _ name: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
    // Demo notes and audit entries are stamped with the real clock: mask today's date and time.
    let today = Clock.today().description
    let actual = grid.text().replacingOccurrences(of: #"\#(today) \d\d:\d\d"#, with: "YYYY-MM-DD hh:mm", options: .regularExpression)
    for y in 0..<grid.height {
        #expect(displayWidth(grid.line(y)) == grid.width, "line \(y) is not \(grid.width) columns", sourceLocation: sourceLocation)
    }
    guard actual != expected else { return }
    let dir = "/tmp/ecrm-goldens"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try? actual.write(toFile: "\(dir)/\(name).txt", atomically: true, encoding: .utf8)
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    var diff: [String] = []
    for i in 0..<max(a.count, e.count) where (i < a.count ? a[i] : "") != (i < e.count ? e[i] : "") {
        diff.append("line \(i):\n  expected: \(i < e.count ? e[i] : "")\n  actual:   \(i < a.count ? a[i] : "")")
    }
    let shown = diff.prefix(6).joined(separator: "\n")
    Issue.record(Comment(rawValue: "golden \(name) differs (actual in \(dir)/\(name).txt):\n\(shown)"), sourceLocation: sourceLocation)
}
