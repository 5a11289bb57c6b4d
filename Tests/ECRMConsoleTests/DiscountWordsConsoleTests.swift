import Foundation
import Testing
import ECRMDomain
@testable import ECRMConsole

/// Review mend: the merge preview and the audit log word a discount as the domain does
/// (`discountText`), not each in its own way ("950‰", "none").
@Suite struct DiscountWordsConsoleTests {
    @Test func mergeAndAuditSayTheSame() throws {
        for language in MessageLanguage.allCases {
            let zh = language == .zh
            for d in [1000, 950, 880] { #expect(MergeLabels(zh: zh).discount(d) == discountText(d, language)) }
            var before = TierLadder.initial, after = TierLadder.initial
            before[1].enabled = true; before[1].discount = 1000
            after[1].enabled = true; after[1].discount = 950
            after[2].enabled = true; after[2].discount = 880
            func json(_ l: TierLadder) throws -> String { String(decoding: try JSONEncoder().encode(l), as: UTF8.self) }
            let s = AuditLabels(zh: zh).sentence(action: "tiers.publish", target: "v2", before: try json(before), after: try json(after), reason: nil)
            let changes = zh ? "：普通会员 无折扣→9.5折，高级会员 8.8折" : ": 普通会员 no discount→95% of price, 高级会员 88% of price"
            #expect(s.hasSuffix(changes), "\(s)")
        }
    }

    /// The tier editor's cell adds the per-mille one types to the same words; no discount is worded as everywhere.
    @Test func theTierCellKeepsThePerMilleBesideTheWords() {
        #expect(TierProblemText.discount(1000, zh: true) == discountText(1000, .zh))
        #expect(TierProblemText.discount(1000, zh: false) == discountText(1000, .en))
        #expect(TierProblemText.discount(950, zh: true) == "9.5折 (950)")
        #expect(TierProblemText.discount(880, zh: false) == "880 (88%)")
    }
}
