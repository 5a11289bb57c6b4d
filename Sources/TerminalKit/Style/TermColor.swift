/// A colour as written in a theme: the terminal default, a palette index
/// (0-255) or 24-bit RGB. `resolved(forColors:)` maps it to what the terminal
/// can show (256 → 16 → 8 → none), the way VisiData/nnn fall back.
public enum TermColor: Hashable, Sendable, CustomStringConvertible {
    case terminalDefault
    case indexed(Int)
    case rgb(UInt8, UInt8, UInt8)

    public static let namedColors: [String: Int] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "bright_black": 8, "gray": 8, "grey": 8, "bright_red": 9, "bright_green": 10, "bright_yellow": 11,
        "bright_blue": 12, "bright_magenta": 13, "bright_cyan": 14, "bright_white": 15,
    ]

    /// Parses "default", a colour name, "#rrggbb", or a decimal index string.
    public init?(parsing text: String) {
        let t = String(text.trimmingWhitespace().lowercased().map { $0 == "-" ? "_" : $0 })
        if t == "default" || t == "none" { self = .terminalDefault; return }
        if let i = Self.namedColors[t] { self = .indexed(i); return }
        if t.hasPrefix("#"), t.count == 7, let v = UInt32(t.dropFirst(), radix: 16) {
            self = .rgb(UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)); return
        }
        if let i = Int(t), (0...255).contains(i) { self = .indexed(i); return }
        return nil
    }

    public var description: String {
        switch self {
        case .terminalDefault: return "default"
        case .indexed(let i): return String(i)
        case .rgb(let r, let g, let b):
            return "#" + [r, g, b].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
    }

    /// Palette index to use on a terminal with `colors` colours; -1 = terminal
    /// default; nil = no colour at all (fewer than 8 colours).
    public func resolved(forColors colors: Int) -> Int? {
        if colors < 8 { return nil }
        switch self {
        case .terminalDefault: return -1
        case .indexed(let i):
            if i < colors && (colors >= 256 || i < 16) { return i }
            return Self.nearest(rgb: Self.rgbOf(index: i), among: min(colors, 16) >= 16 ? 16 : 8)
        case .rgb(let r, let g, let b):
            if colors >= 256 { return Self.nearest256(r, g, b) }
            return Self.nearest(rgb: (Int(r), Int(g), Int(b)), among: colors >= 16 ? 16 : 8)
        }
    }

    // xterm's palette: 16 system colours, 6x6x6 cube, 24 greys.
    static let system16: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
    static let cubeLevels = [0, 95, 135, 175, 215, 255]

    static func rgbOf(index i: Int) -> (Int, Int, Int) {
        if i < 16 { return system16[max(0, i)] }
        if i < 232 {
            let c = i - 16
            return (cubeLevels[c / 36], cubeLevels[c / 6 % 6], cubeLevels[c % 6])
        }
        let g = 8 + (i - 232) * 10
        return (g, g, g)
    }

    static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let dr = a.0 - b.0, dg = a.1 - b.1, db = a.2 - b.2
        return dr * dr + dg * dg + db * db
    }

    /// Nearest xterm-256 index (cube or grey ramp, never the variable 0-15).
    static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        func level(_ v: UInt8) -> Int {
            let v = Int(v)
            var best = 0
            for (k, l) in cubeLevels.enumerated() where abs(l - v) < abs(cubeLevels[best] - v) { best = k }
            return best
        }
        let (ri, gi, bi) = (level(r), level(g), level(b))
        let cubeIndex = 16 + 36 * ri + 6 * gi + bi
        let target = (Int(r), Int(g), Int(b))
        let avg = (Int(r) + Int(g) + Int(b)) / 3
        let greyIndex = 232 + min(23, max(0, (avg - 3) / 10))
        return distance(rgbOf(index: greyIndex), target) < distance(rgbOf(index: cubeIndex), target)
            ? greyIndex : cubeIndex
    }

    static func nearest(rgb: (Int, Int, Int), among count: Int) -> Int {
        var best = 0
        for i in 0..<count where distance(system16[i], rgb) < distance(system16[best], rgb) { best = i }
        return best
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
