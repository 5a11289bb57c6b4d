import Foundation

/// Phase timings of a long store operation, for the benchmark (ImportReport.phases) — never asserted
/// in tests, only printed.
struct PhaseTimer {
    private var last = DispatchTime.now().uptimeNanoseconds
    private(set) var phases: [(String, Double)] = []

    mutating func mark(_ name: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        phases.append((name, Double(now - last) / 1e9))
        last = now
    }

    var summary: String { phases.map { String(format: "%@=%.2f", $0.0, $0.1) }.joined(separator: " ") }
}
