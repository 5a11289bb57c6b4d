/// A rectangle in terminal cells (columns x rows).
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width == 0 || height == 0 }
    public var description: String { "\(width)x\(height)@\(x),\(y)" }

    /// This rect shrunk by `n` cells on every side (border space).
    public func inset(_ n: Int) -> Rect { Rect(x: x + n, y: y + n, width: width - 2 * n, height: height - 2 * n) }

    /// A `width` x `height` rect centred in this one (clamped to fit).
    public func centered(width w: Int, height h: Int) -> Rect {
        let cw = min(w, width), ch = min(h, height)
        return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
    }

    /// Splits off `n` rows from the top: (top, rest).
    public func splitTop(_ n: Int) -> (Rect, Rect) {
        let k = min(max(0, n), height)
        return (Rect(x: x, y: y, width: width, height: k), Rect(x: x, y: y + k, width: width, height: height - k))
    }
    /// Splits off `n` rows from the bottom: (rest, bottom).
    public func splitBottom(_ n: Int) -> (Rect, Rect) {
        let k = min(max(0, n), height)
        return (Rect(x: x, y: y, width: width, height: height - k), Rect(x: x, y: y + height - k, width: width, height: k))
    }
    /// Splits off `n` columns from the left: (left, rest).
    public func splitLeft(_ n: Int) -> (Rect, Rect) {
        let k = min(max(0, n), width)
        return (Rect(x: x, y: y, width: k, height: height), Rect(x: x + k, y: y, width: width - k, height: height))
    }

    func intersection(_ o: Rect) -> Rect {
        let nx = max(x, o.x), ny = max(y, o.y)
        return Rect(x: nx, y: ny, width: min(maxX, o.maxX) - nx, height: min(maxY, o.maxY) - ny)
    }
}

/// Terminal size in columns and rows.
public struct TermSize: Hashable, Sendable, CustomStringConvertible {
    public var width: Int, height: Int
    public init(width: Int, height: Int) { self.width = width; self.height = height }
    public var description: String { "\(width)x\(height)" }
}
