import Foundation

/// Phase timings of a long store operation, for the benchmark (ImportReport.phases) — never asserted
/// in tests, only printed. Each phase shows wall seconds and, after the slash, the CPU seconds of
/// all the process's threads: their ratio says how well the phase used the cores.
struct PhaseTimer {
    private var last = DispatchTime.now().uptimeNanoseconds
    private var lastCPU = PhaseTimer.cpuSeconds()
    private(set) var phases: [(name: String, wall: Double, cpu: Double)] = []

    mutating func mark(_ name: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        let cpu = Self.cpuSeconds()
        phases.append((name, Double(now - last) / 1e9, cpu - lastCPU))
        last = now
        lastCPU = cpu
    }

    var summary: String { phases.map { String(format: "%@=%.2f/%.2f", $0.name, $0.wall, $0.cpu) }.joined(separator: " ") }

    private static func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return s(u.ru_utime) + s(u.ru_stime)
    }
}
