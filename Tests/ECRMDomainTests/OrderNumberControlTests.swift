import Testing
import ECRMDomain

/// OrderNumber.isControl tells control characters by value; it must agree with Unicode's general
/// category for every scalar, or a number would be stored (or rejected) differently than before.
@Suite struct OrderNumberControlTests {
    @Test func isControlIsExactlyGeneralCategoryCc() {
        var mismatches: [UInt32] = []
        for v in UInt32(0)...0x10FFFF {
            guard let s = Unicode.Scalar(v) else { continue }
            if OrderNumber.isControl(s) != (s.properties.generalCategory == .control) { mismatches.append(v) }
        }
        #expect(mismatches.isEmpty)
    }

    @Test func controlCharactersAreNamedInTheReason() {
        #expect(OrderNumber.problem("E\u{85}1", .en) == "order_id 'E\\u{85}1' contains a control character")
        #expect(OrderNumber.problem("E\u{1}1", .en) == "order_id 'E\\u{1}1' contains a control character")
        #expect(OrderNumber.problem("E\u{A0}1", .en) == nil)
    }
}
