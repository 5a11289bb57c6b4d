import Testing
@testable import ECRMDomain

/// Issue 15, defect 3: a comma is a thousands separator only where it separates groups of three
/// digits; anything else (`12,5`, `12,50`, `1,23.4`) is ambiguous and rejected with a reason, never
/// read as ¥125.00 or ¥1,250.00.
@Suite struct AmountSafetyTests {
    @Test("valid amounts, with a sign and true thousands groups",
          arguments: [("12.50", 1_250), ("¥12.50", 1_250), ("1,234.50", 123_450), ("￥1,234", 123_400),
                      ("12,345,678.9", 1_234_567_890), ("999", 99_900), ("0.5", 50)] as [(String, Fen)])
    func accepted(text: String, fen: Fen) {
        #expect(Money.parseYuan(text) == fen)
        #expect(Money.checkYuan(text) == .success(fen))
    }

    @Test("a comma that is not a thousands separator is ambiguous, with a reason",
          arguments: ["12,5", "12,50", "1,23.4", "1,2345", ",123", "123,", "1,,234", "1.234,50", "12,5.00"])
    func ambiguous(text: String) {
        #expect(Money.parseYuan(text) == nil)
        #expect(Money.checkYuan(text) == .failure(.ambiguousComma))
        #expect(AmountProblem.ambiguousComma.reason(text, .en).contains("ambiguous"))
        #expect(AmountProblem.ambiguousComma.reason(text, .zh).contains("有歧义"))
    }

    @Test("other bad amounts keep their reason", arguments: ["-1", "abc", "12.345", "", "1e3"])
    func malformed(text: String) {
        #expect(Money.parseYuan(text) == nil)
        if case .success = Money.checkYuan(text) { Issue.record("'\(text)' accepted") }
        #expect(Money.checkYuan(text) != .failure(.ambiguousComma))
    }
}
