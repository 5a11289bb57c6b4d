import TerminalKit
import ECRMDomain

/// The R×F grid: R rows (5 = most recent, at the top) × F columns, each cell's member count
/// coloured in five heat steps by its share of the largest cell, the cursor cell highlighted.
/// Heat uses existing theme roles so every shipped theme (and NO_COLOR) shows it.
struct SegmentsGrid {
    let summary: RFMSummary
    let cursor: SegmentCursor.Spot
    static let cellWidth = 8

    /// 0 = empty … 4 = hottest (at least 75% of the largest cell).
    static func heat(_ n: Int, max: Int) -> Int {
        guard n > 0, max > 0 else { return 0 }
        return 1 + min(3, n * 4 / (max + 1))
    }

    static let heatRoles: [StyleRole] = [.muted, .text, .positive, .chartBar, .warning]

    func draw(on canvas: Canvas, y: Int, labels l: Labels) {
        guard y + 6 <= canvas.height else { return }
        canvas.put(padToWidth(l.gridTitle, 10), x: 1, y: y, role: .header)
        for f in 1...5 { canvas.put(rightAlign("F\(f) ", Self.cellWidth), x: 11 + (f - 1) * Self.cellWidth, y: y, role: .header) }
        let maxCell = summary.grid.flatMap { $0 }.max() ?? 0
        for r in stride(from: 5, through: 1, by: -1) {
            let row = y + 1 + (5 - r)
            canvas.put("R\(r)", x: 1, y: row, role: .header)
            for f in 1...5 {
                let n = summary.grid[r - 1][f - 1]
                let selected = cursor == .grid(r: r, f: f)
                // The cursor cell is bracketed, so it shows without colour too (NO_COLOR).
                let text = rightAlign(selected ? "[\(SegmentsView.count(n))]" : SegmentsView.count(n) + " ", Self.cellWidth)
                let role = selected ? StyleRole.selection : Self.heatRoles[Self.heat(n, max: maxCell)]
                canvas.put(text, x: 11 + (f - 1) * Self.cellWidth, y: row, role: role,
                           extra: Self.heat(n, max: maxCell) == 4 ? .bold : [])
            }
        }
    }
}
