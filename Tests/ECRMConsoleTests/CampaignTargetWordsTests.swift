import Testing
import ECRMDomain
@testable import ECRMConsole

/// Review mend: a campaign's target is written in the screen's language for every condition a
/// rule may hold; the store's English rule text no longer leaks onto a Chinese screen.
@Suite struct CampaignTargetWordsTests {
    let rule = MemberRule(cities: ["杭州"], gender: "F", birthdayMonths: [3, 4], spendMin: 10_000, spendMax: 200_050,
                          ordersMin: 2, status: .blacklist, search: "芳")

    @Test func everyConditionInChinese() {
        let text = CampaignLabels(zh: true).target([.rule(rule)], "")
        #expect(text == "杭州 · 女性 · 生日 3、4 月 · 累计消费 ¥100.00–¥2,000.50 · 订单 ≥ 2 笔 · 黑名单 · 搜索“芳”")
    }

    @Test func everyConditionInEnglish() {
        let text = CampaignLabels(zh: false).target([.rule(rule)], "")
        #expect(text == "杭州 · women · birthday month 3,4 · spend ¥100.00–¥2,000.50 · orders ≥ 2 · blacklisted · search '芳'")
    }
}
