import Foundation
import ECRMStore
import ECRMDomain

/// `ecrm-bench segments --db PATH`: what the Segments pane costs to open (the stored summary) and
/// what a drill-down costs to show its first page (the console's pager over one segment, and the
/// same pager over an R×F cell), per segment, median and p95 over the runs.
enum SegmentsBench {
    static func run(_ store: Store, runs: Int) throws {
        var open: [Double] = [], pager: [Double] = [], cell: [Double] = []
        for _ in 0..<max(1, runs) {
            open.append(try time { _ = try RFMEngine.lastSummary(store) })
            for seg in Segment.allCases where seg != .none {
                pager.append(try time {
                    let p = try MemberPager(store: store, sort: .recency, set: .segment(seg), pageSize: 100)
                    _ = p.rows(in: 0..<20)
                })
            }
            for r in 1...5 {
                for f in 1...5 {
                    cell.append(try time {
                        let p = try MemberPager(store: store, sort: .recency, set: .grid(r: r, f: f), pageSize: 100)
                        _ = p.rows(in: 0..<20)
                    })
                }
            }
        }
        func ms(_ xs: [Double]) -> String { String(format: "p50=%.1fms p95=%.1fms", median(xs) * 1000, percentile(xs, 0.95) * 1000) }
        print("segments_pane_open \(ms(open))")
        print("drilldown_segment_first_page \(ms(pager))")
        print("drilldown_grid_cell_first_page \(ms(cell))")
    }
}
