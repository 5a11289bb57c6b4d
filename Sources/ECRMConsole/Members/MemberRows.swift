import TerminalKit
import ECRMStore

/// The rows behind a member list: the store's pager over a member set, or an in-memory search result.
enum MemberRows: RowSource {
    case paged(MemberPager)
    case results([MemberSummary])

    var count: Int {
        switch self {
        case .paged(let p): return p.count
        case .results(let r): return r.count
        }
    }

    func rows(in range: Range<Int>) -> [MemberSummary] {
        switch self {
        case .paged(let p): return p.rows(in: range)
        case .results(let r): return Array(r[range.clamped(to: r.indices)])
        }
    }
}
