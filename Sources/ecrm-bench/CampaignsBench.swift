import Foundation
@_spi(Bench) import ECRMStore
import ECRMDomain
import ECRMConsole
import TerminalKit

/// `ecrm-bench campaigns`: create a campaign on the segment nearest 200,000 members (as of
/// yesterday, the day before a start of today: computed; and as of today for a start tomorrow:
/// stored by `ecrm-bench rfm`), its outcome, and the Campaigns pane opening with 50 campaigns.
/// Everything it creates is removed at the end.
enum CampaignsBench {
    /// Wall and CPU seconds of `body`.
    static func timed(_ wall: inout [Double], _ cpus: inout [Double], _ body: () throws -> Void) rethrows {
        let c = processCPUSeconds()
        wall.append(try time(body))
        cpus.append(processCPUSeconds() - c)
    }

    /// Wall and this thread's CPU seconds of `body`: the console's own thread, without the
    /// background recomputation a pane open may start.
    static func threadTimed(_ wall: inout [Double], _ cpus: inout [Double], _ body: () throws -> Void) rethrows {
        func threadCPU() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
        let c = threadCPU()
        wall.append(try time(body))
        cpus.append(threadCPU() - c)
    }

    static func run(_ store: Store, runs: Int) throws {
        let prefix = "b\(getpid())-"
        try? CampaignBenchSupport.discard(store, prefix: prefix)
        defer { try? CampaignBenchSupport.discard(store, prefix: prefix) }
        let today = Clock.today()
        let summary = try RFMEngine.compute(store, settings: try RFMEngine.loadConfig(store).settings(asOf: today.adding(days: -1))).summary
        let segment = Segment.allCases.filter { $0 != .none }
            .min { abs((summary.segments[$0]?.count ?? 0) - 200_000) < abs((summary.segments[$1]?.count ?? 0) - 200_000) }!
        let svc = CampaignService(store: store)
        var creates: [Double] = [], reports: [Double] = [], createCPU: [Double] = [], reportCPU: [Double] = []
        var made: CampaignCreated?
        var report: CampaignReport?
        for i in 0..<runs {
            try timed(&creates, &createCPU) {
                made = try svc.create(CampaignDraft(name: "\(prefix)\(i)", start: today), target: [.segment(segment)], seed: UInt64(i), today: today)
            }
            try timed(&reports, &reportCPU) { report = try svc.report("\(prefix)\(i)", today: today) }
        }
        // A send planned for tomorrow: its target is as of today, which `ecrm rfm` (as of today) has
        // stored already, so the segment is read rather than computed.
        var plannedCreates: [Double] = [], plannedCPU: [Double] = []
        var planned: CampaignCreated?
        for i in 0..<runs {
            try timed(&plannedCreates, &plannedCPU) {
                planned = try svc.create(CampaignDraft(name: "\(prefix)t\(i)", start: today.adding(days: 1)), target: [.segment(segment)], seed: UInt64(i), today: today)
            }
        }
        // A past start on the same target, so the outcome has responders to count.
        let past = today.adding(days: -60)
        _ = try svc.create(CampaignDraft(name: "\(prefix)past", start: past), target: [.segment(segment)], seed: 99, today: today)
        var pastReports: [Double] = [], pastCPU: [Double] = []
        for _ in 0..<runs { try timed(&pastReports, &pastCPU) { report = try svc.report("\(prefix)past", today: today) } }
        let r = report!
        print(String(format: "campaign_create segment=%@ target=%d treatment=%d control=%d median_s=%.3f cpu_median_s=%.3f (runs=%d)",
                     segment.rawValue, made!.info.targetSize, made!.info.treatmentSize, made!.info.controlSize, median(creates), median(createCPU), runs))
        print("  phases (start today, last run): \(made!.phases)")
        print(String(format: "campaign_create_start_tomorrow (stored RFM of today used) target=%d median_s=%.3f cpu_median_s=%.3f (runs=%d)",
                     planned!.info.targetSize, median(plannedCreates), median(plannedCPU), runs))
        print("  phases (start tomorrow, last run): \(planned!.phases)")
        print(String(format: "campaign_outcome start_today_median_s=%.3f (cpu %.3f) start_60_days_ago_median_s=%.3f (cpu %.3f) responders_t=%d responders_c=%d uplift=%.4f p=%.3f (runs=%d)",
                     median(reports), median(reportCPU), median(pastReports), median(pastCPU), r.treatment.responders, r.control.responders, r.effect.uplift, r.effect.pValue, runs))
        // Up to 50 campaigns: grid cells (R, F) with two seeds each, each outcome looked at once (so the list has headlines).
        var n = 2 * runs + 1
        var cell = 0
        while n < 50 {
            let r = 1 + (cell / 5) % 5, f = 1 + cell % 5
            cell += 1
            do {
                _ = try svc.create(CampaignDraft(name: "\(prefix)g\(n)", holdoutBasisPoints: 2_000, start: today.adding(days: -(n % 30))),
                                   target: [.grid(r: r, f: f)], seed: UInt64(n), today: today)
                _ = try svc.report("\(prefix)g\(n)", today: today)
                n += 1
            } catch { if cell > 200 { break } }
        }
        // Every headline current (the planned campaigns were never looked at): the steady state.
        let count = try svc.refreshHeadlines(today: today).count
        var opens: [Double] = [], openCPU: [Double] = []
        for _ in 0..<max(runs, 5) {
            threadTimed(&opens, &openCPU) {
                let app = ConsoleApp(store: store, role: .owner, language: .zh, asOf: today)
                app.handle(.key(Key(name: "6")!))
                app.draw(on: ScreenGrid(width: 80, height: 24))
            }
        }
        print(String(format: "campaigns_pane_open campaigns=%d median_s=%.4f thread_cpu_median_s=%.4f (runs=%d) peak_rss_mib=%.0f", count, median(opens), median(openCPU), opens.count, peakRSSMiB()))
        // After an import every headline is stale: the pane still opens at once (the recomputation
        // runs in the background), and the recomputation of all of them is timed on its own.
        var staleOpens: [Double] = [], staleOpenCPU: [Double] = [], refreshes: [Double] = [], refreshCPU: [Double] = []
        for _ in 0..<max(runs, 3) {
            try CampaignBenchSupport.touchStats(store)
            threadTimed(&staleOpens, &staleOpenCPU) {
                let app = ConsoleApp(store: store, role: .owner, language: .zh, asOf: today)
                app.handle(.key(Key(name: "6")!))
                app.draw(on: ScreenGrid(width: 80, height: 24))
            }
            // Let that pane's background recomputation finish before timing one of our own.
            Thread.sleep(forTimeInterval: 0.2)
            while try svc.list().contains(where: { !$0.headlineCurrent }) { Thread.sleep(forTimeInterval: 0.1) }
            try CampaignBenchSupport.touchStats(store)
            try timed(&refreshes, &refreshCPU) { _ = try svc.refreshHeadlines(today: today) }
        }
        print(String(format: "campaigns_pane_open_after_import campaigns=%d median_s=%.4f thread_cpu_median_s=%.4f; all_headlines_recomputed median_s=%.3f cpu_median_s=%.3f (runs=%d)",
                     count, median(staleOpens), median(staleOpenCPU), median(refreshes), median(refreshCPU), staleOpens.count))
    }
}
