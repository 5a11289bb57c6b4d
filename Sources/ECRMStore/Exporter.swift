import Foundation
import GRDB
import GRDBSQLite
import CSVStream
import ECRMDomain

/// `ecrm export` and the console's export: the CSV of PRODUCT.md for any filtered member list.
public struct Exporter {
    public struct Filter: Sendable, Equatable {
        public var segment: Segment?
        public var lifecycle: Lifecycle?
        public var tag: String?
        public var tier: Int?
        /// Only these members (a search result or a console list); nil = everyone.
        public var memberIds: Set<Int64>?
        public init(segment: Segment? = nil, lifecycle: Lifecycle? = nil, tag: String? = nil, tier: Int? = nil, memberIds: Set<Int64>? = nil) {
            self.segment = segment; self.lifecycle = lifecycle; self.tag = tag; self.tier = tier; self.memberIds = memberIds
        }
    }

    public static let columns = ["buyer_id", "nick", "name", "phone", "province", "city", "tier", "recency_days", "frequency",
                                 "monetary", "r_score", "f_score", "m_score", "segment", "lifecycle", "tags"]

    let store: Store
    public init(store: Store) { self.store = store }

    /// Writes the file and returns the number of members written. `reveal` (clear phones) is owner-only and audited.
    public func export(to path: String, settings: RFMSettings, filter: Filter, reveal: Bool,
                       encoding: CSVOutputEncoding = .utf8) throws -> Int {
        if reveal { try store.requireOwner("export clear phone numbers") } else { _ = try store.requireRole() }
        let writer: CSVWriter
        do { writer = try CSVWriter(path: path, encoding: encoding, lineEnding: .lf) } catch let e as CSVError { throw StoreError.invalid(e.description) }
        var written = 0
        do { try writer.writeRow(Exporter.columns) } catch let e as CSVError { throw StoreError.invalid(e.description) }
        try store.pool.read { db in
            let c = try RFMEngine.compute(db, settings: settings)
            let (ids, measures, scoring) = (c.ids, c.measures, c.scoring)
            if let t = filter.tag, try Int64.fetchOne(db, sql: "SELECT id FROM tag WHERE name = ?", arguments: [t]) == nil {
                throw StoreError.notFound("no tag named '\(t)'")
            }
            // Tags of every member, streamed in member order alongside the member scan.
            let tagScan = try RawStatement(db, "SELECT mt.member_id, t.name FROM member_tag mt INDEXED BY member_tag_member JOIN tag t ON t.id = mt.tag_id ORDER BY mt.member_id")
            var tagRow = sqlite3_step(tagScan.handle) == SQLITE_ROW
            let scan = try RawStatement(db, "SELECT id, buyer_id, nick, name, phone, province, city, tier FROM member ORDER BY id")
            var k = 0
            func text(_ s: OpaquePointer, _ i: Int32) -> String {
                guard let p = sqlite3_column_text(s, i) else { return "" }
                return String(cString: p)
            }
            while sqlite3_step(scan.handle) == SQLITE_ROW {
                let id = sqlite3_column_int64(scan.handle, 0)
                while k < ids.count && ids[k] < id { k += 1 }
                var tags: [String] = []
                while tagRow && sqlite3_column_int64(tagScan.handle, 0) < id { tagRow = sqlite3_step(tagScan.handle) == SQLITE_ROW }
                while tagRow && sqlite3_column_int64(tagScan.handle, 0) == id {
                    tags.append(text(tagScan.handle, 1))
                    tagRow = sqlite3_step(tagScan.handle) == SQLITE_ROW
                }
                guard k < ids.count, ids[k] == id else { continue }
                let x = measures[k], s = scoring.scores[k]
                let stage = c.lifecycles[k]
                let tier = Int(sqlite3_column_int64(scan.handle, 7))
                if let seg = filter.segment, s.segment != seg { continue }
                if let l = filter.lifecycle, stage != l { continue }
                if let t = filter.tier, tier != t { continue }
                if let ms = filter.memberIds, !ms.contains(id) { continue }
                // The member's tags are already streamed alongside: no query per member.
                if let t = filter.tag, !tags.contains(t) { continue }
                let phone = text(scan.handle, 4)
                do {
                    try writer.writeRow([
                        text(scan.handle, 1), text(scan.handle, 2), text(scan.handle, 3), reveal ? phone : Phone.masked(phone),
                        text(scan.handle, 5), text(scan.handle, 6), String(tier),
                        x.recencyDays.map(String.init) ?? "", String(x.frequency), Money.yuanString(x.monetary),
                        s.r == 0 ? "" : String(s.r), s.f == 0 ? "" : String(s.f), s.m == 0 ? "" : String(s.m),
                        s.segment.rawValue, stage.rawValue, tags.sorted().joined(separator: "|"),
                    ])
                } catch let e as CSVError { throw StoreError.invalid(e.description) }
                written += 1
            }
        }
        do { try writer.close() } catch let e as CSVError { throw StoreError.invalid(e.description) }
        // Every export is logged (what left the store, and whether its phones were clear).
        try store.translate {
            try store.pool.write { db in
                try Audit.record(db, operator: store.operatorName, action: reveal ? "export.clear" : "export", target: path, before: nil,
                                 after: "\(written) members, phones \(reveal ? "clear" : "masked")", reason: nil)
            }
        }
        return written
    }
}
