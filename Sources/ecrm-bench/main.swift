// ecrm-bench: prints the figures the issues' targets are measured by (never a timed unit test).
//   ecrm-bench import --db PATH [--separate] MEMBERS.csv ORDERS.csv   import time and peak memory (this process)
//   ecrm-bench rfm --db PATH [--runs N]                  full RFM recompute, median of N runs
//   ecrm-bench identities-members --db PATH [--jd N] [--offline N] JD and offline members files with phone links, search by identity, 5-identity cards
//   ecrm-bench identities-import --db PATH [--per-channel] DIR; identities --db PATH   (Tests/Bench/identities.sh: issue 19's figures)
//   ecrm-bench damaged [--copies N] [--rows N] [--seed S] damaged copies of a valid file: garbled, lost, failed
// Tests/Bench/bench.sh runs these next to `sqlite3 .import` of the same files.
import Foundation
import ECRMStore
import ECRMDomain

func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024   // Linux reports KiB
}

/// This process's CPU seconds, user + system, all threads (the importer runs threads: CPU can pass
/// wall). On the shared benchmark machine, where wall time waits for other work, it says what an
/// idle machine would take.
func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// An import's peak: its phases restart the kernel's high-water mark, so take theirs too.
func peakRSSMiB(_ reports: [ImportReport]) -> Double {
    max(peakRSSMiB(), Double(reports.compactMap(\.peakMemoryMiB).max() ?? 0))
}

func peakImporter(_ store: Store) -> Importer {
    var importer = Importer(store: store)
    importer.measurePhasePeaks = true
    return importer
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? 0 : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
}

func percentile(_ xs: [Double], _ p: Double) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return 0 }
    return s[min(s.count - 1, Int((Double(s.count) * p).rounded(.up)) - 1)]
}

func time(_ body: () throws -> Void) rethrows -> Double {
    let t = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9
}

var args = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    let v = args[i + 1]
    args.removeSubrange(i...(i + 1))
    return v
}

guard let command = args.first else {
    print("usage: ecrm-bench import|rfm --db PATH ...")
    exit(2)
}
args.removeFirst()
let dbPath = option("--db") ?? "/tmp/ecrm-bench.sqlite"
let runs = Int(option("--runs") ?? "5") ?? 5

do {
    switch command {
    case "import":
        // Both files in one import (`ecrm import members M.csv orders O.csv`), or with --separate one
        // import per file, as `ecrm import members` then `ecrm import orders` do.
        let separate = args.contains("--separate")
        args.removeAll { $0 == "--separate" }
        guard args.count == 2 else { print("usage: ecrm-bench import --db PATH [--separate] MEMBERS.csv ORDERS.csv"); exit(2) }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: dbPath + suffix) }
        let store = try Store(path: dbPath, create: true)
        var reports: [ImportReport] = []
        if separate {
            let tm = try time { reports.append(try peakImporter(store).run(.members, path: args[0])) }
            let to = try time { reports.append(try peakImporter(store).run(.orders, path: args[1])) }
            for r in reports { print("  \(r.summary)\n    phases: \(r.phases)\n    search build: \(r.searchBuild)") }
            print(String(format: "import_members_s=%.2f import_orders_s=%.2f import_total_s=%.2f peak_rss_mib=%.0f", tm, to, tm + to, peakRSSMiB(reports)))
        } else {
            let t = try time { reports = try peakImporter(store).run([(.members, args[0]), (.orders, args[1])]) }
            for r in reports { print("  \(r.summary)") }
            print("    phases: \(reports.last!.phases)\n    search build: \(reports.last!.searchBuild)")
            print(String(format: "import_total_s=%.2f peak_rss_mib=%.0f", t, peakRSSMiB(reports)))
        }
    case "import-orders":
        // ecrm-bench import-orders --db PATH ORDERS.csv: one orders file into an existing store (to profile it alone)
        // With --rfm the stored RFM follows as of today, as `ecrm import` does.
        let rfm = args.contains("--rfm")
        args.removeAll { $0 == "--rfm" }
        guard args.count == 1 else { print("usage: ecrm-bench import-orders --db PATH [--rfm] ORDERS.csv"); exit(2) }
        let store = try Store(path: dbPath)
        var report = ImportReport()
        var importer = peakImporter(store)
        if rfm { importer.recomputeRFMAsOf = Clock.today() }
        let to = try time { report = try importer.run(.orders, path: args[0]) }
        print("  \(report.summary)\n    phases: \(report.phases)\n    rfm: \(report.rfm)")
        print(String(format: "import_orders_s=%.2f peak_rss_mib=%.0f", to, peakRSSMiB([report])))
    case "identities-import":
        // ecrm-bench identities-import --db PATH [--per-channel] DIR: DIR/{jd,offline}_{members,orders}.csv with phone
        // links, in one import (or one import per channel: how the figure was taken before) (IdentitiesBench.swift)
        let perChannel = args.contains("--per-channel")
        args.removeAll { $0 == "--per-channel" }
        guard args.count == 1 else { print("usage: ecrm-bench identities-import --db PATH [--per-channel] DIR"); exit(2) }
        try IdentitiesBench.importChannels(try Store(path: dbPath), dir: args[0], perChannel: perChannel)
    case "identities":
        // ecrm-bench identities --db PATH [--runs N]: search by any identity, card open with 5 identities, channels view
        try IdentitiesBench.lookups(try Store(path: dbPath), rounds: runs)
    case "damaged":
        // ecrm-bench damaged [--copies 300] [--rows 2000] [--seed S]: damaged copies of a valid file (DamagedBench.swift)
        try DamagedBench.run(copies: Int(option("--copies") ?? "300") ?? 300, rows: Int(option("--rows") ?? "2000") ?? 2000,
                             seed: UInt64(option("--seed") ?? "15") ?? 15,
                             directory: option("--dir") ?? NSTemporaryDirectory() + "ecrm-damaged-\(getpid())")
    case "rfm":
        let store = try Store(path: dbPath)
        let asOf = Day.parse(option("--as-of") ?? "") ?? Clock.today()
        var computeTimes: [Double] = [], recomputeTimes: [Double] = []
        var summary: RFMSummary?
        for _ in 0..<runs {
            computeTimes.append(try time { _ = try RFMEngine.compute(store, settings: RFMSettings(asOf: asOf)) })
            recomputeTimes.append(try time { summary = try RFMEngine.recompute(store, settings: RFMSettings(asOf: asOf)) })
        }
        print(String(format: "rfm_members=%d rfm_compute_median_s=%.2f rfm_recompute_stored_median_s=%.2f (runs=%d) peak_rss_mib=%.0f",
                     summary?.memberCount ?? 0, median(computeTimes), median(recomputeTimes), runs, peakRSSMiB()))
    case "tiers":
        // Tier preview and publish with auto-upgrade on a big store (TiersBench.swift).
        try TiersBench.run(try Store(path: dbPath), runs: runs)
    case "segments":
        // Segments pane open and drill-down first pages (SegmentsBench.swift).
        try SegmentsBench.run(try Store(path: dbPath), runs: runs)
    case "search":
        // ecrm-bench search --db PATH [--runs N] [--seed S] [--only CLASS]: p50/p95 per query class and
        // peak RSS (SearchBench.swift); --seed draws the same queries every run, --only keeps the classes naming CLASS,
        // --ids times the search without the result rows' summaries
        let idsOnly = args.contains("--ids")
        args.removeAll { $0 == "--ids" }
        try SearchBench.run(try Store(path: dbPath), rounds: runs, seed: option("--seed").flatMap { UInt64($0) }, only: option("--only"), idsOnly: idsOnly)
    case "card":
        try SearchBench.card(try Store(path: dbPath), rounds: runs)
    case "identities-members":
        // ecrm-bench identities-members --db PATH [--dir D] [--jd N] [--offline N] [--runs N] (IdentityBench.swift):
        // members files only, written and timed in one process; `identities-import` + `identities` are the
        // members-and-orders figures Tests/Bench/identities.sh prints
        let dir = option("--dir") ?? "/tmp/ecrm-bench-identities"
        let jd = Int(option("--jd") ?? "300000") ?? 300_000, offline = Int(option("--offline") ?? "100000") ?? 100_000
        try IdentityBench.run(try Store(path: dbPath), dir: dir, jd: jd, offline: offline, rounds: runs)
    case "reindex":
        let store = try Store(path: dbPath)
        print(String(format: "search_rebuild_s=%.2f peak_rss_mib=%.0f", try time { try SearchAdmin.rebuild(store) }, peakRSSMiB()))
    case "tags":
        // ecrm-bench tags --db PATH [--runs N]: bulk tag + undo of ~100k members, rule-tag evaluation (TagsBench.swift)
        try TagsBench.tags(try Store(path: dbPath), rounds: runs)
    case "health":
        // ecrm-bench health --db PATH [--runs N] [--as-of D]: shop health and the 7-day birthday list
        try TagsBench.health(try Store(path: dbPath), rounds: runs, asOf: Day.parse(option("--as-of") ?? "") ?? Clock.today())
    case "campaigns":
        // ecrm-bench campaigns --db PATH [--runs N]: create on ~200k members, outcome, pane open with 50 (CampaignsBench.swift)
        try CampaignsBench.run(try Store(path: dbPath), runs: runs)
    case "export":
        // ecrm-bench export --db PATH [--runs N]: every member through Exporter
        try TagsBench.export(try Store(path: dbPath), rounds: runs, asOf: Day.parse(option("--as-of") ?? "") ?? Clock.today())
    case "merge":
        // ecrm-bench merge --db PATH [--runs N]: ecrm duplicates over the store, merge and unmerge of one pair (MergeBench.swift)
        try MergeBench.run(try Store(path: dbPath), runs: runs)
    case "census":
        // ecrm-bench census --db PATH: counts and integrity_check as JSON (kill tests, reliability.sh)
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        print(String(decoding: try enc.encode(try StoreCensus.take(try Store(path: dbPath))), as: UTF8.self))
    case "fold":
        // ecrm-bench fold --db PATH [--in-place] [--runs N]: the search fold's hold on the lock and a tag's wait (FoldBench.swift)
        let inPlace = args.contains("--in-place")
        try FoldBench.run(path: dbPath, inPlace: inPlace, runs: runs)
    case "wait":
        let rfm = args.contains("--rfm")
        args.removeAll { $0 == "--rfm" }
        // ecrm-bench wait --db PATH ORDERS.csv: how long a tag waits behind an orders import (ReliabilityBench.swift)
        try ReliabilityBench.waitBehindImport(path: dbPath, orders: args[0], runs: runs, rfm: rfm)
    default:
        print("unknown bench command \(command)")
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("ecrm-bench: \(error)\n".utf8))
    exit(1)
}
