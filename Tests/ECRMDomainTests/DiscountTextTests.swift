import Testing
import ECRMDomain

/// Review mend: one wording of a tier discount, in each language, for every screen and command.
@Suite struct DiscountTextTests {
    @Test(arguments: [(1000, "无折扣", "no discount"), (950, "9.5折", "95% of price"), (880, "8.8折", "88% of price"),
                      (885, "8.85折", "88.5% of price"), (1200, "无折扣", "no discount")])
    func eachLanguagesWording(perMille: Int, zh: String, en: String) {
        #expect(discountText(perMille, .zh) == zh)
        #expect(discountText(perMille, .en) == en)
    }

}
