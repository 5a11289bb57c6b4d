/// Sparklines and horizontal bar charts from block glyphs, with an ASCII
/// fallback for non-UTF-8 terminals.
public enum Chart {
    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    static let asciiLevels: [Character] = ["_", ".", "-", "~", "=", "+", "*", "#"]
    static let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// One glyph per value (the last `width` values), scaled from 0 (or the
    /// minimum when negative) to the maximum.
    public static func sparkline(_ values: [Double], width: Int? = nil, utf8: Bool = true) -> String {
        let vs = width.map { Array(values.suffix($0)) } ?? values
        guard let maxV = vs.max(), let minV = vs.min() else { return "" }
        let lo = min(0, minV)
        let span = maxV - lo
        let glyphs = utf8 ? levels : asciiLevels
        return String(vs.map { v -> Character in
            guard span > 0 else { return glyphs[0] }
            let idx = Int(((v - lo) / span * Double(glyphs.count - 1)).rounded())
            return glyphs[min(max(idx, 0), glyphs.count - 1)]
        })
    }

    /// A bar of `value/maxValue` of `width` columns, with eighth-block precision.
    public static func bar(_ value: Double, maxValue: Double, width: Int, utf8: Bool = true) -> String {
        guard width > 0, maxValue > 0, value > 0 else { return "" }
        let cells = min(Double(width), value / maxValue * Double(width))
        if !utf8 { return String(repeating: "#", count: Int(cells.rounded())) }
        let full = Int(cells)
        let rest = Int(((cells - Double(full)) * 8).rounded(.down))
        return String(repeating: "█", count: full) + (rest > 0 && full < width ? String(eighths[rest - 1]) : "")
    }

    /// Horizontal bar chart: "label │████▌ value" per row.
    public static func drawBars(on canvas: Canvas, items: [(label: String, value: Double)],
                                format: (Double) -> String = { String(Int($0)) }, utf8: Bool = true) {
        let labelWidth = min(canvas.width / 3, items.map { displayWidth($0.label) }.max() ?? 0)
        let valueTexts = items.map { format($0.value) }
        let valueWidth = valueTexts.map(displayWidth).max() ?? 0
        let barWidth = canvas.width - labelWidth - valueWidth - 3
        let maxV = items.map(\.value).max() ?? 0
        for (i, item) in items.enumerated() where i < canvas.height {
            canvas.putPadded(item.label, x: 0, y: i, width: labelWidth)
            let b = bar(item.value, maxValue: maxV, width: max(0, barWidth), utf8: utf8)
            canvas.put(b, x: labelWidth + 1, y: i, role: .chartBar)
            canvas.put(rightAlign(valueTexts[i], valueWidth), x: canvas.width - valueWidth, y: i, role: .muted)
        }
    }
}
