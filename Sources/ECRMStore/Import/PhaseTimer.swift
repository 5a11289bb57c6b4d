import Foundation

/// Phase timings of a long store operation, for the benchmark (ImportReport.phases) — never asserted
/// in tests, only printed. Each phase shows wall seconds, the CPU seconds of all the process's
/// threads (their ratio says how well the phase used the cores) and, when `peaks` is on (Linux),
/// the peak resident memory within the phase in MiB: "load=2.20/3.95/150". Peaks restart the
/// kernel's high-water mark at every phase, which tools like `/usr/bin/time` then no longer see
/// whole: only the benchmark turns them on.
struct PhaseTimer {
    private let peaks: Bool
    private var last = DispatchTime.now().uptimeNanoseconds
    private var lastCPU = PhaseTimer.cpuSeconds()
    private(set) var phases: [(name: String, wall: Double, cpu: Double, peakMiB: Int)] = []

    init(peaks: Bool = false) {
        self.peaks = peaks
        if peaks { Self.resetPeak() }
    }

    mutating func mark(_ name: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        let cpu = Self.cpuSeconds()
        phases.append((name, Double(now - last) / 1e9, cpu - lastCPU, peaks ? Self.peakMiB() : 0))
        if peaks { Self.resetPeak() }
        last = now
        lastCPU = cpu
    }

    var peakMiB: Int { phases.map(\.peakMiB).max() ?? 0 }

    var summary: String {
        phases.map {
            peaks ? String(format: "%@=%.2f/%.2f/%d", $0.name, $0.wall, $0.cpu, $0.peakMiB)
                  : String(format: "%@=%.2f/%.2f", $0.name, $0.wall, $0.cpu)
        }.joined(separator: " ")
    }

    private static func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return s(u.ru_utime) + s(u.ru_stime)
    }

    /// VmHWM from /proc/self/status (0 where there is none).
    private static func peakMiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else { return 0 }
        return kib / 1024
    }

    /// Writing 5 to clear_refs restarts VmHWM from the current resident size (Linux 4.0+).
    private static func resetPeak() {
        guard let f = fopen("/proc/self/clear_refs", "w") else { return }
        fputs("5", f)
        fclose(f)
    }
}
