import GRDB
import ECRMDomain

/// An order number typed in search or `member show`: its buyer(s), in any channel (PRODUCT.md:
/// "Search finds an order by its exact number in any channel").
enum OrderLookup {
    static func members(number: String, _ db: Database) throws -> [Int64] {
        let text = ImportFormat.unwrapExcel(number)
        guard !text.isEmpty, text.count <= OrderNumber.maxLength else { return [] }
        var ids: [Int64] = []
        // A plain Taobao number is its own key; any number may also be a text number in some
        // channel (the prefix of the unique (order_no, channel) index).
        if let key = OrderNumber.integerKey(text, channel: .taobao),
           let id = try Int64.fetchOne(db, sql: "SELECT member_id FROM orders WHERE order_id = ?", arguments: [key]) {
            ids.append(id)
        }
        let more = try Int64.fetchAll(db, sql: "SELECT member_id FROM orders WHERE order_no = ? ORDER BY channel LIMIT 20", arguments: [text])
        for id in more where !ids.contains(id) { ids.append(id) }
        return ids
    }
}
