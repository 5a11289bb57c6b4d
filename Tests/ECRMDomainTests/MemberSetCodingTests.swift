import Foundation
import Testing
import ECRMDomain

/// The stored forms of member sets keep decoding: a rule tag's rule (`tag.rule`) and a campaign's
/// target (`campaign.target`), each as the code before MemberSet/MemberRule wrote them.
@Suite struct MemberSetCodingTests {
    /// `[MemberSet]` as the old enum encoded it (JSONEncoder, campaign.target), printed from that code.
    static let oldCampaignTarget = #"[{"segment":{"_0":"important_value"}},{"grid":{"f":3,"r":5}},{"tier":{"_0":1}},{"lifecycle":{"_0":"active"}},{"region":{"province":"浙江"}},{"region":{"province":"浙江","city":"杭州"}},{"tags":{"_0":["活动","B"],"_1":"all"}},{"ids":{"_0":[3,1]}}]"#

    @Test func campaignTargetsStoredBeforeTheRuleDecode() throws {
        let sets = try JSONDecoder().decode([MemberSet].self, from: Data(Self.oldCampaignTarget.utf8))
        #expect(sets == [.segment(.importantValue), .grid(r: 5, f: 3), .tier(1), .lifecycle(.active),
                         .region(province: "浙江", city: nil), .region(province: "浙江", city: "杭州"),
                         .tags(["活动", "B"], .all), .ids([3, 1])])
        #expect(sets.map(\.description) == ["segment important_value", "grid R5 F3", "tier 1", "lifecycle active",
                                            "region 浙江", "region 浙江/杭州", "tags all of 活动,B", "2 listed members"])
        // Written again in the new form, they read back the same.
        let again = try JSONDecoder().decode([MemberSet].self, from: try JSONEncoder().encode(sets))
        #expect(again == sets)
    }

    /// A rule tag's JSON as the old TagRule wrote it (sorted keys, spend as yuan text).
    @Test func ruleTagRulesStoredBeforeDecodeAndReencodeByteForByte() throws {
        let stored = #"{"birthdayMonths":[12],"gender":"F","lifecycles":["active"],"ordersMin":2,"provinces":["浙江"],"segments":["important_value"],"spendMax":"1000.50","spendMin":"100.00"}"#
        let rule = try MemberRule.parseTagRule(stored)
        #expect(rule == MemberRule(provinces: ["浙江"], gender: "F", birthdayMonths: [12], lifecycles: [.active],
                                   segments: [.importantValue], spendMin: 10_000, spendMax: 100_050, ordersMin: 2))
        #expect(rule.json == stored)
        // A rule tag reads only its own fields, as unknown keys always were.
        #expect(try MemberRule.parseTagRule(#"{"gender":"女","tagsAll":["X"]}"#) == MemberRule(gender: "F"))
        #expect(throws: MemberRule.Invalid.self) { try MemberRule.parseTagRule(#"{"tagsAll":["X"]}"#) }
    }

    @Test func aRuleSetIsStoredAsTheRuleAndEveryoneAsNoCondition() throws {
        let set = MemberSet.rule(MemberRule(tiers: [2], cell: RFCell(r: 5, f: 1), tagsAny: ["A"], status: .normal))
        let json = String(decoding: try JSONEncoder().encode(set), as: UTF8.self)
        #expect(try JSONDecoder().decode(MemberSet.self, from: Data(json.utf8)) == set)
        #expect(String(decoding: try JSONEncoder().encode(MemberSet.all), as: UTF8.self) == "{}")
        #expect(try JSONDecoder().decode(MemberSet.self, from: Data("{}".utf8)) == .all)
        #expect(set.description == "grid R5 F1 & tier 2 & tags any of A & status normal")
    }

    @Test func theRFMConditionsAreJudgedOnScores() {
        let cell = MemberRule(cell: RFCell(r: 5, f: 1))
        #expect(cell.matchesRFM(segment: .importantValue, lifecycle: .active, r: 5, f: 1))
        #expect(!cell.matchesRFM(segment: .importantValue, lifecycle: .active, r: 5, f: 2))
        #expect(!cell.matchesRFM(segment: .none, lifecycle: .none, r: 5, f: 1))   // not scored: in no cell
        let rule = MemberRule(lifecycles: [.lost, .sleeping], segments: [.generalWinback])
        #expect(rule.matchesRFM(segment: .generalWinback, lifecycle: .lost, r: 1, f: 1))
        #expect(!rule.matchesRFM(segment: .generalWinback, lifecycle: .active, r: 1, f: 1))
        #expect(!rule.matchesRFM(segment: .importantWinback, lifecycle: .lost, r: 1, f: 1))
        #expect(MemberRule(tiers: [1]).matchesRFM(segment: .none, lifecycle: .none, r: 0, f: 0))
    }

    @Test func genderWordsMapToOneCode() {
        for (word, code) in [("F", "F"), ("f", "F"), ("女", "F"), (" Female ", "F"), ("M", "M"), ("male", "M"), ("男", "M"),
                             ("U", "U"), ("unknown", "U"), ("未知", "U")] {
            #expect(Gender.code(word) == code, "\(word)")
        }
        #expect(Gender.code("x") == nil && Gender.code("") == nil)
    }

    /// The lifecycle rule at its edges (PRODUCT.md: 30 / 90 / 180 days), as RFM and shop health use it.
    @Test func lifecycleEdges() {
        let w = LifecycleWindows()
        #expect(Lifecycle.of(daysSinceFirst: 30, daysSinceLast: 200, windows: w) == .new)
        #expect(Lifecycle.of(daysSinceFirst: 31, daysSinceLast: 90, windows: w) == .active)
        #expect(Lifecycle.of(daysSinceFirst: 31, daysSinceLast: 91, windows: w) == .sleeping)
        #expect(Lifecycle.of(daysSinceFirst: 400, daysSinceLast: 180, windows: w) == .sleeping)
        #expect(Lifecycle.of(daysSinceFirst: 400, daysSinceLast: 181, windows: w) == .lost)
    }
}
