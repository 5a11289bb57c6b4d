import Foundation
import GRDB
import ECRMDomain

/// Seeded damaged copies of a valid UTF-8 orders file, and what an import of one kept, stored and
/// rejected. Shared by the seeded mutation test and `ecrm-bench damaged` (issue 15: 0 garbled rows
/// stored, 0 intact rows rejected, 0 file-level failures), like DemoShop serves the demo and tests.
public enum DamagedImport {
    /// One row of the valid file, as written and as it must be stored.
    public struct Row: Sendable {
        public let orderId: Int64
        public let buyerId: String
        public let nick: String
        public let paidAt: String
        public let amount: Fen
        public let bytes: [UInt8]
    }

    public static let header = Array("order_id,buyer_id,buyer_nick,paid_at,amount,status,items\n".utf8)

    /// A valid file of `rows` orders, one buyer each, with Chinese nicks. Order and buyer ids are
    /// multiples of the prime 7919 (plus a constant), so no change of a single digit turns one into
    /// another: a damaged id never takes an intact row's place.
    public static func original(rows: Int, seed: UInt64) -> (bytes: [UInt8], rows: [Row]) {
        var rng = SplitMix64(seed: seed)
        let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"), given = Array("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞")
        let suffixes = ["小店", "宝宝", "的猫", "lover", "酱", "妈妈", ""]
        var bytes = header
        var out: [Row] = []
        for i in 0..<rows {
            let orderId = Int64(3_000_000_000) + Int64(i) * 7919
            let buyer = "tb\(100_003 + i * 7919)"
            let nick = String(surnames[Int(rng.next() % UInt64(surnames.count))])
                + String(given[Int(rng.next() % UInt64(given.count))]) + suffixes[Int(rng.next() % UInt64(suffixes.count))]
            let day = 1 + Int(rng.next() % 28), month = 1 + Int(rng.next() % 12)
            let paidAt = "2025-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day) 1\(rng.next() % 10):00:00"
            let fen = Fen(rng.next() % 100_000)
            let line = Array("\(orderId),\(buyer),\(nick),\(paidAt),\(Money.yuanString(fen)),paid,1\n".utf8)
            bytes += line
            out.append(Row(orderId: orderId, buyerId: buyer, nick: nick, paidAt: paidAt, amount: fen, bytes: line))
        }
        return (bytes, out)
    }

    /// `bytes` with 1…4 random byte-level damages (a byte replaced, bytes inserted, a byte deleted)
    /// and sometimes the end cut off, as transfers, editors and disks damage files. Without
    /// `quotes`, no damage writes a `"`: a stray quote legitimately opens a field that may span
    /// lines (RFC 4180), so which rows it swallows is the file's meaning, not the reader's choice.
    public static func damage(_ original: [UInt8], seed: UInt64, quotes: Bool = false) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        var bytes = original
        func randomByte() -> UInt8 {
            let b = UInt8(truncatingIfNeeded: rng.next())
            return !quotes && b == UInt8(ascii: "\"") ? 0xFF : b
        }
        // Never the header: a damaged header is a file-level error by design (the columns are unknown).
        let first = header.count
        for _ in 0..<(1 + Int(rng.next() % 4)) where bytes.count > first + 1 {
            let at = first + Int(rng.next() % UInt64(bytes.count - first))
            switch rng.next() % 3 {
            case 0: bytes[at] = randomByte()
            case 1: bytes.insert(contentsOf: (0..<(1 + Int(rng.next() % 3))).map { _ in randomByte() }, at: at)
            default: bytes.remove(at: at)
            }
        }
        if rng.next() % 10 == 0, bytes.count > first + 1 {
            bytes.removeLast(Int(rng.next() % UInt64(min(200, bytes.count - first))))
        }
        return bytes
    }

    /// What one import of a damaged copy did.
    public struct Outcome: Sendable, Equatable {
        /// Rows whose line is intact in the damaged copy.
        public var intact = 0
        /// Intact rows not stored.
        public var intactRejected = 0
        /// Stored rows whose text or figures differ from what an intact line wrote, or any stored
        /// text holding a replacement character (what a wrong decoding leaves).
        public var garbledStored = 0
        /// The import threw, was not read as UTF-8, or failed as a whole.
        public var fileFailures = 0
        public var rowsStored = 0
        public var rowsRejected = 0

        public init() {}

        public static func += (a: inout Outcome, b: Outcome) {
            a.intact += b.intact; a.intactRejected += b.intactRejected; a.garbledStored += b.garbledStored
            a.fileFailures += b.fileFailures; a.rowsStored += b.rowsStored; a.rowsRejected += b.rowsRejected
        }
    }

    /// Imports `damaged` (written to `path`) into `store` and compares what went in with `rows`.
    public static func importAndCheck(_ damaged: [UInt8], rows: [Row], path: String, store: Store,
                                      importer: Importer) throws -> Outcome {
        try Data(damaged).write(to: URL(fileURLWithPath: path))
        var outcome = Outcome()
        let report: ImportReport
        do {
            report = try importer.run(.orders, path: path)
        } catch {
            outcome.fileFailures = 1
            return outcome
        }
        if report.encoding != "UTF-8" || report.failure(path: path) != nil { outcome.fileFailures = 1 }
        outcome.rowsRejected = report.rejected
        // Intact lines: byte for byte an original row, on a line of their own, with an order id no
        // other line of the damaged copy starts with.
        var lines: [ArraySlice<UInt8>] = []
        var start = header.count
        for (i, b) in damaged.enumerated() where i >= header.count && b == 0x0A {
            lines.append(damaged[start...i])
            start = i + 1
        }
        var idCount: [ArraySlice<UInt8>: Int] = [:]
        func idPart(_ l: ArraySlice<UInt8>) -> ArraySlice<UInt8> { l.prefix { $0 != UInt8(ascii: ",") } }
        for l in lines { idCount[idPart(l), default: 0] += 1 }
        let byBytes = Dictionary(rows.map { ($0.bytes, $0) }, uniquingKeysWith: { a, _ in a })
        let expected = lines.compactMap { l -> Row? in
            guard let row = byBytes[Array(l)], idCount[idPart(l)] == 1 else { return nil }
            return row
        }
        outcome.intact = expected.count
        try store.read(.require(.lookUp)) { db in
            outcome.rowsStored = try Int.fetchOne(db, sql: "SELECT count(*) FROM orders") ?? 0
            let stored = try Row_.fetchAll(db)
            for row in expected {
                guard let s = stored[row.orderId] else { outcome.intactRejected += 1; continue }
                if s.buyerId != row.buyerId || s.nick != row.nick || s.paidAt != row.paidAt || s.amount != row.amount {
                    outcome.garbledStored += 1
                }
            }
            outcome.garbledStored += stored.values.filter { $0.nick.contains("\u{FFFD}") || $0.buyerId.contains("\u{FFFD}") }.count
        }
        return outcome
    }

    private struct Row_ {
        let buyerId, nick, paidAt: String
        let amount: Fen

        static func fetchAll(_ db: Database) throws -> [Int64: Row_] {
            var out: [Int64: Row_] = [:]
            let rows = try GRDB.Row.fetchCursor(db, sql: "SELECT o.order_id, m.buyer_id, m.nick, o.paid_at, o.amount FROM orders o JOIN member m ON m.id = o.member_id")
            while let r = try rows.next() { out[r[0]] = Row_(buyerId: r[1], nick: r[2], paidAt: r[3], amount: r[4]) }
            return out
        }
    }
}
