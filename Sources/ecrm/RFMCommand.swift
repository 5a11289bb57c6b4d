import ArgumentParser
import Foundation
import ECRMStore
import ECRMDomain
import TerminalKit

struct RFMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rfm", abstract: "Recompute RFM segments and print the summary.")
    @OptionGroup var store: StoreOptions
    @Option(help: "As-of date YYYY-MM-DD (default: today).") var asOf: String?
    @Option(help: "Window in days, or 'all' (default: the shop's setting, 365).") var window: String?
    @Flag(help: "JSON output.") var json = false

    func run() throws {
        try guarded {
            let s = try store.open()
            let config = try RFMEngine.loadConfig(s)
            var settings = config.settings(asOf: try parseAsOf(asOf))
            if let w = try parseWindow(window) { settings.windowDays = w }
            let summary = try RFMEngine.recompute(s, settings: settings)
            if json { try printJSON(summary) } else { print(SummaryTable.render(summary)) }
        }
    }
}

/// The segment summary as a text table (also what `demo` prints).
enum SummaryTable {
    static func render(_ s: RFMSummary) -> String {
        var lines: [String] = []
        let window = s.settings.windowDays.map { "\($0) days" } ?? "all"
        lines.append("RFM as of \(s.settings.asOf), window \(window): \(s.memberCount) members, \(s.scoredCount) scored")
        lines.append(TextColumns.row([("segment", 20), ("客户分层", 14), ("count", 9), ("share", 7), ("spend", 16), ("average", 12)]))
        for seg in Segment.allCases {
            let r = s.segments[seg] ?? .init()
            lines.append(TextColumns.row([
                (seg.rawValue, 20), (seg.chineseName, 14), (String(r.count), -9),
                (String(format: "%.1f%%", s.share(seg) * 100), -7), (Money.display(r.monetary), -16), (Money.display(r.averageFen), -12),
            ]))
        }
        let life = Lifecycle.allCases.map { "\($0.rawValue) \(s.lifecycle[$0] ?? 0)" }.joined(separator: ", ")
        lines.append("lifecycle: \(life); returning \(s.returningCount)")
        return lines.joined(separator: "\n")
    }
}

/// Pads by display columns (TerminalKit's wcwidth-based measure), so Chinese lines up in a terminal.
/// Negative width = right-aligned.
enum TextColumns {
    static func row(_ cells: [(String, Int)]) -> String {
        cells.map { text, w in padToWidth(clipToWidth(text, abs(w)), abs(w), align: w < 0 ? .right : .left) }.joined(separator: " ")
    }
}
