/// A table column: width in display columns (fixed, or a flexible share of
/// what is left), alignment (numbers right-aligned), header title.
public struct TableColumn: Sendable {
    public enum Width: Sendable { case fixed(Int), flex(min: Int, weight: Int = 1) }
    public var title: String
    public var width: Width
    public var align: Alignment
    public init(_ title: String, _ width: Width, align: Alignment = .left) {
        self.title = title; self.width = width; self.align = align
    }
}

/// Column layout and row drawing. Columns are separated by one space; cells
/// are ellipsis-truncated by display width so CJK never breaks alignment.
public struct Table: Sendable {
    public var columns: [TableColumn]
    public init(_ columns: [TableColumn]) { self.columns = columns }

    /// Widths for `total` columns of space. Flex columns share what remains
    /// after fixed ones and separators; columns that do not fit get width 0.
    public func layout(totalWidth total: Int) -> [Int] {
        let seps = max(0, columns.count - 1)
        var widths = columns.map { c -> Int in
            switch c.width { case .fixed(let n): return n; case .flex(let m, _): return m }
        }
        let used = widths.reduce(0, +) + seps
        var spare = total - used
        let flex = columns.indices.filter { if case .flex = columns[$0].width { return true }; return false }
        let weights = flex.map { i -> Int in if case .flex(_, let w) = columns[i].width { return max(1, w) }; return 1 }
        let weightSum = weights.reduce(0, +)
        if spare > 0 && weightSum > 0 {
            var given = 0
            for (k, i) in flex.enumerated() {
                let share = k == flex.count - 1 ? spare - given : spare * weights[k] / weightSum
                widths[i] += share; given += share
            }
            spare = 0
        }
        // Too narrow: drop columns from the right until the rest fits.
        var x = 0
        for i in widths.indices {
            if x + widths[i] > total { widths[i] = max(0, total - x) }
            x += widths[i] + 1
        }
        return widths
    }

    /// Draws `cells` at row y; `roles` optionally colours individual cells.
    public func drawRow(on canvas: Canvas, y: Int, cells: [String], role: StyleRole = .text,
                        cellRoles: [StyleRole?]? = nil, extra: TextAttributes = []) {
        let widths = layout(totalWidth: canvas.width)
        var x = 0
        for (i, col) in columns.enumerated() where i < cells.count {
            let w = widths[i]
            if w > 0 {
                let text = truncateWithEllipsis(cells[i], w)
                let r = cellRoles?[safe: i].flatMap { $0 } ?? role
                canvas.put(padToWidth(text, w, align: col.align), x: x, y: y, role: r, extra: extra, maxWidth: w)
            }
            x += w + 1
        }
    }

    public func drawHeader(on canvas: Canvas, y: Int) {
        canvas.fill(Rect(x: 0, y: y, width: canvas.width, height: 1), role: .header)
        drawRow(on: canvas, y: y, cells: columns.map(\.title), role: .header)
    }
}

/// Header + virtual list of table rows.
public enum TableView {
    /// Row 0 is the header; the rest is a `ListView` of `cells(row)`.
    /// `rowRole` can colour a whole row (e.g. by member tier) when not selected.
    public static func draw<S: RowSource>(on canvas: Canvas, table: Table, viewport: inout ListViewport, source: S,
                                          focused: Bool = true, cells: (S.Row) -> [String],
                                          cellRoles: ((S.Row) -> [StyleRole?])? = nil) {
        guard canvas.height > 0 else { return }
        table.drawHeader(on: canvas, y: 0)
        let body = canvas.region(Rect(x: 0, y: 1, width: canvas.width, height: canvas.height - 1))
        ListView.draw(on: body, viewport: &viewport, source: source, focused: focused) { c, row, y, selected in
            let role: StyleRole = selected ? (focused ? .selection : .selectionUnfocused) : .text
            table.drawRow(on: c, y: y, cells: cells(row), role: role, cellRoles: selected ? nil : cellRoles?(row))
        }
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
