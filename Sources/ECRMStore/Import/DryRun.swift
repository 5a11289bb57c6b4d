import Foundation
import CSVStream
import ECRMDomain

/// `ecrm import … --dry-run`: what an import of one file would do, read without opening the store
/// (so its file cannot change): the layout recognised, the channel, the first rows as they would
/// be stored, and every rejected row with its line and reason. The store's own refusals (rare:
/// the parser checks what the store would) and whether a row adds or updates are not known here.
public struct DryRunReport: Sendable, Equatable, Codable {
    public var kind: String
    public var layout: String
    public var encoding: String
    public var channel: String
    public var rows = 0
    /// The first five good rows, each as `column=value` pairs in the store's own form.
    public var preview: [[String]] = []
    public var problems: [ImportReport.Problem] = []
    public var warnings: [ImportReport.Problem] = []

    public static let previewRows = 5

    /// The report for a person, in their language (StoreMessages.language).
    public var text: String {
        let zh = StoreMessages.zh
        var out = [zh ? "格式 \(layout)（\(encoding)），渠道 \(channel)" : "layout \(layout) (\(encoding)), channel \(channel)"]
        out.append(zh ? "前 \(preview.count) 行将存为：" : "first \(preview.count) rows as they would be stored:")
        for p in preview { out.append("  " + p.joined(separator: "  ")) }
        out.append(zh ? "\(rows) 行可导入，\(problems.count) 行被拒（试运行：店铺未改动）"
                      : "\(rows) rows would import, \(problems.count) rejected (dry run: the store is unchanged)")
        return out.joined(separator: "\n")
    }
}

extension Importer {
    /// Reads `path` as `run` would, writes nothing. Needs no store.
    public static func dryRun(_ kind: Kind, path: String, encoding: CSVEncoding = .auto, channel: Channel = .default,
                              today: Day = Clock.today(), timeZone: TimeZone = .current, profile: ImportProfile? = nil) throws -> DryRunReport {
        let reader: CSVReader
        do { reader = try CSVReader(path: path, encoding: encoding) } catch let e as CSVError { throw StoreError.invalid(e.description) }
        let header: CSVHeader
        do {
            guard let h = try reader.readHeader() else { throw StoreError.invalid(StoreMessages.rows.empty(path)) }
            header = h
        } catch let e as CSVRowError {
            throw StoreError.invalid(StoreMessages.rows.badHeader(path, e))
        }
        var report = DryRunReport(kind: kind.rawValue, layout: kind.rawValue, encoding: reader.encoding.description, channel: channel.rawValue)
        func problem(_ line: Int, _ reason: String) { report.problems.append(.init(line: line, reason: reason)) }
        func show(_ pairs: [(String, String?)]) {
            guard report.preview.count < DryRunReport.previewRows else { return }
            report.preview.append(pairs.compactMap { k, v in v.map { "\(k)=\($0)" } })
        }
        switch kind {
        case .members:
            let cols = try ImportFormat.members(header)
            try reader.forEachRecord({ r in
                switch MemberRowParser.parse(r, cols) {
                case .failure(let p): problem(r.line, p.message)
                case .success(let m):
                    report.rows += 1
                    show([("buyer_id", m.buyerId), ("nick", m.nick), ("name", m.name), ("phone", m.phone.map(Phone.masked)),
                          ("gender", m.gender), ("birthday", m.birthday), ("province", m.province), ("city", m.city),
                          ("joined_at", m.joinedAt), ("card_no", m.cardNo)])
                }
            }, onError: { e in problem(e.recordLine, StoreMessages.rows.unreadable(e)) })
        case .orders where profile == nil && LineItemLayout.recognise(header) != nil:
            let layout = LineItemLayout.recognise(header)!
            report.layout = layout.kind.rawValue
            report.channel = layout.channel.rawValue
            let folded = try layout.fold(reader, latestPaidDay: today.adding(days: 1), timeZone: timeZone)
            report.problems = folded.problems
            report.warnings = folded.warnings
            report.rows = folded.orders.count
            for o in folded.orders.prefix(DryRunReport.previewRows) {
                let f = o.memberFields()
                show([("order_id", o.number?.text ?? String(o.orderId)), ("channel", layout.channel.rawValue), ("buyer_id", o.buyerId),
                      ("nick", f.nick), ("paid_at", o.paidAt?.description ?? ""), ("amount", Money.yuanString(o.amount)),
                      ("status", o.status.rawValue), ("items", String(o.items)),
                      ("name", f.name), ("phone", f.phone.map(Phone.masked)), ("province", f.province), ("city", f.city)])
            }
        case .orders:
            let cols = try profile?.orderColumns(header, path: path) ?? ImportFormat.orders(header)
            report.layout = profile.map { "profile " + $0.name } ?? (cols.isTaobao ? "taobao-order-report" : "orders")
            let channel = profile?.channel ?? channel
            report.channel = channel.rawValue
            let seen = SeenOrderIds()
            // The writer finds a text number's repeat in the store; here the numbers seen so far do.
            var texts: [String: Int] = [:]
            let latest = today.adding(days: 1)
            try reader.forEachRecord({ r in
                switch OrderRowParser.parse(r, cols, latestPaidDay: latest, seen: seen, channel: channel) {
                case .failure(let p): problem(r.line, p.message)
                case .success(let o):
                    if let n = o.number?.text {
                        if let first = texts[n] {
                            problem(r.line, StoreMessages.rows.repeats(n, firstLine: first))
                            return
                        }
                        texts[n] = r.line
                    }
                    report.rows += 1
                    let f = o.memberFields()
                    show([("order_id", o.number?.text ?? String(o.orderId)), ("channel", channel.rawValue), ("buyer_id", o.buyerId),
                          ("nick", f.nick), ("paid_at", o.paidAt?.description ?? ""), ("amount", Money.yuanString(o.amount)),
                          ("status", o.status.rawValue), ("items", String(o.items)),
                          ("name", f.name), ("phone", f.phone.map(Phone.masked)), ("province", f.province), ("city", f.city)])
                }
            }, onError: { e in problem(e.recordLine, StoreMessages.rows.unreadable(e)) })
        }
        report.problems.sort { $0.line < $1.line }
        return report
    }
}
