import TerminalKit
import ECRMDomain

/// Where the Segments pane's cursor is: a segment row, a lifecycle group, or an R×F grid cell.
/// j/k walk down the rows into the lifecycle line and then the grid (R5 at the top); ←/→ move
/// within the lifecycle line and across a grid row.
struct SegmentCursor: Equatable {
    enum Spot: Equatable { case segment(Int), lifecycle(Int), grid(r: Int, f: Int) }
    var spot: Spot = .segment(0)
    let segmentCount = Segment.allCases.count
    let lifecycleCount = Lifecycle.allCases.count

    mutating func apply(_ a: StandardAction) -> Bool {
        switch a {
        case .moveDown: down()
        case .moveUp: up()
        case .top: spot = .segment(0)
        case .bottom: spot = .grid(r: 1, f: 5)
        case .pageDown, .halfPageDown:
            switch spot {
            case .segment: spot = .lifecycle(0)
            default: spot = .grid(r: 1, f: 1)
            }
        case .pageUp, .halfPageUp:
            switch spot {
            case .grid: spot = .lifecycle(0)
            default: spot = .segment(0)
            }
        default: return false
        }
        return true
    }

    mutating func down() {
        switch spot {
        case .segment(let i): spot = i < segmentCount - 1 ? .segment(i + 1) : .lifecycle(0)
        case .lifecycle(let i): spot = .grid(r: 5, f: min(i + 1, 5))
        case .grid(let r, let f): spot = .grid(r: max(1, r - 1), f: f)
        }
    }

    mutating func up() {
        switch spot {
        case .segment(let i): spot = .segment(max(0, i - 1))
        case .lifecycle: spot = .segment(segmentCount - 1)
        case .grid(let r, let f): spot = r < 5 ? .grid(r: r + 1, f: f) : .lifecycle(min(f - 1, lifecycleCount - 1))
        }
    }

    mutating func horizontal(_ delta: Int) {
        switch spot {
        case .segment: break
        case .lifecycle(let i): spot = .lifecycle(min(max(0, i + delta), lifecycleCount - 1))
        case .grid(let r, let f): spot = .grid(r: r, f: min(max(1, f + delta), 5))
        }
    }
}
