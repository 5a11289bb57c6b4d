import Foundation
import GRDB
import ECRMDomain

/// Migration v15-merges: the merge log (what an unmerge needs) and dismissed duplicate pairs.
///
/// A merge deletes the absorbed member's row after moving its identities, orders, tags and notes to
/// the survivor, so every list, segment, tier count and export treats the two as one without a
/// filter anywhere. Its `member_merge` row keeps what the absorbed member was (its whole member row,
/// tier baseline and RFM row, as they were), which identity rows, notes and tags were its, and what
/// the survivor was before (the fields the merge filled, its tags, status and baseline), so an unmerge
/// can put both back. Orders need no list: they follow their identity (orders.identity_id), so the
/// orders that arrived since the merge through the absorbed member's identities go back with them.
enum MergeTables {
    static let schema = """
        CREATE TABLE member_merge (
            id INTEGER PRIMARY KEY,
            keep_id INTEGER NOT NULL,
            other_id INTEGER NOT NULL,
            keep_buyer TEXT NOT NULL,
            other_buyer TEXT NOT NULL,
            merged_at TEXT NOT NULL,
            merged_by TEXT NOT NULL,
            -- JSON MergeSnapshot
            snapshot TEXT NOT NULL,
            unmerged_at TEXT,
            unmerged_by TEXT
        );
        CREATE INDEX member_merge_keep ON member_merge(keep_id) WHERE unmerged_at IS NULL;
        CREATE INDEX member_merge_other ON member_merge(other_buyer) WHERE unmerged_at IS NULL;
        -- A pair the owner said is two people (or unmerged): never a candidate again. low < high.
        CREATE TABLE duplicate_dismissed (
            low INTEGER NOT NULL,
            high INTEGER NOT NULL,
            dismissed_at TEXT NOT NULL,
            dismissed_by TEXT NOT NULL,
            how TEXT NOT NULL DEFAULT 'dismiss',
            PRIMARY KEY (low, high)
        ) WITHOUT ROWID;
        """
}

/// Everything an unmerge needs, kept as JSON in member_merge.snapshot.
struct MergeSnapshot: Codable, Equatable {
    /// The absorbed member's row as it was (every column, so columns added later come back too).
    var otherRow: RowSnapshot
    var otherBaseline: RowSnapshot?
    var otherRFM: RowSnapshot?
    /// Its member_identity rows (after making its implicit Taobao identity a row) and how each came.
    var identities: [IdentityMove]
    /// The row made from its implicit Taobao identity by the merge (nil: it had none): the unmerge
    /// makes it implicit again.
    var materialized: Int64?
    var notes: [Int64]
    var otherTags: [Int64]
    var keepTags: [Int64]
    /// The survivor before: its row, baseline and RFM row.
    var keepRow: RowSnapshot
    var keepBaseline: TierProgressBaseline?
    var keepRFM: RowSnapshot?
    /// Survivor fields the merge filled from the absorbed member (column → value written).
    var filled: [String: SnapValue]
    /// What the merge set on the survivor.
    var mergedStatus: String
    var mergedBaseline: TierProgressBaseline?

    struct IdentityMove: Codable, Equatable { var row: Int64; var how: String }
}

/// One SQLite value, as stored.
enum SnapValue: Codable, Equatable {
    case null
    case int(Int64)
    case real(Double)
    case text(String)
    case blob(Data)

    init(_ v: DatabaseValue) {
        switch v.storage {
        case .null: self = .null
        case .int64(let i): self = .int(i)
        case .double(let d): self = .real(d)
        case .string(let s): self = .text(s)
        case .blob(let b): self = .blob(b)
        }
    }

    var databaseValue: DatabaseValue {
        switch self {
        case .null: return .null
        case .int(let i): return i.databaseValue
        case .real(let d): return d.databaseValue
        case .text(let s): return s.databaseValue
        case .blob(let b): return b.databaseValue
        }
    }
}

/// A whole table row, column by column.
struct RowSnapshot: Codable, Equatable {
    var columns: [String]
    var values: [SnapValue]

    subscript(_ column: String) -> SnapValue? {
        columns.firstIndex(of: column).map { values[$0] }
    }

    static func capture(_ db: Database, _ table: String, key: String, _ id: Int64) throws -> RowSnapshot? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM \(table) WHERE \(key) = ?", arguments: [id]) else { return nil }
        return RowSnapshot(columns: Array(row.columnNames), values: row.databaseValues.map(SnapValue.init))
    }

    /// Inserts the row as it was, with `replacing` values instead of some columns.
    func insert(_ db: Database, _ table: String, replacing: [String: SnapValue] = [:]) throws {
        let values = columns.indices.map { (replacing[columns[$0]] ?? self.values[$0]).databaseValue }
        try db.execute(sql: "INSERT INTO \(table)(\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))",
                       arguments: StatementArguments(values))
    }
}
