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
    static func parse(_ values: [String]) -> Result<CustomEdges, EdgesError> {
        var ints: [[Int]] = []
        for (name, text) in zip(["R", "F"], values.prefix(2)) {
            let parts = numbers(text)
            guard let v = Optional(parts.compactMap { Int($0) }), v.count == parts.count else { return .failure(EdgesError("\(name): \(text)")) }
            ints.append(v)
        }
        let mParts = numbers(values.count > 2 ? values[2] : "")
        let m = mParts.compactMap { Double($0) }.map { Fen(($0 * 100).rounded()) }
        guard m.count == mParts.count else { return .failure(EdgesError("M: \(values[2])")) }
        let edges = CustomEdges(recencyDays: ints[0], frequency: ints[1], monetary: m)
        if let p = edges.problem() { return .failure(EdgesError(p)) }
        return .success(edges)
    }

    struct EdgesError: Error, Equatable {
        let message: String
        init(_ m: String) { message = m }
    }
}
