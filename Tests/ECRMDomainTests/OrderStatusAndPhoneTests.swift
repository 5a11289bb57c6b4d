import Testing
@testable import ECRMDomain

@Suite("Order status vocabulary (PRODUCT.md: Data)")
struct OrderStatusTests {
    @Test("every import word in PRODUCT.md maps to its status",
          arguments: [
              ("paid", OrderStatus.paid), ("success", .paid), ("交易成功", .paid),
              ("买家已付款，等待卖家发货", .paid), ("卖家已发货，等待买家确认", .paid),
              ("refunded", .refunded), ("退款", .refunded),
              ("closed", .closed), ("交易关闭", .closed),
              ("等待买家付款", .unpaid),
          ])
    func productWords(word: String, status: OrderStatus) {
        #expect(OrderStatus.fromImport(word) == status)
    }

    @Test("case, surrounding blanks (incl. ideographic space) and ASCII commas do not matter",
          arguments: [(" PAID ", OrderStatus.paid), ("Success", .paid), ("\u{3000}交易关闭\u{3000}", .closed),
                      ("买家已付款,等待卖家发货", .paid), ("Refunded\r", .refunded), ("UNPAID", .unpaid)])
    func lenient(word: String, status: OrderStatus) {
        #expect(OrderStatus.fromImport(word) == status)
    }

    @Test("the status column is optional: blank means paid")
    func blankIsPaid() {
        #expect(OrderStatus.fromImport("") == .paid)
        #expect(OrderStatus.fromImport("   ") == .paid)
    }

    @Test("unknown words are rejected, not guessed", arguments: ["pending", "交易", "paid!", "已取消", "0"])
    func unknown(word: String) {
        #expect(OrderStatus.fromImport(word) == nil)
    }
}

@Suite("Phone masking (PRODUCT.md: Operators and privacy)")
struct PhoneTests {
    @Test(arguments: [("13812345678", "138****5678"), ("", ""), ("5678", "****"), ("123", "***"),
                      ("12345678", "****5678"), ("8613812345678", "861****5678")])
    func masked(phone: String, shown: String) {
        #expect(Phone.masked(phone) == shown)
    }

    @Test("a masked mobile never shows the middle four digits")
    func middleHidden() {
        #expect(!Phone.masked("13812345678").contains("1234"))
    }

    @Test(arguments: [("+86 138-1234-5678", "13812345678"), ("138 1234 5678", "13812345678"),
                      ("(0571) 8888-1234", "057188881234"), ("", ""), ("86138123456789", "86138123456789"),
                      ("13812345678", "13812345678"), ("8613812345678", "13812345678")])
    func normalized(raw: String, digits: String) {
        #expect(Phone.normalized(raw) == digits)
    }
}
