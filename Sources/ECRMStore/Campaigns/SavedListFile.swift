import Foundation
import GRDB
import CSVStream
import ECRMDomain

/// A saved list as a shop keeps one: a CSV file with a buyer id column — an earlier `ecrm export`
/// or campaign send list (keys or Chinese headers, any encoding), edited in Excel or not, or any
/// file whose header has `buyer_id`. Its members become a campaign target (`campaign create --list`).
public enum SavedListFile {
    static let columnNames = ["buyer_id", "买家ID", "买家会员名"]

    /// The members the file names, as a member set; every buyer id must be a member of this store
    /// (a list from another shop or a typo is refused in one line, nothing guessed).
    public static func members(_ store: Store, path: String) throws -> MemberSet {
        let buyers = try buyerIds(path)
        guard !buyers.isEmpty else { throw StoreError.invalid("\(path) lists no buyer ids") }
        let ids: [Int64] = try store.read(.require(.lookUp)) { db in
                let find = try db.makeStatement(sql: "SELECT id FROM member WHERE buyer_id = ?")
                var ids: [Int64] = []
                var unknown: [String] = []
                for b in buyers {
                    if let id = try Int64.fetchOne(find, arguments: [b]) { ids.append(id) } else { unknown.append(b) }
                }
                if let first = unknown.first {
                    throw StoreError.invalid("\(unknown.count) of the \(buyers.count) buyer ids in \(path) are not members of this store (first: \(first))")
                }
                return ids
        }
        return .ids(Array(Set(ids)).sorted())
    }

    /// The buyer id column's values in file order (blank cells skipped, duplicates kept once).
    static func buyerIds(_ path: String) throws -> [String] {
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch { throw StoreError.invalid("cannot read \(path): \(error)") }
        guard let header = try? reader.readHeader() else { throw StoreError.invalid("\(path) is empty: a saved list needs a header row with buyer_id") }
        guard let column = header.index(ofAny: columnNames) else {
            throw StoreError.invalid("\(path) has no buyer_id column (the first column of an ecrm export, 买家ID with Chinese headers)")
        }
        var seen = Set<String>()
        var out: [String] = []
        while let row = try reader.nextRow() {
            switch row {
            case .failure(let problem):
                throw StoreError.invalid("\(path) line \(problem.line) cannot be read (\(problem)); nothing was created")
            case .success(let r):
                guard column < r.fields.count else { continue }
                var b = r.fields[column].trimmingCharacters(in: .whitespaces)
                // Excel's ="…" wrapping, as in Taobao's exports.
                if b.hasPrefix("=\""), b.hasSuffix("\""), b.count >= 3 { b = String(b.dropFirst(2).dropLast()) }
                if !b.isEmpty, seen.insert(b).inserted { out.append(b) }
            }
        }
        return out
    }
}
