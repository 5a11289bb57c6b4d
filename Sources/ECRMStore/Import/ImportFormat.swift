import CSVStream

/// Which columns of a CSV file feed which fields, recognised from the header row.
enum ImportFormat {
    struct MemberColumns {
        var buyerId: Int
        var nick, name, phone, gender, birthday, province, city, joinedAt, cardNo: Int?
    }

    struct OrderColumns {
        var orderId: Int
        var buyerId: Int
        var buyerNick: Int?
        var paidAt: Int
        var createdAt: Int?
        var amount: Int
        var status: Int?
        var items: Int?
        /// Taobao order report only.
        var receiverName: Int?
        var address: Int?
        var mobile: Int?
        var isTaobao: Bool
        /// From an import profile: its own status words (before the usual ones) and time pattern.
        var statusWords: [String: OrderStatus]? = nil
        var timeFormat: String? = nil
    }

    static func members(_ header: CSVHeader) throws -> MemberColumns {
        guard let key = header.index(ofAny: ["buyer_id", "买家会员名", "会员名", "buyer_nick"]) else {
            throw StoreError.invalid(StoreMessages.rows.noBuyerColumn(header.names.prefix(8).joined(separator: ",")))
        }
        return MemberColumns(
            buyerId: key,
            nick: header.index(ofAny: ["nick", "昵称", "旺旺名"]),
            name: header.index(ofAny: ["name", "姓名", "真实姓名"]),
            phone: header.index(ofAny: ["phone", "手机", "手机号", "联系手机"]),
            gender: header.index(ofAny: ["gender", "性别"]),
            birthday: header.index(ofAny: ["birthday", "生日"]),
            province: header.index(ofAny: ["province", "省份"]),
            city: header.index(ofAny: ["city", "城市"]),
            joinedAt: header.index(ofAny: ["joined_at", "入会时间"]),
            cardNo: header.index(ofAny: ["card_no", "offline_card", "线下会员卡号"]))
    }

    static func orders(_ header: CSVHeader) throws -> OrderColumns {
        // Taobao's order report (订单报表), usually GBK, recognised by its own column names.
        if let orderId = header.index(of: "订单编号"), let buyer = header.index(of: "买家会员名") {
            guard let amount = header.index(ofAny: ["买家实际支付金额", "实付金额", "总金额"]),
                  let paid = header.index(ofAny: ["订单付款时间", "付款时间"]) else {
                throw StoreError.invalid(StoreMessages.rows.taobaoColumnsMissing)
            }
            return OrderColumns(
                orderId: orderId, buyerId: buyer, buyerNick: nil, paidAt: paid,
                createdAt: header.index(of: "订单创建时间"), amount: amount,
                status: header.index(of: "订单状态"), items: header.index(ofAny: ["宝贝总数量", "宝贝数量"]),
                receiverName: header.index(of: "收货人姓名"), address: header.index(of: "收货地址"),
                mobile: header.index(ofAny: ["联系手机", "手机"]), isTaobao: true)
        }
        let missing = header.missing(["order_id", "buyer_id", "paid_at", "amount"])
        guard missing.isEmpty else {
            throw StoreError.invalid(StoreMessages.rows.orderColumnsMissing(missing))
        }
        return OrderColumns(
            orderId: header.index(of: "order_id")!, buyerId: header.index(of: "buyer_id")!,
            buyerNick: header.index(of: "buyer_nick"), paidAt: header.index(of: "paid_at")!, createdAt: nil,
            amount: header.index(of: "amount")!, status: header.index(of: "status"), items: header.index(of: "items"),
            receiverName: nil, address: nil, mobile: nil, isTaobao: false)
    }

    /// Why `id` (already trimmed) cannot be a buyer or order id: empty, or holding a control
    /// character (a NUL or an escape would make a key that looks like another and prints as garbage).
    /// Whether raw field bytes hold a byte below a space, a DEL or a C2 lead (a C1 control may follow).
    static func mayHoldControls(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for b in bytes where b < 0x20 || b == 0x7F || b == 0xC2 { return true }
        return false
    }

    /// `mayHaveControls: false`: the caller saw no byte below a space, no DEL and no C2 lead
    /// (U+0080…U+009F are C1 controls) in the field's bytes, the importer's fast path.
    static func idProblem(_ id: String, _ column: String, mayHaveControls: Bool? = nil) -> RowProblem? {
        if id.isEmpty { return RowProblem(message: StoreMessages.rows.missing(column)) }
        // Unicode properties are looked up only for the rare id with a suspicious byte.
        guard mayHaveControls ?? id.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }) else { return nil }
        guard id.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return nil }
        let shown = id.unicodeScalars.map { $0.properties.generalCategory == .control ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
        return RowProblem(message: StoreMessages.rows.control(column, shown))
    }

    /// Taobao writes long numbers as `="123"` (or `'123`) so Excel keeps every digit; unwrap them.
    static func unwrapExcel(_ s: String) -> String {
        var t = s.trimmingSpaces()
        if t.hasPrefix("=\"") && t.hasSuffix("\"") && t.count >= 3 {
            t = String(t.dropFirst(2).dropLast())
        } else if t.hasPrefix("'") {
            t = String(t.dropFirst())
        }
        return t.trimmingSpaces()
    }

    /// "浙江省 杭州市 西湖区 …" → ("浙江", "杭州"): the first two parts, without the 省/市 suffix,
    /// so they match the generic files' province and city names.
    static func provinceCity(fromAddress address: String) -> (String?, String?) {
        let parts = address.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" }).map(String.init)
        func strip(_ s: String) -> String {
            if s.count > 2 && (s.hasSuffix("省") || s.hasSuffix("市")) { return String(s.dropLast()) }
            return s
        }
        return (parts.count > 0 ? strip(parts[0]) : nil, parts.count > 1 ? strip(parts[1]) : nil)
    }
}

import ECRMDomain
