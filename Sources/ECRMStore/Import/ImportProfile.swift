import Foundation
import TOMLKit
import CSVStream
import ECRMDomain

/// An owner's description of any other export (JD, Pinduoduo, Douyin, a till), written once in the
/// config file and named with `ecrm import orders FILE --profile NAME`:
/// ```toml
/// [profiles.jd]
/// channel = "jd"
/// time_format = "yyyy/MM/dd HH:mm:ss"      # an ICU date pattern; optional
/// order_id = "订单号"                       # field = the file's header name
/// buyer_id = "下单帐号"
/// paid_at = "付款时间"
/// amount = "应付金额"
/// status = "订单状态"                        # buyer_nick, status, items optional
/// items = "订购数量"
/// [profiles.jd.status_words]
/// "等待出库" = "paid"
/// "已取消" = "closed"
/// ```
public struct ImportProfile: Sendable, Equatable {
    public var name: String
    public var channel: Channel
    /// Field → the header that holds it.
    public var columns: [String: String]
    public var statusWords: [String: OrderStatus] = [:]
    public var timeFormat: String?

    static let required = ["order_id", "buyer_id", "paid_at", "amount"]
    static let fields = required + ["buyer_nick", "status", "items"]

    /// Every profile in a config file's text; a bad one is refused in one line that says which and why.
    /// `only`: check just that profile (another one's mistake does not stop this import).
    public static func parseAll(_ text: String, path: String, only: String? = nil) throws -> [String: ImportProfile] {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let e as TOMLParseError {
            throw StoreError.invalid("config \(path): line \(e.source.begin.line): \(e.description)")
        } catch { throw StoreError.invalid("config \(path): \(error)") }
        guard let all = table["profiles"]?.table else { return [:] }
        var out: [String: ImportProfile] = [:]
        for name in all.keys where only == nil || only == name {
            func refuse(_ why: String) -> StoreError { .invalid("config \(path): [profiles.\(name)] \(why)") }
            guard let t = all[name]?.table else { throw refuse("must be a table") }
            guard let ch = t["channel"]?.string else { throw refuse("needs channel = one of \(Channel.keyList)") }
            guard let channel = Channel(rawValue: ch) else { throw refuse("names an unknown channel '\(ch)' (use one of \(Channel.keyList))") }
            var p = ImportProfile(name: name, channel: channel, columns: [:], timeFormat: t["time_format"]?.string)
            var fieldOf: [String: String] = [:]
            for key in t.keys where !["channel", "time_format", "status_words"].contains(key) {
                guard fields.contains(key) else { throw refuse("has an unknown field '\(key)' (fields: \(fields.joined(separator: ", ")))") }
                guard let header = t[key]?.string, !header.isEmpty else { throw refuse("\(key) must be a header name") }
                if let other = fieldOf[header] { throw refuse("maps header '\(header)' to two fields, \(other) and \(key)") }
                fieldOf[header] = key
                p.columns[key] = header
            }
            for f in required where p.columns[f] == nil { throw refuse("needs \(f) = the header that holds it") }
            if let words = t["status_words"]?.table {
                for w in words.keys {
                    guard let s = words[w]?.string, let st = OrderStatus(rawValue: s) else {
                        throw refuse("status_words '\(w)' must be paid, refunded, closed or unpaid")
                    }
                    p.statusWords[w] = st
                }
            }
            out[name] = p
        }
        return out
    }

    /// The file's columns through this profile; a header it names that the file lacks is refused.
    func orderColumns(_ header: CSVHeader, path: String) throws -> ImportFormat.OrderColumns {
        var at: [String: Int] = [:]
        for (field, name) in columns.sorted(by: { $0.key < $1.key }) {
            guard let i = header.index(of: name) else {
                throw StoreError.invalid("profile \(self.name): \(path) has no header '\(name)' (for \(field))")
            }
            at[field] = i
        }
        var c = ImportFormat.OrderColumns(
            orderId: at["order_id"]!, buyerId: at["buyer_id"]!, buyerNick: at["buyer_nick"], paidAt: at["paid_at"]!, createdAt: nil,
            amount: at["amount"]!, status: at["status"], items: at["items"], receiverName: nil, address: nil, mobile: nil, isTaobao: false)
        c.statusWords = statusWords.isEmpty ? nil : statusWords
        c.timeFormat = timeFormat
        return c
    }

    /// A time in the profile's pattern (Foundation's ICU parser), as the wall time it names.
    static func parseTime(_ text: String, format: String) -> LocalTime? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(secondsFromGMT: 0)
        f.dateFormat = format
        guard let d = f.date(from: text.trimmingSpaces()) else { return nil }
        return LocalTime(stamp: Int64(d.timeIntervalSince1970.rounded(.down)))
    }
}
