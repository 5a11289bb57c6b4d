import Testing
@testable import ECRMDomain

/// PRODUCT.md, One member across channels: candidate rules and the merge tier rule.
@Suite struct DuplicateRulesTests {
    func f(_ id: Int64, _ name: String = "", phone: String = "", birthday: String? = nil, city: String = "") -> DuplicateFacts {
        DuplicateFacts(id: id, name: name, phone: phone, birthday: birthday, city: city)
    }

    @Test func samePhoneInAnySpellingIsACandidate() {
        let r = DuplicateRules.candidates([f(1, phone: "13812345678"), f(2, phone: "+86 138-1234-5678"), f(3, phone: "13912345678")])
        #expect(r.pairs == [DuplicateCandidate(pair: DuplicatePair(1, 2), evidence: [.samePhone(phone: "13812345678")])])
    }

    @Test func maskedPhonesNeverMakeASamePhonePair() {
        let r = DuplicateRules.candidates([f(1, phone: "138****5678"), f(2, phone: "138****5678")])
        #expect(r.pairs.isEmpty)
    }

    @Test func sameNameAndBirthday() {
        let r = DuplicateRules.candidates([f(5, "张 三", birthday: "1990-01-02"), f(4, "张三", birthday: "1990-01-02"),
                                           f(6, "张三", birthday: "1990-01-03"), f(7, "李", birthday: "1990-01-02"), f(8, "李", birthday: "1990-01-02")])
        #expect(r.pairs.map(\.pair) == [DuplicatePair(4, 5)])
        #expect(r.pairs[0].evidence == [.sameNameBirthday(name: "张三", birthday: "1990-01-02")])
    }

    @Test func sameNameCityAndTailMatchesMaskedPhones() {
        let r = DuplicateRules.candidates([f(1, "王芳", phone: "138****5678", city: "杭州市"), f(2, "王芳", phone: "13900005678", city: "杭州市"),
                                           f(3, "王芳", phone: "13700005678", city: "宁波市")])
        #expect(r.pairs.map(\.pair) == [DuplicatePair(1, 2)])
        #expect(r.pairs[0].evidence == [.sameNameCityTail(name: "王芳", city: "杭州市", tail: "5678")])
    }

    @Test func evidenceIsCollectedPerPairStrongestFirstAndDismissedPairsStayOut() {
        let members = [f(1, "王芳", phone: "13900005678", birthday: "1990-01-01", city: "杭州市"),
                       f(2, "王芳", phone: "13900005678", birthday: "1990-01-01", city: "杭州市"),
                       f(3, "赵六", birthday: "1980-05-05"), f(4, "赵六", birthday: "1980-05-05")]
        let r = DuplicateRules.candidates(members)
        #expect(r.pairs.map(\.pair) == [DuplicatePair(1, 2), DuplicatePair(3, 4)])
        #expect(r.pairs[0].evidence.map(\.code) == ["same_phone", "same_name_birthday", "same_name_city_phone_tail"])
        let d = DuplicateRules.candidates(members, dismissed: [DuplicatePair(2, 1)])
        #expect(d.pairs.map(\.pair) == [DuplicatePair(3, 4)])
    }

    @Test func crowdedPhoneIsOneLineNotManyPairs() {
        let members = (1...20).map { f(Int64($0), phone: "13800000000") }
        let r = DuplicateRules.candidates(members)
        #expect(r.pairs.isEmpty)
        #expect(r.crowded == [CrowdedKey(evidence: .samePhone(phone: "13800000000"), members: 20)])
    }

    @Test func importPhoneLinksJoinTheEvidence() {
        let link = DuplicateCandidate(pair: DuplicatePair(9, 3), evidence: [.phoneLink(detail: "138****0001 jd:alice")])
        let r = DuplicateRules.candidates([f(3, phone: "13800000001"), f(9, phone: "13800000001")], extra: [link])
        #expect(r.pairs.count == 1)
        #expect(r.pairs[0].evidence.map(\.code) == ["same_phone", "phone_link"])
    }

    @Test func evidenceLinesMaskPhones() {
        #expect(DuplicateEvidence.samePhone(phone: "13812345678").describe(.en) == "same phone 138****5678")
        #expect(DuplicateEvidence.samePhone(phone: "13812345678").describe(.zh) == "同一手机号 138****5678")
    }
}

@Suite struct MergeTierRuleTests {
    let ladder = TierLadder(metric: .amount, levels: [
        TierLevel(level: 1, enabled: true, name: "普通会员", threshold: 0, discount: 980),
        TierLevel(level: 2, enabled: true, name: "高级会员", threshold: 100_000, discount: 950),
        TierLevel(level: 3, enabled: true, name: "VIP会员", threshold: 300_000, discount: 900),
        TierLevel(level: 4, enabled: false, name: "至尊VIP会员", threshold: 1_000_000, discount: 850),
    ])

    @Test func theHigherTierWinsEvenWhenTheTotalsWouldNotReachIt() {
        let m = MergeRules.merged(keep: MergeSide(tier: 1, paidSum: 10_000, paidCount: 1),
                                  other: MergeSide(tier: 3, manual: true, paidSum: 20_000, paidCount: 1), ladder: ladder)
        #expect(m.tier == 3)
        #expect(m.manual)
        #expect(m.discount == 900)
        #expect(!m.raisedByTotal)
    }

    @Test func theCombinedTotalMayRaiseIt() {
        let m = MergeRules.merged(keep: MergeSide(tier: 1, paidSum: 60_000, paidCount: 2),
                                  other: MergeSide(tier: 1, paidSum: 50_000, paidCount: 2), ladder: ladder)
        #expect(m.tier == 2)
        #expect(m.raisedByTotal)
        #expect(!m.manual)
    }

    @Test func baselinesAddSoOldOrdersThatDidNotCountStillDoNot() {
        let m = MergeRules.merged(keep: MergeSide(tier: 1, paidSum: 200_000, paidCount: 2, baseline: .init(sum: 200_000, count: 2)),
                                  other: MergeSide(tier: 1, paidSum: 50_000, paidCount: 1), ladder: ladder)
        #expect(m.tier == 1)
        #expect(m.baseline == TierProgressBaseline(sum: 200_000, count: 2))
    }

    @Test func aBlacklistedSideBlacklistsTheMergedMemberAndKeepsTheLevel() {
        let m = MergeRules.merged(keep: MergeSide(tier: 2, paidSum: 500_000, paidCount: 9),
                                  other: MergeSide(tier: 1, blacklisted: true), ladder: ladder)
        #expect(m.blacklisted && m.blacklistCarried)
        #expect(m.tier == 2)   // kept, not upgraded by the total
        #expect(m.discount == 1000)
    }

    @Test func neverBelowEitherSideForAnyInputs() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<2000 {
            let a = MergeSide(tier: Int(rng.next() % 4), manual: rng.next() % 2 == 0, blacklisted: rng.next() % 5 == 0,
                              paidSum: Fen(rng.next() % 600_000), paidCount: Int(rng.next() % 9))
            // Levels 0...3: level 4 is switched off in this ladder, so nobody holds it.
            let b = MergeSide(tier: Int(rng.next() % 4), blacklisted: rng.next() % 5 == 0,
                              paidSum: Fen(rng.next() % 600_000), paidCount: Int(rng.next() % 9))
            let m = MergeRules.merged(keep: a, other: b, ladder: ladder)
            #expect(m.tier >= max(a.tier, b.tier))
            if !m.blacklisted { #expect(m.discount <= min(ladder.discount(of: a.tier), ladder.discount(of: b.tier))) }
        }
    }

    @Test func unmergeKeepsTheMergedTierForBoth() {
        #expect(MergeRules.unmergedTier(before: 1, mergedNow: 3) == 3)
        #expect(MergeRules.unmergedTier(before: 4, mergedNow: 3) == 4)
    }

    @Test func survivorBaselineLosesTheReturningTotalsOnlyWhenResetSinceTheMerge() {
        let atMerge = TierProgressBaseline(sum: 100, count: 1)
        #expect(MergeRules.survivorBaseline(now: atMerge, atMerge: atMerge, before: nil, returningSum: 50, returningCount: 1) == nil)
        #expect(MergeRules.survivorBaseline(now: .init(sum: 500, count: 5), atMerge: atMerge, before: nil, returningSum: 50, returningCount: 1)
                == TierProgressBaseline(sum: 450, count: 4))
    }

    @Test func mergedScoreIsExactWithCustomEdgesAndAFloorWithQuintiles() {
        let measure = RFMMeasure(recencyDays: 10, frequency: 3, monetary: 50_000, paidCount: 3, firstPaid: nil, lastPaid: nil)
        let custom = ScoringMode.custom(CustomEdges(monetary: [10_000, 30_000, 60_000, 100_000]))
        let exact = MergeRules.mergedScore(nil, nil, measure: measure, mode: custom, means: (3, 3, 3))
        #expect((exact.r, exact.f, exact.m) == (5, 3, 3))
        let a = RFMScore(r: 2, f: 4, m: 1, segment: .generalRetain), b = RFMScore(r: 5, f: 1, m: 3, segment: .importantDevelop)
        let auto = MergeRules.mergedScore(a, b, measure: measure, mode: .auto, means: (3, 3, 3))
        #expect((auto.r, auto.f, auto.m) == (5, 4, 3))
        #expect(auto.segment == .importantValue)
    }

    @Test func refusalsAreOneLineInBothLanguages() {
        for r in [MergeRefusal.sameMember("a"), .unknownMember("x"), .neverMerged("b"), .laterMerge("a", newer: "c")] {
            for l in MessageLanguage.allCases { #expect(!r.message(l).contains("\n") && !r.message(l).isEmpty) }
        }
    }
}
