import Foundation

/// Tuning output for the benchmarks: one line on standard error when the phase's variable is set.
/// One place reads the environment and writes, so every timing output behaves alike.
enum TimingLog: String {
    case rfm = "ECRM_RFM_TIMING"
    case search = "ECRM_SEARCH_TIMING"
    case checkpoint = "ECRM_CHECKPOINT_TIMING"
    /// The writing thread's CPU in a load's stats merge (MemberStatsUpdater.merge).
    case stats = "ECRM_STATS_TIMING"

    var isOn: Bool { ProcessInfo.processInfo.environment[rawValue] != nil }

    /// The calling thread's CPU seconds so far (the other threads of a phase are not its cost).
    static func threadCPU() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// The line is only built when the variable is set.
    func write(_ line: @autoclosure () -> String) {
        guard isOn else { return }
        FileHandle.standardError.write(Data((line() + "\n").utf8))
    }
}
