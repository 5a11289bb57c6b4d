import Foundation
import Testing
import GRDB
@testable import ECRMStore
import ECRMDomain

@Suite struct TagRuleTests {
    @Test func ruleJSONParsesChecksAndNormalises() throws {
        let r = try RuleTags.parse(#"{"provinces":["浙江"],"gender":"女","birthdayMonths":[12],"spendMin":"100","spendMax":1000.5,"ordersMin":2,"segments":["important_value"],"lifecycles":["active"]}"#)
        #expect(r.gender == "F" && r.spendMin?.fen == 10_000 && r.spendMax?.fen == 100_050)
        #expect(r.segments == [.importantValue] && r.lifecycles == [.active])
        #expect(try RuleTags.parse(r.json) == r)
        for bad in [#"{}"#, #"{"gender":"X"}"#, #"{"birthdayMonths":[13]}"#, #"{"spendMin":"-1"}"#, #"{"spendMin":"9","spendMax":"1"}"#,
                    #"{"segments":["vip"]}"#, #"{"tiers":[5]}"#, #"not json"#, #"{"provinces":[]}"#] {
            #expect(throws: StoreError.self, "\(bad)") { try RuleTags.parse(bad) }
        }
    }

    @Test func profileConditionsAllMustHold() throws {
        let shop = try TagShop(); defer { shop.cleanup() }
        let tags = TagService(store: shop.store)
        try tags.create("浙江女", rule: MemberRule(provinces: ["浙江"], gender: "F"))
        #expect(try shop.holders("浙江女") == ["a"])
        try tags.create("十二月生日", rule: MemberRule(birthdayMonths: [12, 1]))
        #expect(try shop.holders("十二月生日") == ["a", "b"])
        try tags.create("复购", rule: MemberRule(ordersMin: 2))
        #expect(try shop.holders("复购") == ["a", "c"])               // all-time paid orders (a has 4)
        try shop.store.pool.write { try $0.execute(sql: "UPDATE member SET tier = 2 WHERE buyer_id IN ('c','d')") }
        try tags.create("高级", rule: MemberRule(cities: ["南京"], tiers: [2, 3]))
        #expect(try shop.holders("高级") == ["c"])
        // Manual edits of a rule tag are refused with the reason.
        #expect(throws: StoreError.self) { try tags.add("高级", memberId: shop.id("a")) }
        #expect(throws: StoreError.self) { try tags.remove("高级", memberId: shop.id("c")) }
        // Dropping the rule keeps today's members as a plain tag that can then be edited.
        try tags.setRule("高级", rule: nil)
        #expect(try tags.add("高级", memberId: shop.id("a")))
        #expect(try shop.holders("高级") == ["a", "c"])
    }

    @Test func afterARecomputeSpendAndSegmentTagsFollowTheMembers() throws {
        let shop = try TagShop(); defer { shop.cleanup() }
        let tags = TagService(store: shop.store)
        try tags.create("中等消费", rule: MemberRule(spendMin: 10_000, spendMax: 100_000))   // 100…1000 yuan all-time
        try tags.create("重要价值", rule: MemberRule(segments: [.importantValue]))
        try tags.create("活跃", rule: MemberRule(lifecycles: [.active, .new]))
        #expect(try shop.holders("中等消费") == ["c"])                // b 50, c 600, a 2499, d 10
        #expect(try shop.holders("重要价值") == ["a"])
        #expect(try shop.holders("活跃") == ["a", "b"])
        // b spends 100 more (150 in all: enters the range); a year later only b has bought in the window.
        try shop.importOrders("30,b,2027-08-01 10:00:00,100,paid\n", name: "b.csv")
        // The recompute itself re-evaluates rule tags, in its own transaction.
        try RFMEngine.recompute(shop.store, settings: RFMSettings(asOf: Day.parse("2027-08-31")!))
        #expect(try shop.holders("中等消费") == ["b", "c"])
        #expect(try shop.holders("重要价值") == ["b"])                // a left the segment (no order in the window)
        #expect(try shop.holders("活跃") == ["b"])
        // Running again changes nothing.
        #expect(try RuleTags.evaluateAll(shop.store).allSatisfy { $0.gained == 0 && $0.lost == 0 })
    }
}
