import CNcursesw

/// Maps style roles to ncurses attributes + colour pairs (allocated lazily,
/// one pair per distinct fg/bg, reset when the theme changes).
struct CursesPalette {
    var theme: Theme = (try? Theme.parse(toml: BuiltinThemes.defaultTOML, name: "default"))
        ?? Theme(name: "empty", roles: [:]) {
        didSet { cache = [:]; pairs = [:] }
    }
    var colorCount = 0
    private var cache: [StyleRole: (attrs: UInt32, pair: Int32)] = [:]
    private var pairs: [Pair: Int32] = [:]
    private struct Pair: Hashable { let fg: Int, bg: Int }

    mutating func resolve(_ role: StyleRole, extra: TextAttributes) -> (attrs: UInt32, pair: Int32) {
        let base: (attrs: UInt32, pair: Int32)
        if let hit = cache[role] { base = hit } else {
            let style = theme.style(role)
            var pair: Int32 = 0
            if !theme.monochrome, let (fg, bg) = style.resolvedColors(forColors: colorCount), fg != -1 || bg != -1 {
                let key = Pair(fg: fg, bg: bg)
                if let p = pairs[key] { pair = p } else if pairs.count + 1 < Int(cn_COLOR_PAIRS()) {
                    pair = Int32(pairs.count + 1)
                    init_pair(Int16(pair), Int16(fg), Int16(bg))
                    pairs[key] = pair
                }
            }
            base = (Self.cursesAttrs(style.attributes), pair)
            cache[role] = base
        }
        return (base.attrs | Self.cursesAttrs(extra), base.pair)
    }

    static func cursesAttrs(_ a: TextAttributes) -> UInt32 {
        var r: UInt32 = 0
        if a.contains(.bold) { r |= cn_A_BOLD() }
        if a.contains(.reverse) { r |= cn_A_REVERSE() }
        if a.contains(.underline) { r |= cn_A_UNDERLINE() }
        if a.contains(.dim) { r |= cn_A_DIM() }
        if a.contains(.italic) { r |= cn_A_ITALIC() }
        return r
    }
}

/// The `Canvas` over ncurses' stdscr (one window; overlays are painted last).
final class CursesCanvas: Canvas {
    var palette = CursesPalette()
    private(set) var width = 0
    private(set) var height = 0
    private(set) var cursor: (x: Int, y: Int)?

    /// What each cell of this frame holds: 0 narrow or blank, 1 a wide glyph's left half, 2 its
    /// right half. ncurses does not blank the left half when something is drawn over a right half
    /// (a box border over a Chinese name): it then prints the wide glyph and the border after
    /// it, one column late, and the row spills into the next line; its picture of the screen is
    /// wrong from there on, so closing the box leaves fragments. We blank split halves ourselves,
    /// as a terminal does.
    private var kinds: [[UInt8]] = []

    func beginFrame(size: TermSize) {
        width = size.width; height = size.height; cursor = nil
        if kinds.count != height || kinds.first?.count != width {
            kinds = Array(repeating: Array(repeating: 0, count: width), count: height)
        } else {
            for y in 0..<height { kinds[y].withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
        }
    }

    func writeCells(_ text: String, x: Int, y: Int, role: StyleRole, extra: TextAttributes) {
        guard y >= 0, y < height, x >= 0, x < width else { return }
        var end = x
        for s in text.unicodeScalars { end += scalarWidth(s) }
        end = min(end, width)
        // A wide glyph cut at either edge of what is written: blank its other half first.
        if kinds[y][x] == 2, x > 0 { blank(x - 1, y) }
        let splitRight = end < width && kinds[y][end] == 2
        let (attrs, pair) = palette.resolve(role, extra: extra)
        var wide = text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        let n = Int32(wide.count)
        wide.append(0)
        _ = cn_put_wstr(cn_stdscr(), Int32(y), Int32(x), wide, n, attrs, pair)
        if splitRight { blank(end, y) }
        var col = x
        for s in text.unicodeScalars where col < width {
            let w = scalarWidth(s)
            if w == 0 { continue }
            kinds[y][col] = w == 2 ? 1 : 0
            if w == 2, col + 1 < width { kinds[y][col + 1] = 2 }
            col += w
        }
    }

    private func blank(_ x: Int, _ y: Int) {
        var space: [wchar_t] = [32, 0]
        _ = cn_put_wstr(cn_stdscr(), Int32(y), Int32(x), &space, 1, 0, 0)
        kinds[y][x] = 0
    }

    func setCursor(_ position: (x: Int, y: Int)?) { cursor = position }
}
