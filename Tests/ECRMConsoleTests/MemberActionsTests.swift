import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

@Suite struct MemberActionsTests {
    @Test func revealPhoneNeedsAReasonAndIsAudited() throws {
        let store = try makeDemoStore()
        #expect(throws: StoreError.self) { try MemberActions.revealPhone(store, memberId: 1, reason: "  ") }
        let phone = try MemberActions.revealPhone(store, memberId: 1, reason: "顾客要求改地址")
        #expect(phone.count == 11)
        let entry = try store.pool.read { db in try Audit.recent(db, limit: 1).first }
        #expect(entry?.action == "phone.reveal")
        #expect(entry?.operatorName == "alice")
        #expect(entry?.reason == "顾客要求改地址")
        #expect(entry?.before == Phone.masked(phone))
    }

    @Test func tagsAndNotes() throws {
        let store = try makeDemoStore()
        try MemberActions.addTag(store, memberId: 5, tag: "新标签")
        try MemberActions.addTag(store, memberId: 5, tag: "新标签")   // idempotent
        try MemberActions.addNote(store, memberId: 5, body: "第一行\n第二行", at: "2026-11-20 10:00:00")
        var d = try #require(try store.pool.read { db in try MemberQueries.detail(db, id: 5, asOf: pinnedDay) })
        #expect(d.tags.contains("新标签"))
        #expect(d.notes.first?.body == "第一行\n第二行")
        #expect(d.notes.first?.operatorName == "alice")
        try MemberActions.removeTag(store, memberId: 5, tag: "新标签")
        #expect(throws: StoreError.self) { try MemberActions.removeTag(store, memberId: 5, tag: "新标签") }
        #expect(throws: StoreError.self) { try MemberActions.addNote(store, memberId: 5, body: " \n ") }
        d = try #require(try store.pool.read { db in try MemberQueries.detail(db, id: 5, asOf: pinnedDay) })
        #expect(!d.tags.contains("新标签"))
    }
}
