import Testing
@testable import ECRMStore
import ECRMDomain

/// The import's fast phone key agrees with Phone.linkKey (the rule PRODUCT.md gives) on every form.
@Suite struct PhoneKeyTests {
    @Test(arguments: ["13812345678", "+86 138-1234-5678", "8613812345678", "008613812345678", "138****5678", "23812345678",
                      "0571-88888888", "1381234567", "138123456789", "", "1381234567x", "１３８１２３４５６７８", "19912345678"])
    func agreesWithLinkKey(_ raw: String) {
        #expect(MemberKeys.phoneKey(raw) == Phone.linkKey(raw).flatMap { UInt64($0) }, "\(raw)")
    }
}
