/// Where widgets draw. Coordinates are columns/rows from the canvas' top-left;
/// everything is clipped to the canvas, by display columns.
///
/// Implementations provide one primitive (`writeCells`, already clipped and
/// sanitized) plus a cursor; `put`, `fill`, `region` etc. come from the
/// extension, so the ncurses canvas and the test `ScreenGrid` clip identically.
public protocol Canvas: AnyObject {
    var width: Int { get }
    var height: Int { get }
    /// Writes sanitized text that fits: `0 <= x`, `x + displayWidth(text) <= width`, `0 <= y < height`.
    func writeCells(_ text: String, x: Int, y: Int, role: StyleRole, extra: TextAttributes)
    /// Shows the text cursor at a cell (for the focused input), or hides it (nil).
    func setCursor(_ position: (x: Int, y: Int)?)
}

extension Canvas {
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// Draws `text` at (x, y), clipped to the canvas and to `maxWidth` columns.
    /// Text starting left of 0 is cut there (a wide char split by the edge shows as a space).
    /// Returns the column just after the drawn text.
    @discardableResult
    public func put(_ text: String, x: Int, y: Int, role: StyleRole = .text, extra: TextAttributes = [],
                    maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return x }
        var limit = width - x
        if let m = maxWidth { limit = min(limit, m) }
        guard limit > 0 else { return x }
        var startX = x
        var source = text
        if x < 0 {
            // Drop the columns left of the canvas; a wide char cut in half becomes a space.
            var skipped = 0
            var rest = String.UnicodeScalarView()
            var pendingPad = 0
            for s in text.unicodeScalars {
                guard let d = displayScalar(s) else { continue }
                let w = scalarWidth(d)
                if skipped < -x {
                    skipped += w
                    if skipped > -x { pendingPad = skipped + x }
                    continue
                }
                rest.append(d)
            }
            source = String(repeating: " ", count: pendingPad) + String(rest)
            limit += x
            startX = 0
            guard limit > 0 else { return x + displayWidth(text) }
        }
        let clipped = clipToWidth(source, limit)
        if !clipped.isEmpty { writeCells(clipped, x: startX, y: y, role: role, extra: extra) }
        return startX + displayWidth(clipped)
    }

    /// Draws `text` padded/clipped to exactly `width` columns (fills the rest with the role's background).
    public func putPadded(_ text: String, x: Int, y: Int, width w: Int, role: StyleRole = .text,
                          extra: TextAttributes = [], align: Alignment = .left) {
        put(padToWidth(text, w, align: align), x: x, y: y, role: role, extra: extra, maxWidth: w)
    }

    /// Fills `rect` with spaces in `role` (its background colour).
    public func fill(_ rect: Rect, role: StyleRole = .text, extra: TextAttributes = []) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        let blank = String(repeating: " ", count: r.width)
        for row in r.y..<r.maxY { writeCells(blank, x: r.x, y: row, role: role, extra: extra) }
    }

    /// A canvas for the sub-rectangle `rect`: its (0,0) is rect's corner and
    /// everything drawn is clipped to rect. Widgets draw into regions.
    public func region(_ rect: Rect) -> Canvas {
        RegionCanvas(parent: self, rect: rect.intersection(bounds), origin: (rect.x, rect.y))
    }
}

/// A clipped, translated view of another canvas.
final class RegionCanvas: Canvas {
    let parent: Canvas
    let visible: Rect          // in parent coordinates
    let origin: (x: Int, y: Int)

    init(parent: Canvas, rect: Rect, origin: (Int, Int)) {
        self.parent = parent; self.visible = rect; self.origin = origin
    }
    // The region may start left/above the parent's edge; width counts from the origin.
    var width: Int { max(0, visible.maxX - origin.x) }
    var height: Int { max(0, visible.maxY - origin.y) }

    func writeCells(_ text: String, x: Int, y: Int, role: StyleRole, extra: TextAttributes) {
        let px = x + origin.x, py = y + origin.y
        guard py >= visible.y, py < visible.maxY else { return }
        if px >= visible.x {
            parent.writeCells(text, x: px, y: py, role: role, extra: extra)
        } else {
            // Left of the visible area (region partly off-screen): let put() clip it.
            parent.region(visible).put(text, x: px - visible.x, y: py - visible.y, role: role, extra: extra)
        }
    }

    func setCursor(_ position: (x: Int, y: Int)?) {
        parent.setCursor(position.map { ($0.x + origin.x, $0.y + origin.y) })
    }
}
