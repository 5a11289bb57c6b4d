/// Rows fetched on demand: only the visible range is ever requested, so a
/// list over a million members costs one page query per frame at most.
public protocol RowSource {
    associatedtype Row
    /// Total number of rows (shown as "12/1000" and used for scrolling).
    var count: Int { get }
    func rows(in range: Range<Int>) -> [Row]
}

/// Selection and scroll position of a list: pure state, no drawing.
/// `selected` is -1 when the list is empty.
public struct ListViewport: Equatable, Sendable {
    public private(set) var count: Int
    public private(set) var selected: Int
    public private(set) var top: Int
    public private(set) var height: Int

    public init(count: Int = 0, height: Int = 1) {
        self.count = max(0, count); self.height = max(1, height)
        selected = count > 0 ? 0 : -1; top = 0
    }

    /// Rows on screen.
    public var visibleRange: Range<Int> { top..<min(count, top + height) }
    /// "12/1000" (1-based), "0/0" when empty.
    public var positionText: String { "\(selected + 1)/\(count)" }

    public mutating func setCount(_ n: Int) {
        count = max(0, n)
        selected = count == 0 ? -1 : min(max(selected, 0), count - 1)
        clamp()
    }

    public mutating func setHeight(_ h: Int) { height = max(1, h); clamp() }

    public mutating func select(_ index: Int) {
        guard count > 0 else { return }
        selected = min(max(index, 0), count - 1)
        clamp()
    }

    public mutating func move(by delta: Int) { select(selected + delta) }

    /// Page moves scroll with the selection (like less), so the view advances a full screen.
    public mutating func scrollPage(by pages: Int, half: Bool = false) {
        guard count > 0 else { return }
        let step = half ? max(1, height / 2) : height
        let delta = step * pages
        top = min(max(0, top + delta), max(0, count - height))
        select(selected + delta)
    }

    /// Handles the standard movement actions; false if `action` is not one.
    @discardableResult
    public mutating func apply(_ action: StandardAction) -> Bool {
        switch action {
        case .moveDown: move(by: 1)
        case .moveUp: move(by: -1)
        case .pageDown: scrollPage(by: 1)
        case .pageUp: scrollPage(by: -1)
        case .halfPageDown: scrollPage(by: 1, half: true)
        case .halfPageUp: scrollPage(by: -1, half: true)
        case .top: select(0)
        case .bottom: select(count - 1)
        default: return false
        }
        return true
    }

    private mutating func clamp() {
        if selected >= 0 {
            if selected < top { top = selected }
            if selected >= top + height { top = selected - height + 1 }
        }
        top = min(max(0, top), max(0, count - height))
    }
}

/// Draws a list from a `RowSource`, fetching only the visible rows.
public enum ListView {
    /// Calls `drawRow(canvas, row, y, isSelected)` for each visible row; the
    /// selected row is pre-filled with `.selection` (or `.selectionUnfocused`).
    public static func draw<S: RowSource>(on canvas: Canvas, viewport: inout ListViewport, source: S, focused: Bool = true,
                                          drawRow: (Canvas, S.Row, Int, Bool) -> Void) {
        viewport.setCount(source.count)
        viewport.setHeight(canvas.height)
        let range = viewport.visibleRange
        guard !range.isEmpty else { return }
        let rows = source.rows(in: range)
        for (offset, row) in rows.enumerated() {
            let index = range.lowerBound + offset
            let y = offset
            let isSelected = index == viewport.selected
            if isSelected {
                canvas.fill(Rect(x: 0, y: y, width: canvas.width, height: 1), role: focused ? .selection : .selectionUnfocused)
            }
            drawRow(canvas, row, y, isSelected)
        }
    }
}

/// A `RowSource` over an in-memory array (tests, small lists).
public struct ArrayRowSource<Row>: RowSource {
    public var items: [Row]
    public init(_ items: [Row]) { self.items = items }
    public var count: Int { items.count }
    public func rows(in range: Range<Int>) -> [Row] { Array(items[range.clamped(to: items.indices)]) }
}
