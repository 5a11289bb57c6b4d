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

    func beginFrame(size: TermSize) {
        width = size.width; height = size.height; cursor = nil
    }

    func writeCells(_ text: String, x: Int, y: Int, role: StyleRole, extra: TextAttributes) {
        let (attrs, pair) = palette.resolve(role, extra: extra)
        var wide = text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        let n = Int32(wide.count)
        wide.append(0)
        _ = cn_put_wstr(cn_stdscr(), Int32(y), Int32(x), wide, n, attrs, pair)
    }

    func setCursor(_ position: (x: Int, y: Int)?) { cursor = position }
}
