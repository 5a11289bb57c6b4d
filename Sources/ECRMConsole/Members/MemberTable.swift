import TerminalKit
import ECRMStore
import ECRMDomain

/// Columns of a member list, aligned by display columns: nick, name, masked phone, tier, last
/// paid, orders, spend at 80 columns; region and buyer id join at 120+.
struct MemberTable {
    let table: Table
    let wide: Bool
    let tierNames: [String]

    init(width: Int, labels: Labels, tierNames: [String]) {
        wide = width >= 120
        self.tierNames = tierNames
        var cols = [
            TableColumn("  " + labels.colNick, .flex(min: 14)),
            TableColumn(labels.colName, .fixed(wide ? 10 : 8)),
            TableColumn(labels.colPhone, .fixed(11)),
        ]
        if wide { cols.append(TableColumn(labels.colRegion, .fixed(14))) }
        cols += [
            TableColumn(labels.colTier, .fixed(11)),
            TableColumn(labels.colLastPaid, .fixed(10)),
            TableColumn(labels.colOrders, .fixed(4), align: .right),
            TableColumn(labels.colSpend, .fixed(12), align: .right),
        ]
        if wide { cols.append(TableColumn("ID", .fixed(10))) }
        table = Table(cols)
    }

    func cells(_ m: MemberSummary, selected: Bool) -> [String] {
        // The marker shares the nick cell: one attribute run when the selection moves.
        var c = [(selected ? "> " : "  ") + m.nick, m.name, m.maskedPhone]
        if wide { c.append(m.city.isEmpty || m.city == m.province ? m.province : m.province + " " + m.city) }
        c += [
            (0...4).contains(m.tier) ? tierNames[m.tier] : String(m.tier),
            m.lastPaidAt.map { String($0.prefix(10)) } ?? "-",
            String(m.paidCount),
            Money.display(m.paidSum),
        ]
        if wide { c.append(m.buyerId) }
        return c
    }

    /// The selected row highlights the marker and the nick only: moving the selection then
    /// repaints two short cell runs instead of two whole rows (bytes per key on slow links).
    /// Only the tier is coloured: every colour change costs escape bytes on each repaint.
    func roles(_ m: MemberSummary, selected: Bool) -> [StyleRole?] {
        let tierRole: StyleRole? = m.isBlacklisted ? .error : [nil, .tier1, .tier2, .tier3, .tier4][max(0, min(4, m.tier))]
        var r: [StyleRole?] = [selected ? .selection : nil, nil, nil]
        if wide { r.append(nil) }
        r += [tierRole, nil, nil, nil]
        if wide { r.append(.muted) }
        return r
    }

    func draw(on canvas: Canvas, viewport: inout ListViewport, rows: MemberRows, focused: Bool = true) {
        guard canvas.height > 0 else { return }
        table.drawHeader(on: canvas, y: 0)
        let body = canvas.region(Rect(x: 0, y: 1, width: canvas.width, height: canvas.height - 1))
        viewport.setCount(rows.count)
        viewport.setHeight(body.height)
        let range = viewport.visibleRange
        guard !range.isEmpty else { return }
        for (offset, m) in rows.rows(in: range).enumerated() {
            let selected = range.lowerBound + offset == viewport.selected
            table.drawRow(on: body, y: offset, cells: cells(m, selected: selected), cellRoles: roles(m, selected: selected))
        }
    }
}
