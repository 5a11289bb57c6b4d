import Foundation
import ECRMDomain

/// The edges editor's text form of CustomEdges: four numbers per dimension separated by spaces
/// or commas; M in yuan (two decimals at most).
enum EdgesText {
    static func format(_ e: CustomEdges) -> [String] {
        [e.recencyDays.map(String.init).joined(separator: " "),
         e.frequency.map(String.init).joined(separator: " "),
         e.monetary.map(yuan).joined(separator: " ")]
    }

    static func yuan(_ fen: Fen) -> String {
        fen % 100 == 0 ? String(fen / 100) : String(format: "%.2f", Double(fen) / 100)
    }

    static func numbers(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "，" || $0 == "/" }).map(String.init)
    }

    /// Edges from the three fields, or the first problem (a bad number, or CustomEdges.problem()).
    /// Problems are worded by `words` (the console's language), not by CustomEdges.problem(),
    /// whose English is for the command line.
    static func parse(_ values: [String], words s: SegLabels) -> Result<CustomEdges, EdgesError> {
        var ints: [[Int]] = []
        for (name, text) in zip(["R", "F"], values.prefix(2)) {
            let parts = numbers(text)
            guard let v = Optional(parts.compactMap { Int($0) }), v.count == parts.count else { return .failure(EdgesError(s.edgesNotNumbers(name, text))) }
            ints.append(v)
        }
        let mParts = numbers(values.count > 2 ? values[2] : "")
        let m = mParts.compactMap { Double($0) }.map { Fen(($0 * 100).rounded()) }
        guard m.count == mParts.count else { return .failure(EdgesError(s.edgesNotNumbers("M", values[2]))) }
        let edges = CustomEdges(recencyDays: ints[0], frequency: ints[1], monetary: m)
        let shown: [(String, [String])] = [("R", ints[0].map(String.init)), ("F", ints[1].map(String.init)), ("M", m.map(yuan))]
        for ((name, text), raw) in zip(shown, [ints[0].map(Int64.init), ints[1].map(Int64.init), m]) {
            if raw.count != 4 { return .failure(EdgesError(s.edgesCount(name, raw.count))) }
            if raw.contains(where: { $0 < 0 }) { return .failure(EdgesError(s.edgesNegative(name))) }
            for i in 1..<4 where raw[i] <= raw[i - 1] { return .failure(EdgesError(s.edgesNotIncreasing(name, text[i - 1], text[i]))) }
        }
        if let p = edges.problem() { return .failure(EdgesError(p)) }   // any rule added there later
        return .success(edges)
    }

    struct EdgesError: Error, Equatable {
        let message: String
        init(_ m: String) { message = m }
    }
}
