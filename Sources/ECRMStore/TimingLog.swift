import Foundation

/// Tuning output for the benchmarks: one line on standard error when the phase's variable is set.
/// One place reads the environment and writes, so every timing output behaves alike.
enum TimingLog: String {
    case rfm = "ECRM_RFM_TIMING"
    case search = "ECRM_SEARCH_TIMING"
    case checkpoint = "ECRM_CHECKPOINT_TIMING"

    var isOn: Bool { ProcessInfo.processInfo.environment[rawValue] != nil }

    /// The line is only built when the variable is set.
    func write(_ line: @autoclosure () -> String) {
        guard isOn else { return }
        FileHandle.standardError.write(Data((line() + "\n").utf8))
    }
}
