import Testing
@testable import ECRMDomain

@Suite("Money: yuan text ↔ integer fen")
struct MoneyTests {
    @Test("parseYuan accepts yuan with up to two decimals, a currency sign and thousands separators",
          arguments: [
              ("0", 0), ("0.00", 0), ("0.01", 1), ("12", 1_200), ("12.5", 1_250), ("12.50", 1_250),
              ("12.05", 1_205), ("1,234.50", 123_450), ("¥8", 800), ("￥8.05", 805), (" 3.10 ", 310),
              ("¥1,234,567.89", 123_456_789),
          ] as [(String, Fen)])
    func parsesValid(text: String, fen: Fen) {
        #expect(Money.parseYuan(text) == fen)
    }

    @Test("the byte-level parse (importer hot path) reads plain numbers only; the String form strips signs and commas")
    func byteLevel() {
        #expect(Money.parseYuan(bytes: Array("12.5".utf8)) == 1_250)
        #expect(Money.parseYuan(bytes: Array("0".utf8)) == 0)
        #expect(Money.parseYuan(bytes: Array("1,234.50".utf8)) == nil)
        #expect(Money.parseYuan(bytes: Array("12.345".utf8)) == nil)
    }

    @Test("parseYuan rejects more than two decimals, negatives and junk",
          arguments: ["12.345", "-1", "-0.5", "abc", "", " ", ".", "¥", "1.2.3", "1e3", "+5", "12元", "0x10"])
    func rejectsInvalid(text: String) {
        #expect(Money.parseYuan(text) == nil)
    }

    @Test("yuanString: two decimals, no grouping (the export and JSON format)",
          arguments: [(0, "0.00"), (5, "0.05"), (50, "0.50"), (100, "1.00"), (123_450, "1234.50"), (-150, "-1.50")] as [(Fen, String)])
    func yuanString(fen: Fen, text: String) {
        #expect(Money.yuanString(fen) == text)
    }

    @Test("display: ¥ with thousands groups, for people",
          arguments: [(0, "¥0.00"), (99_999, "¥999.99"), (100_000, "¥1,000.00"), (123_456_789, "¥1,234,567.89"),
                      (100_000_000_00, "¥100,000,000.00"), (-150, "-¥1.50")] as [(Fen, String)])
    func display(fen: Fen, text: String) {
        #expect(Money.display(fen) == text)
    }

    @Test("parseYuan reads back what yuanString and display write")
    func roundTrip() {
        let seed: UInt64 = 7
        var rng = SplitMix64(seed: seed)
        for i in 0..<2_000 {
            let fen = Fen(rng.int(0...2_000_000_000))
            #expect(Money.parseYuan(Money.yuanString(fen)) == fen, "seed \(seed), draw \(i): \(fen) fen")
            #expect(Money.parseYuan(Money.display(fen)) == fen, "seed \(seed), draw \(i): \(fen) fen")
        }
    }
}
