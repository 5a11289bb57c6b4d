import Foundation
import Testing
import TerminalKit
import GRDB
@testable import ECRMStore
import ECRMDomain
@testable import ECRMConsole

/// Review mend: the channels view is a list like the others (ListViewport and Table): on a short
/// screen it scrolls to the channel the cursor is on, shows the "> " marker and the position, and
/// keeps the cursor on its channel when a link reorders the rows.
@Suite struct ChannelsListTests {
    /// The demo shop with members in seven more channels (one identity each, a different member each).
    func shop() throws -> Store {
        let store = try makeDemoStore(members: 60)
        let buyers = try store.pool.read { try String.fetchAll($0, sql: "SELECT buyer_id FROM member ORDER BY id LIMIT 20") }
        let more: [Channel] = [.jd, .pdd, .douyin, .youzan, .wechat, .offline, .other]
        for (i, c) in more.enumerated() {
            for k in 0...i { _ = try Identities.link(store, member: buyers[k], channel: c, externalId: "\(c.rawValue)-\(k)") }
        }
        return store
    }

    @Test func aShortScreenScrollsToTheCursor() throws {
        let store = try shop()
        let all = try ChannelOverview.compute(store, asOf: pinnedDay).channels
        #expect(all.count == 8)
        let h = Harness(store: store)
        _ = h.screen(80, 16)
        h.keys("v")
        #expect(h.pump { h.app.topView is ChannelsView && h.screen(80, 16).text().contains("合计") })
        let first = h.screen(80, 16).text()
        #expect(first.contains("> " + Channel(rawValue: all[0].channel)!.chineseName), "\(first)")
        #expect(first.contains("1/8"), "\(first)")
        let last = Channel(rawValue: all[7].channel)!.chineseName
        #expect(!first.contains(last), "a short screen shows only the first rows:\n\(first)")
        h.keys("G")
        let bottom = h.screen(80, 16).text()
        #expect(bottom.contains("> " + last), "the cursor's row scrolled into view:\n\(bottom)")
        #expect(bottom.contains("8/8") && bottom.contains("合计"), "\(bottom)")
        h.keys("g")
        #expect(h.screen(80, 16).text().contains("> " + Channel(rawValue: all[0].channel)!.chineseName))
        // Enter lists the channel the cursor is on.
        h.keys("j", "Enter")
        #expect(h.pump { h.app.topView is MemberListView })
        #expect(h.app.topView.title == h.app.labels.ident.channelFilterOn(Channel(rawValue: all[1].channel)!), "\(h.app.topView.title)")
    }

    @Test func theColumnsLineUpAsBeforeAt80() throws {
        let h = Harness(store: try shop())
        _ = h.screen()
        h.keys("v")
        #expect(h.pump { h.app.topView is ChannelsView && h.screen().text().contains("合计") })
        let lines = h.screen().text().split(separator: "\n").map(String.init)
        // The spend column ends at column 72 on every row, header and total included.
        let figures = lines.map { $0.trimmingTrailingSpaces() }.filter { $0.contains("¥") || $0.hasSuffix("消费额") }
        #expect(figures.count == 10, "header, eight channels, total:\n\(lines.joined(separator: "\n"))")
        for line in figures { #expect(displayWidth(line) == 72, "\(line)") }
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
