/// An in-memory `Canvas` for tests: a grid of cells where a double-width
/// glyph occupies its cell plus a continuation cell, like a real terminal.
/// `text()` dumps the screen for golden comparisons; `cell(x:y:)` and
/// `roleMask` expose attributes.
public final class ScreenGrid: Canvas {
    public struct Cell: Equatable, Sendable {
        /// The glyph (base scalar plus any zero-width marks); "" for a continuation cell.
        public var glyph: String
        public var role: StyleRole
        public var extra: TextAttributes
        public var isContinuation: Bool { glyph.isEmpty }
        public static let blank = Cell(glyph: " ", role: .text, extra: [])
    }

    public private(set) var width: Int
    public private(set) var height: Int
    public private(set) var cells: [[Cell]]
    public private(set) var cursor: (x: Int, y: Int)?

    public init(width: Int, height: Int) {
        self.width = width; self.height = height
        cells = Array(repeating: Array(repeating: .blank, count: width), count: height)
    }

    /// Clears to blanks, optionally at a new size (like a resize + erase).
    public func reset(width w: Int? = nil, height h: Int? = nil) {
        width = w ?? width; height = h ?? height
        cells = Array(repeating: Array(repeating: .blank, count: width), count: height)
        cursor = nil
    }

    public func cell(x: Int, y: Int) -> Cell { cells[y][x] }

    public func writeCells(_ text: String, x: Int, y: Int, role: StyleRole, extra: TextAttributes) {
        guard y >= 0, y < height else { return }
        var col = x
        for s in text.unicodeScalars {
            guard let d = displayScalar(s) else { continue }
            let w = scalarWidth(d)
            if w == 0 {  // combining mark: joins the previous glyph
                var c = col - 1
                while c >= 0 && cells[y][c].isContinuation { c -= 1 }
                if c >= 0 && c >= x { cells[y][c].glyph.unicodeScalars.append(d) }
                continue
            }
            guard col >= 0, col + w <= width else { break }
            breakWide(at: col, y: y)
            if w == 2 { breakWide(at: col + 1, y: y) }
            cells[y][col] = Cell(glyph: String(d), role: role, extra: extra)
            if w == 2 { cells[y][col + 1] = Cell(glyph: "", role: role, extra: extra) }
            col += w
        }
    }

    /// Overwriting half of a wide glyph blanks the other half, as terminals do.
    private func breakWide(at col: Int, y: Int) {
        if cells[y][col].isContinuation, col > 0 { cells[y][col - 1].glyph = " " }
        if col + 1 < width, cells[y][col + 1].isContinuation, !cells[y][col].isContinuation {
            cells[y][col + 1].glyph = " "
        }
    }

    public func setCursor(_ position: (x: Int, y: Int)?) { cursor = position }

    /// Row `y` as text (continuation cells omitted, so each line is `width` columns wide).
    public func line(_ y: Int) -> String {
        cells[y].map(\.glyph).joined()
    }

    /// The whole screen as lines joined by "\n"; trailing spaces trimmed by default
    /// so expected blocks in tests stay readable.
    public func text(trimTrailing: Bool = true) -> String {
        (0..<height).map { y -> String in
            let l = line(y)
            guard trimTrailing else { return l }
            var s = Substring(l)
            while s.last == " " { s.removeLast() }
            return String(s)
        }.joined(separator: "\n")
    }

    /// Row `y` as a mask: `mark` where the cell has `role`, "." elsewhere (one char per column).
    public func roleMask(_ y: Int, _ role: StyleRole, mark: Character = "#") -> String {
        String(cells[y].map { $0.role == role ? mark : "." })
    }
}
