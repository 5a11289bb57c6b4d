import TerminalKit
import ECRMDomain

/// The ladder as a table (level, name, enabled, threshold, discount, members, problems), shared
/// by the pane, edit mode and a history version, so all three line up the same way.
struct TierLadderTable {
    var ladder: TierLadder
    /// Members at levels 0...4; nil while they are being counted (or not wanted).
    var members: [Int]?
    var showMembers = true
    var showLevelZero = true
    /// The highlighted row (a level) and, in edit mode, the field under the cursor.
    var selectedLevel: Int?
    var selectedField: TierField?
    /// Shown beside their field: the cell turns red and the problems column says what is allowed.
    var problems: [TierViolation] = []

    /// Draws the header and one row per level from `y`; returns the row after the table.
    @discardableResult
    func draw(on canvas: Canvas, y: Int, app: ConsoleApp) -> Int {
        let l = app.labels, zh = l.language == .zh, t = l.tierUI
        let table = Table([
            TableColumn("", .fixed(1)), TableColumn(l.colLevel, .fixed(3), align: .right), TableColumn(l.colTier, .fixed(12)),
            TableColumn(l.colEnabled, .fixed(4)), TableColumn(l.colThreshold, .fixed(12), align: .right),
            TableColumn(l.colDiscount, .fixed(12)), TableColumn(showMembers ? l.colMembers : "", .fixed(showMembers ? 7 : 0), align: .right),
            TableColumn(problems.isEmpty ? "" : t.colProblems, .flex(min: 0)),
        ])
        let levels = showLevelZero ? Array(0...4) : Array(1...4)
        let problemWidth = table.layout(totalWidth: canvas.width).last ?? 0
        let region = canvas.region(Rect(x: 0, y: y, width: canvas.width, height: levels.count + 1))
        table.drawHeader(on: region, y: 0)
        for (row, level) in levels.enumerated() {
            let tier: TierLevel? = level == 0 ? nil : ladder[level]
            let mine = problems.filter { $0.tier?.level == level }
            let count = members.map { SegmentsView.count($0[level]) } ?? (showMembers ? "…" : "")
            let cells = [
                level == selectedLevel ? ">" : " ", String(level), ladder.name(of: level),
                tier.map { $0.enabled ? l.yes : l.no } ?? "",
                tier.map { l.tierThreshold(ladder.metric, $0.threshold) } ?? "",
                TierProblemText.discount(tier?.discount ?? 1000, zh: zh),
                showMembers ? count : "",
                // Whole problems only (the full sentences are listed below the table); a cut
                // "已停用，但仍有 3 位会…" reads wrong, "↓" points to them instead.
                Self.problemCell(mine.map { TierProblemText.short($0, zh: zh) }, width: problemWidth),
            ]
            let fields: [TierField?] = [nil, nil, .name, .enabled, .threshold, .discount, nil, nil]
            let tierRole: StyleRole = [StyleRole.text, .tier1, .tier2, .tier3, .tier4][level]
            let roles: [StyleRole?] = fields.enumerated().map { i, f in
                if let f, mine.contains(where: { $0.field == f }) { return .error }
                if level == selectedLevel {
                    if selectedField == nil ? i == 2 : f == selectedField { return .selection }
                }
                if i == 2 { return tierRole }
                if i == 7 { return .error }
                if tier?.enabled == false && i > 2 { return .muted }
                return nil
            }
            let selectedCellRoles = roles.enumerated().map { i, r -> StyleRole? in
                // The cursor cell stays visible even when it also carries a problem.
                if level == selectedLevel, let f = fields[i], f == selectedField { return .selection }
                return r
            }
            table.drawRow(on: region, y: row + 1, cells: cells, cellRoles: selectedCellRoles)
        }
        return y + levels.count + 1
    }

    static func problemCell(_ problems: [String], width: Int) -> String {
        guard !problems.isEmpty else { return "" }
        let fit = fittingItems(problems, separator: "，", columns: width)
        return fit.isEmpty ? "↓" : fit
    }
}
