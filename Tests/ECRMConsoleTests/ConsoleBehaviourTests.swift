import Foundation
import GRDB
import Testing
import TerminalKit
@testable import ECRMStore
import ECRMDomain
@testable import ECRMConsole

@Suite struct ConsoleBehaviourTests {
    @Test func oneKeyTableDrivesDispatchHintsAndHelp() throws {
        let h = Harness(store: try makeDemoStore())
        let keys = KeyTable.make(labels: .zh, role: .staff)
        // Hints and help come from the same bindings that dispatch.
        let hints = HintBar.text(keys.hints(contexts: ["members", "list", "scroll"]))
        #expect(hints.hasPrefix("/ 搜索  s 排序  D 重复  Enter 打开  j/↓ 移动"))
        let help = keys.helpSections(contexts: ["card", "scroll"])
        #expect(help.first?.entries.contains { $0.keys == "p" && $0.description.contains("手机号") } == true)
        if case .action(.revealPhone) = keys.resolve(.char("p"), contexts: ["card"]) {} else { Issue.record("p must reveal") }
        // Rebinding moves the key in dispatch, hints and help together.
        var rebound = keys
        #expect(rebound.rebind(["sort": ["o"]]).isEmpty)
        #expect(HintBar.text(rebound.hints(contexts: ["members"])).contains("o 排序"))
        _ = h
    }

    @Test func staffSeesWhyTiersCannotBeEdited() throws {
        let store = try makeDemoStore()
        let staff = Harness(store: store, role: .staff)
        staff.keys("4", "e")
        #expect(staff.screen().line(23).hasPrefix("只有店主可以编辑等级"))
        let en = Harness(store: store, role: .staff, language: .en)
        en.keys("4", "e")
        #expect(en.screen().line(23).hasPrefix("only the owner can edit tiers"))
        let owner = Harness(store: store, role: .owner)
        owner.keys("4", "e")
        #expect(!owner.screen().line(23).contains("只有店主"))
    }

    @Test func paneSwitchingAndViewStack() throws {
        let h = Harness(store: try makeDemoStore())
        #expect(h.app.paneIndex == 0)
        h.keys("Tab"); #expect(h.app.paneIndex == 1)
        h.keys("S-Tab", "S-Tab"); #expect(h.app.paneIndex == 5)   // wraps to the last pane, Campaigns
        h.keys("3"); #expect(h.app.paneIndex == 2)
        h.keys("1", "Enter")
        #expect(h.app.topView is MemberCardView)
        h.keys("Esc")
        #expect(h.app.topView is MemberListView)
        h.keys("Enter", "q")
        #expect(h.app.topView is MemberListView && !h.app.quitRequested)
        h.keys("q")   // at the pane's top q asks once
        #expect(!h.app.quitRequested)
        h.keys("q")
        #expect(h.app.quitRequested)
    }

    @Test func typingSearchesInTheBackgroundAndEnterOpensASingleMatch() throws {
        let store = try makeDemoStore()
        // A nick exactly one member has, so Enter must open that member's card.
        let row = try store.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT id, nick FROM member WHERE nick IN (SELECT nick FROM member GROUP BY nick HAVING count(*) = 1) AND length(nick) >= 2 ORDER BY id LIMIT 1")
        }
        let id: Int64 = try #require(row)[0], nick: String = try #require(row)[1]
        let h = Harness(store: store)
        h.type(nick)                       // the first printable character opens the search prompt
        #expect(h.app.prompt?.field.text == nick)
        #expect(h.pump { (h.app.topView as? MemberListView)?.isSearchResult == true && !h.app.search.pending })
        #expect(h.screen().line(22).contains("搜索「\(nick)」"))
        #expect((h.app.topView as? MemberListView)?.count == 1, "a unique nick finds one member")
        h.keys("Enter")
        #expect((h.app.topView as? MemberCardView)?.memberId == id)
    }

    @Test func outdatedSearchResultsAreDropped() throws {
        let h = Harness(store: try makeDemoStore())
        h.type("张")
        let old = h.app.search.generation
        h.type("三")
        #expect(h.app.search.generation == old + 1)
        // A late answer to the first keystroke must not replace the newer query's results.
        h.app.handle(.searchResults(generation: old, query: "张", results: [], error: nil))
        #expect(h.app.search.pending)
        #expect(h.pump { !h.app.search.pending })
        #expect((h.app.topView as? MemberListView)?.query == "张三")
    }

    @Test func pasteOfAUniqueNickOpensTheCard() throws {
        let store = try makeDemoStore()
        let (id, nick) = try store.pool.read { db -> (Int64, String) in
            let row = try #require(try Row.fetchOne(db, sql: "SELECT id, nick FROM member WHERE nick IN (SELECT nick FROM member GROUP BY nick HAVING count(*) = 1) ORDER BY id LIMIT 1"))
            return (row[0], row[1])
        }
        let h = Harness(store: store)
        h.keys("3")                          // from another pane: a paste goes to member lookup
        h.app.handle(.paste(nick + "\n"))
        #expect(h.pump { h.app.topView is MemberCardView })
        #expect((h.app.topView as? MemberCardView)?.memberId == id)
        #expect(h.app.prompt == nil)
    }

    @Test func revealPhoneAsksAReasonThenShowsTheNumber() throws {
        let h = Harness(store: try makeDemoStore(), role: .staff)
        h.keys("Enter", "p")
        #expect(h.screen().text().contains("显示完整手机号"))
        h.keys("Enter")                       // empty reason: refused, form stays
        #expect(h.screen().text().contains("不能为空"))
        h.type("核对收货信息")
        h.keys("Enter")
        let card = try #require(h.app.topView as? MemberCardView)
        let stored = try h.store.pool.read { try String.fetchOne($0, sql: "SELECT phone FROM member WHERE id = ?", arguments: [card.memberId]) }
        let phone = try #require(stored)
        #expect(phone.count == 11)
        #expect(h.screen().text().contains(phone))
        let audit = try h.store.pool.read { db in try Audit.recent(db, limit: 1).first }
        #expect(audit?.action == "phone.reveal" && audit?.reason == "核对收货信息")
    }

    @Test func cardRefreshesWhenAnotherSessionTagsTheMember() throws {
        let store = try makeDemoStore()
        let h = Harness(store: store)
        h.keys("Enter")
        let card = try #require(h.app.topView as? MemberCardView)
        let id = card.memberId
        // Another session: a second Store (its own connection pool) on the same file.
        try store.pool.write { try Operators.add($0, user: "bob", role: "staff", by: store.operatorName) }
        let other = try Store(path: store.path, operatorName: "bob")
        // The card has loaded before the other session writes (the watcher is set up with the card).
        #expect(h.pump { card.detail != nil })
        try MemberActions.addTag(other, memberId: id, tag: "另一会话")
        #expect(h.pump { card.detail?.tags.contains("另一会话") == true }, "the card did not refresh after another session's tag")
        try MemberActions.addNote(other, memberId: id, body: "bob 的备注")
        #expect(h.pump { card.detail?.notes.first?.body == "bob 的备注" }, "the card did not refresh after another session's note")
        #expect(h.screen().text().contains("会员资料已更新"))
        h.app.quit()
    }

    @Test func tooSmallScreenAndRecovery() throws {
        let h = Harness(store: try makeDemoStore())
        #expect(h.screen(40, 10).text().contains("终端窗口太小"))
        #expect(h.screen(80, 24).text().contains("累计消费"))
    }

    @Test func commandsLanguageThemeExport() throws {
        let store = try makeDemoStore()
        let h = Harness(store: store)
        h.keys(":"); h.type("lang en"); h.keys("Enter")
        #expect(h.screen().line(0).contains("Members"))
        h.keys(":"); h.type("theme mono"); h.keys("Enter")
        #expect(h.host.theme?.name == "mono")
        h.keys(":"); h.type("nonsense"); h.keys("Enter")
        let g = h.screen()
        #expect((g.line(22) + g.line(23)).contains("unknown command"))   // a long message takes two rows
        h.keys("Tab")                        // segments → first segment's members
        #expect(h.pump { h.screen().text().contains("RFM segments") })
        h.keys("Enter")
        let file = URL(fileURLWithPath: store.path).deletingLastPathComponent().appendingPathComponent("seg.csv").path
        let expected = try #require(h.app.topView as? MemberListView).count
        #expect(expected > 0)
        h.keys(":"); h.type("export \(file)"); h.keys("Enter")
        #expect(h.pump { h.app.toast?.text.hasPrefix("exported") == true })
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == expected + 1)
        h.keys(":"); h.type("q"); h.keys("Enter")
        #expect(h.app.quitRequested)
    }

    @Test func languageFromLangOrFlag() {
        #expect(Labels.language(flag: nil, environment: ["LANG": "zh_CN.UTF-8"]) == .zh)
        #expect(Labels.language(flag: nil, environment: ["LANG": "C.UTF-8"]) == .en)
        #expect(Labels.language(flag: "zh", environment: ["LANG": "C"]) == .zh)
        #expect(Labels.language(flag: "fr", environment: [:]) == nil)
    }
}
