#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How campaign figures are written for people (command line and console alike).
public enum CampaignFormat {
    /// 1234567 → "1,234,567".
    public static func grouped(_ n: Int) -> String {
        let s = String(n.magnitude)
        var out = ""
        for (i, c) in s.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + String(out.reversed())
    }

    /// A rate as a percent with one decimal: 0.1234 → "12.3%".
    public static func percent(_ r: Double) -> String { fixed(r * 100, 1) + "%" }

    /// A rate difference in percentage points, signed: 0.05 → "+5.0", −0.012 → "-1.2".
    public static func points(_ d: Double) -> String {
        let v = d * 100
        return (v >= 0.05 ? "+" : "") + fixed(v, 1)
    }

    /// A p-value: 3 decimals, "<0.001" below.
    public static func pValue(_ p: Double) -> String { p < 0.001 ? "<0.001" : fixed(p, 3) }

    /// Fen (possibly fractional, e.g. an incremental revenue) as "¥1,234.56".
    public static func yuan(_ fen: Double) -> String {
        guard fen.isFinite else { return "—" }
        return Money.display(Fen(fen.rounded()))
    }

    /// Fixed decimals without Foundation's String(format:) (the domain imports no Foundation).
    static func fixed(_ v: Double, _ decimals: Int) -> String {
        guard v.isFinite else { return "—" }
        let scale = pow(10.0, Double(decimals))
        let n = Int64((abs(v) * scale).rounded())
        let whole = n / Int64(scale), frac = n % Int64(scale)
        let sign = v < 0 && n != 0 ? "-" : ""
        guard decimals > 0 else { return sign + grouped(Int(whole)) }
        var f = String(frac)
        while f.count < decimals { f = "0" + f }
        return "\(sign)\(grouped(Int(whole))).\(f)"
    }
}
