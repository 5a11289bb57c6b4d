import Foundation
import GRDB
import GRDBSQLite
import CSVStream
import ECRMDomain

/// `ecrm export` and the console's export: the CSV of PRODUCT.md for any member set. The set's RFM
/// conditions (segment, lifecycle, R×F cell) are judged on this export's own computation (its
/// settings and as-of day, the figures the file shows); its other conditions are read as every
/// member set is (MemberSetSQL). A console list is handed over as its listed ids (ListExport).
public struct Exporter {
    public static let columns = ["buyer_id", "nick", "name", "phone", "province", "city", "tier", "recency_days", "frequency",
                                 "monetary", "r_score", "f_score", "m_score", "segment", "lifecycle", "tags", "channels"]
    /// The same columns as a shop's staff read them in Excel (`--headers zh`, the console's default).
    public static let chineseColumns = ["买家ID", "昵称", "姓名", "手机", "省份", "城市", "等级", "距上次购买天数", "购买次数",
                                        "消费金额", "R分", "F分", "M分", "RFM分层", "生命周期", "标签", "渠道"]

    /// Header row and segment/lifecycle values: stable English keys (scripts) or Chinese words.
    public enum Headers: String, Sendable, CaseIterable { case keys = "en", zh }

    let store: Store
    public init(store: Store) { self.store = store }

    /// Writes the file and returns the number of members written. `reveal` (clear phones) is owner-only and audited.
    public func export(to path: String, settings: RFMSettings, set: MemberSet = .all, reveal: Bool,
                       encoding: CSVOutputEncoding = .utf8, headers: Headers = .keys) throws -> Int {
        try export(to: path, settings: settings, set: set, reveal: reveal, encoding: encoding, headers: headers) { db, written in
            try Audit.record(db, operator: store.operatorName, action: reveal ? "export.clear" : "export", target: path, before: nil,
                             after: "\(written) members, phones \(reveal ? "clear" : "masked")", reason: nil)
        }
    }

    /// The same with the caller's audit row (a campaign's send list says which campaign), written by
    /// `audit` inside the transaction that checks the operator's right again.
    func export(to path: String, settings: RFMSettings, set: MemberSet, reveal: Bool, encoding: CSVOutputEncoding,
                headers: Headers, audit: (Database, Int) throws -> Void) throws -> Int {
        let access = Store.Access.require(reveal ? .clearExport : .export)
        var written = 0
        let zh = headers == .zh
        var opened: CSVWriter?
        // The right is checked inside the read, before the file is created: a refused export leaves no file.
        try store.read(access) { db in
            // A read-only store cannot log a clear export, so it makes none. A masked one goes unlogged:
            // whoever may only read the store file can copy all of it anyway (the OS lets them).
            if reveal && store.isReadOnly { throw StoreError.permissionDenied(StoreMessages.readOnly(store.path, user: store.operatorName)) }
            let writer: CSVWriter
            do { writer = try CSVWriter(path: path, encoding: encoding, lineEnding: .lf) } catch let e as CSVError { throw StoreError.invalid(e.description) }
            opened = writer
            do { try writer.writeRow(zh ? Exporter.chineseColumns : Exporter.columns) } catch let e as CSVError { throw StoreError.invalid(e.description) }
            let c = try RFMEngine.compute(db, settings: settings)
            let (ids, measures, scoring) = (c.ids, c.measures, c.scoring)
            let rule = set.rule ?? MemberRule()
            let rfm = rule.usesRFM ? rule.rfmPart : nil
            let rest = rule.withoutRFM
            // Members the other conditions keep (nil: everyone); a list of members is taken as it is.
            let kept: Set<Int64>? = rest.isEmpty ? nil
                : Set(rest == MemberRule(members: rest.members) ? rest.members ?? [] : try MemberSetSQL.allIds(db, .rule(rest)))
            // Tags of every member, streamed in member order alongside the member scan.
            let tagScan = try RawStatement(db, "SELECT mt.member_id, t.name FROM member_tag mt INDEXED BY member_tag_member JOIN tag t ON t.id = mt.tag_id ORDER BY mt.member_id")
            var tagRow = try tagScan.next()
            // Identity rows' channels, streamed the same way (PRODUCT.md: exports add `channels`).
            let channelScan = try RawStatement(db, "SELECT member_id, channel FROM member_identity INDEXED BY member_identity_member ORDER BY member_id")
            var channelRow = try channelScan.next()
            let scan = try RawStatement(db, "SELECT id, buyer_id, nick, name, phone, province, city, tier, channel IS NULL FROM member ORDER BY id")
            var k = 0
            func text(_ s: OpaquePointer, _ i: Int32) -> String {
                guard let p = sqlite3_column_text(s, i) else { return "" }
                return String(cString: p)
            }
            while try scan.next() {
                let id = sqlite3_column_int64(scan.handle, 0)
                while k < ids.count && ids[k] < id { k += 1 }
                var tags: [String] = []
                while tagRow && sqlite3_column_int64(tagScan.handle, 0) < id { tagRow = try tagScan.next() }
                while tagRow && sqlite3_column_int64(tagScan.handle, 0) == id {
                    tags.append(text(tagScan.handle, 1))
                    tagRow = try tagScan.next()
                }
                // Its channels: the implicit Taobao identity, then its identity rows' channels.
                var channels = Set<String>()
                if sqlite3_column_int64(scan.handle, 8) != 0 { channels.insert(Channel.taobao.rawValue) }
                while channelRow && sqlite3_column_int64(channelScan.handle, 0) < id { channelRow = try channelScan.next() }
                while channelRow && sqlite3_column_int64(channelScan.handle, 0) == id {
                    channels.insert(text(channelScan.handle, 1))
                    channelRow = try channelScan.next()
                }
                guard k < ids.count, ids[k] == id else { continue }
                let x = measures[k], s = scoring.scores[k]
                let stage = c.lifecycles[k]
                let tier = Int(sqlite3_column_int64(scan.handle, 7))
                if let kept, !kept.contains(id) { continue }
                if let rfm, !rfm.matchesRFM(segment: s.segment, lifecycle: stage, r: Int(s.r), f: Int(s.f)) { continue }
                let phone = text(scan.handle, 4)
                do {
                    try writer.writeRow([
                        text(scan.handle, 1), text(scan.handle, 2), text(scan.handle, 3), reveal ? phone : Phone.masked(phone),
                        text(scan.handle, 5), text(scan.handle, 6), String(tier),
                        x.recencyDays.map(String.init) ?? "", String(x.frequency), Money.yuanString(x.monetary),
                        s.r == 0 ? "" : String(s.r), s.f == 0 ? "" : String(s.f), s.m == 0 ? "" : String(s.m),
                        zh ? s.segment.chineseName : s.segment.rawValue, zh ? stage.chineseName : stage.rawValue,
                        tags.sorted().joined(separator: "|"),
                        Channel.allCases.filter { channels.contains($0.rawValue) }.map(\.rawValue).joined(separator: "|"),
                    ])
                } catch let e as CSVError { throw StoreError.invalid(e.description) }
                written += 1
            }
        }
        guard let writer = opened else { return 0 }
        do { try writer.close() } catch let e as CSVError { throw StoreError.invalid(e.description) }
        // Every export is logged (what left the store, and whether its phones were clear). The file
        // is written before this transaction, not inside it: the RFM pass and the CSV take seconds on
        // a large store, every other operator's write would wait that long for the lock, and a file
        // cannot roll back with a transaction anyway. So the right is checked again here, in the
        // audit row's own transaction, and a file whose audit row could not be written (right lost
        // meanwhile, store busy) is removed: nothing leaves the store unlogged.
        if store.isReadOnly { return written }
        do {
            try store.write(.export, access) { db in try audit(db, written) }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        return written
    }
}
