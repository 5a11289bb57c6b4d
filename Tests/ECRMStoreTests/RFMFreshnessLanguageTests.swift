import Testing
@testable import ECRMStore
import ECRMDomain

/// Review mend: the stale-RFM note is in both languages (StoreMessages), with thousands separators.
@Suite struct RFMFreshnessLanguageTests {
    let asOf = Day.parse("2026-06-30")!

    @Test func theNoteIsInEachLanguage() {
        let old = RFMFreshness(asOf: asOf, daysBehind: 2, membersNotComputed: 1_234)
        #expect(old.warning(.en) == "RFM segments are stale (computed as of 2026-06-30, 2 days ago; 1,234 members imported since): run `ecrm rfm` to refresh")
        #expect(old.warning(.zh) == "RFM 分层已过时（按 2026-06-30 计算，已过 2 天；此后导入了 1,234 位会员）：请运行 ecrm rfm 刷新")
        let oneDay = RFMFreshness(asOf: asOf, daysBehind: 1, membersNotComputed: 0)
        #expect(oneDay.warning(.en) == "RFM segments are stale (computed as of 2026-06-30, 1 day ago): run `ecrm rfm` to refresh")
        #expect(oneDay.warning(.zh) == "RFM 分层已过时（按 2026-06-30 计算，已过 1 天）：请运行 ecrm rfm 刷新")
        let never = RFMFreshness(asOf: nil, daysBehind: nil, membersNotComputed: 3)
        #expect(never.warning(.en) == "RFM was never computed: run `ecrm rfm` first")
        #expect(never.warning(.zh) == "尚未计算过 RFM：请先运行 ecrm rfm")
        let fresh = RFMFreshness(asOf: asOf, daysBehind: 0, membersNotComputed: 0)
        for l in MessageLanguage.allCases { #expect(fresh.warning(l) == nil) }
    }
}
