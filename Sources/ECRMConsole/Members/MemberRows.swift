import TerminalKit
import ECRMStore

/// The rows behind a member list: a paged store query, or an in-memory search result.
enum MemberRows: RowSource {
    case paged(MemberPager)
    case results([MemberSummary])
    /// Any member set (grid cell, lifecycle, several tags): ids once, rows per visible page.
    case set(MemberSetList)

    var count: Int {
        switch self {
        case .paged(let p): return p.count
        case .results(let r): return r.count
        case .set(let l): return l.count
        }
    }

    func rows(in range: Range<Int>) -> [MemberSummary] {
        switch self {
        case .paged(let p): return p.rows(in: range)
        case .results(let r): return Array(r[range.clamped(to: r.indices)])
        case .set(let l): return l.rows(in: range)
        }
    }
}
