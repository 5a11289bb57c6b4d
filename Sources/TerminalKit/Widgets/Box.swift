/// Border glyphs. Box-drawing characters are East-Asian-ambiguous (some CJK
/// terminal setups draw them 2 columns wide), so an ASCII set is offered.
public struct BorderGlyphs: Sendable {
    public var h, v, tl, tr, bl, br: String
    public static let unicode = BorderGlyphs(h: "─", v: "│", tl: "┌", tr: "┐", bl: "└", br: "┘")
    public static let ascii = BorderGlyphs(h: "-", v: "|", tl: "+", tr: "+", bl: "+", br: "+")
}

/// Bordered boxes and centred modal overlays.
public enum Box {
    /// Draws a border around `rect` with an optional title and returns the
    /// inner region to draw into.
    @discardableResult
    public static func draw(on canvas: Canvas, rect: Rect, title: String? = nil,
                            glyphs: BorderGlyphs = .unicode, role: StyleRole = .border) -> Canvas {
        guard rect.width >= 2, rect.height >= 2 else { return canvas.region(Rect(x: rect.x, y: rect.y, width: 0, height: 0)) }
        let inner = rect.width - 2
        let hline = String(repeating: glyphs.h, count: inner)
        canvas.put(glyphs.tl + hline + glyphs.tr, x: rect.x, y: rect.y, role: role)
        for y in rect.y + 1 ..< rect.maxY - 1 {
            canvas.put(glyphs.v, x: rect.x, y: y, role: role)
            canvas.put(glyphs.v, x: rect.maxX - 1, y: y, role: role)
        }
        canvas.put(glyphs.bl + hline + glyphs.br, x: rect.x, y: rect.maxY - 1, role: role)
        if let title, inner > 4 {
            canvas.put(" " + truncateWithEllipsis(title, inner - 4) + " ", x: rect.x + 2, y: rect.y, role: .title)
        }
        return canvas.region(rect.inset(1))
    }

    /// A `width` x `height` modal centred on the canvas: clears the area
    /// underneath, draws the border, returns the inner region.
    @discardableResult
    public static func modal(on canvas: Canvas, width: Int, height: Int, title: String? = nil,
                             glyphs: BorderGlyphs = .unicode) -> Canvas {
        let rect = canvas.bounds.centered(width: width, height: height)
        canvas.fill(rect)
        return draw(on: canvas, rect: rect, title: title, glyphs: glyphs)
    }
}
