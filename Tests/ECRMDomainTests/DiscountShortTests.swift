import Testing
import ECRMDomain

/// The compact discount wording (a row of several, e.g. the tier history) is the domain's, in both languages.
@Suite struct DiscountShortTests {
    @Test func bothLanguages() {
        #expect([980, 950, 885, 1000].map { discountShort($0, .zh) } == ["9.8折", "9.5折", "8.85折", "无折扣"])
        #expect([980, 950, 885, 1000].map { discountShort($0, .en) } == ["98%", "95%", "88.5%", "no discount"])
    }
}
