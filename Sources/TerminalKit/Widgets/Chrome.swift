/// The status line: left and right segments on one row; the right one
/// (position, mode) wins when space is short, the left is truncated with "…".
public enum StatusLine {
    public static func draw(on canvas: Canvas, y: Int, left: String, right: String = "", role: StyleRole = .status) {
        let w = canvas.width
        canvas.fill(Rect(x: 0, y: y, width: w, height: 1), role: role)
        let r = truncateWithEllipsis(right, max(0, w - 2))
        let rw = displayWidth(r)
        let leftRoom = w - rw - (rw > 0 ? 2 : 0) - 1
        if leftRoom > 0 { canvas.put(truncateWithEllipsis(left, leftRoom), x: 1, y: y, role: role) }
        if rw > 0 { canvas.put(r, x: w - rw - 1, y: y, role: role) }
    }
}

/// The key-hint bar ("j/↓ 移动  / 搜索  ? 帮助"), built from `KeyMap.hints`
/// so it always shows the current (possibly rebound) keys. Hints that do not
/// fit are left out whole; disabled ones are drawn in `.disabled`.
public enum HintBar {
    public static func draw<A>(on canvas: Canvas, y: Int, hints: [KeyMap<A>.Hint]) {
        canvas.fill(Rect(x: 0, y: y, width: canvas.width, height: 1), role: .hintText)
        var x = 0
        for h in hints {
            let need = displayWidth(h.keys) + 1 + displayWidth(h.label)
            if x + need > canvas.width { break }
            x = canvas.put(h.keys, x: x, y: y, role: h.disabled ? .disabled : .hintKey)
            x = canvas.put(" " + h.label, x: x, y: y, role: h.disabled ? .disabled : .hintText)
            x += 2
        }
    }

    /// The bar as plain text (for tests and non-curses output).
    public static func text<A>(_ hints: [KeyMap<A>.Hint]) -> String {
        hints.map { "\($0.keys) \($0.label)" }.joined(separator: "  ")
    }
}

/// A one-line message (k9s "flash"): shown until the app clears it, usually
/// on the next key press — there is no timer, so an idle screen stays idle.
public struct Toast: Equatable, Sendable {
    public enum Kind: Sendable { case info, success, warning, error }
    public var text: String
    public var kind: Kind
    public init(_ text: String, kind: Kind = .info) { self.text = text; self.kind = kind }

    public var role: StyleRole {
        switch kind { case .info: return .text; case .success: return .positive; case .warning: return .warning; case .error: return .error }
    }

    public func draw(on canvas: Canvas, y: Int) {
        canvas.fill(Rect(x: 0, y: y, width: canvas.width, height: 1))
        canvas.put(truncateWithEllipsis(text, canvas.width), x: 0, y: y, role: role)
    }
}

/// Shown instead of the UI when the terminal is below the minimum size,
/// rather than crashing or drawing garbage.
public enum TooSmallScreen {
    public static let minimum = TermSize(width: 60, height: 16)

    public static func isTooSmall(_ size: TermSize, minimum: TermSize = minimum) -> Bool {
        size.width < minimum.width || size.height < minimum.height
    }

    public static func draw(on canvas: Canvas, minimum: TermSize = minimum, recommended: TermSize = TermSize(width: 80, height: 24)) {
        let lines = [
            "终端窗口太小",
            "Terminal too small",
            "当前 now \(canvas.width)x\(canvas.height)",
            "至少 need \(minimum.width)x\(minimum.height)",
            "建议 best \(recommended.width)x\(recommended.height)",
        ]
        let top = max(0, (canvas.height - lines.count) / 2)
        for (i, l) in lines.enumerated() {
            let w = displayWidth(l)
            canvas.put(l, x: max(0, (canvas.width - w) / 2), y: top + i, role: i < 2 ? .warning : .text)
        }
    }
}
