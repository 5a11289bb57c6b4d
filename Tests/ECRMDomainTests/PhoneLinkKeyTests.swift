import Testing
@testable import ECRMDomain

/// PRODUCT.md, One member across channels: which phones may link two identities.
@Suite struct PhoneLinkKeyTests {
    @Test func mainlandMobilesInAnySpellingLink() {
        #expect(Phone.linkKey("13812345678") == "13812345678")
        #expect(Phone.linkKey("+86 138-1234-5678") == "13812345678")
        #expect(Phone.linkKey("8613812345678") == "13812345678")
        #expect(Phone.linkKey("0086 138 1234 5678") == "13812345678")
    }

    @Test func maskedLandlineAndShortNumbersNeverLink() {
        #expect(Phone.linkKey("138****5678") == nil)
        #expect(Phone.linkKey("021-64321234") == nil)
        #expect(Phone.linkKey("5678") == nil)
        #expect(Phone.linkKey("") == nil)
        #expect(Phone.linkKey("23812345678") == nil)
        #expect(Phone.linkKey("138123456789") == nil)
    }
}
