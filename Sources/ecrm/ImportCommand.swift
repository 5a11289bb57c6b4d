import ArgumentParser
import Foundation
import CSVStream
import ECRMStore
import ECRMDomain
import TerminalKit
import UserRights

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import",
        abstract: "Import members or orders from CSV (generic columns or a Taobao order report; UTF-8 or GBK).",
        discussion: """
            Several files load in one import when given as pairs, e.g. `ecrm import members m.csv orders o.csv`: \
            one transaction, with the indexes, aggregates, tiers and search index brought up to date once at the end. \
            A channel's name before pairs says their channel, so several channels load together: \
            `ecrm import jd members jd_m.csv orders jd_o.csv offline members till_m.csv orders till_o.csv`.
            """)
    @Argument(help: ArgumentHelp("members or orders, then the CSV file; repeat the pair for more files; a channel's name before pairs sets their channel", valueName: "[C] members|orders FILE"))
    var items: [String] = []
    @OptionGroup var store: StoreOptions
    @Option(help: "auto, utf-8 or gb18030 (GBK).") var encoding = "auto"
    @Flag(help: "Print the report as JSON (an array when several files are given).") var json = false
    @Option(help: ArgumentHelp("An import profile from the config file ([profiles.NAME]) for any other layout.", valueName: "NAME")) var profile: String?
    @Flag(help: "Show the layout found, the channel, the first rows as they would be stored and every rejected row; write nothing.") var dryRun = false
    @Option(help: ArgumentHelp("The channel the files' orders come from: \(Channel.keyList).", valueName: "C")) var channel = Channel.default.rawValue

    func run() throws {
        try guarded {
            guard !items.isEmpty else { fail(CLIMessages.now.importWhat) }
            var files: [Importer.File] = []
            var rest = items[...]
            // A channel's name sets the channel of the pairs after it (until the next name).
            var named: (channel: Channel, word: String, used: Bool)?
            while let word = rest.popFirst() {
                if let c = Channel(rawValue: word) {
                    if let n = named, !n.used { fail(CLIMessages.now.channelNeedsFile(n.word)) }
                    named = (c, word, false)
                    continue
                }
                guard let k = Importer.Kind(rawValue: word) else { fail(CLIMessages.now.importWhatNot(word)) }
                guard let file = rest.popFirst() else { fail(CLIMessages.now.needsFile(word)) }
                guard UserRights.asUser({ FileManager.default.fileExists(atPath: file) }) else { fail(CLIMessages.now.noSuchFile(file)) }
                files.append(Importer.File(k, file, channel: named?.channel))
                named?.used = true
            }
            if let n = named, !n.used { fail(CLIMessages.now.channelNeedsFile(n.word)) }
            guard !files.isEmpty else { fail(CLIMessages.now.importWhat) }
            guard let enc = CSVEncoding(name: encoding) else { fail(CLIMessages.now.unknownEncoding(encoding, "auto, utf-8, gb18030")) }
            guard let ch = Channel(rawValue: channel) else { fail(CLIMessages.now.unknownChannel(channel, Channel.keyList)) }
            var chosen: ImportProfile?
            if let profile {
                guard let path = ConfigPaths.configFile(ProcessInfo.processInfo.environment),
                      let data = UserRights.asUser({ FileManager.default.contents(atPath: path) }) else {
                    fail(CLIMessages.now.noProfileConfig(profile))
                }
                let profiles = try ImportProfile.parseAll(String(decoding: data, as: UTF8.self), path: path, only: profile)
                guard let p = profiles[profile] else { fail(CLIMessages.now.profileMissing(path, profile)) }
                guard !files.contains(where: { $0.kind == .members }) else { fail(CLIMessages.now.profileIsForOrders) }
                chosen = p
            }
            if dryRun {
                // Read without opening the store: its file stays as it is, byte for byte.
                var reports: [DryRunReport] = []
                for file in files {
                    let path = file.path
                    let r = try UserRights.asUser { try Importer.dryRun(file.kind, path: path, encoding: enc, channel: file.channel ?? ch, profile: chosen) }
                    reports.append(r)
                    if !json {
                        print("\(path): " + r.text)
                        for p in r.problems { printErr("\(path):\(p.line): \(p.reason)") }
                        for w in r.warnings { printErr("\(path):\(w.line): " + StoreMessages.rows.warning(w.reason)) }
                    }
                }
                if json { if reports.count == 1 { try printJSON(reports[0]) } else { try printJSON(reports) } }
                return
            }
            let s = try store.open(create: true)
            let progress = ProgressLine("importing")
            var importer = Importer(store: s)
            // RFM follows every import (issue: recompute after every import), in the same transaction.
            importer.recomputeRFMAsOf = Clock.today()
            let reports = try importer.run(files: files, encoding: enc, channel: ch, profile: chosen) { k, done, total, rows in
                let name = (files[k].path as NSString).lastPathComponent
                progress.update("\(name) \(total > 0 ? done * 100 / total : 100)% \(rows) rows")
            }
            progress.done()
            // A file that failed as a whole (every row rejected, or read in the wrong encoding) makes
            // the command fail, with one line saying what to do; the other files' rows are in.
            let failures = zip(files, reports).compactMap { file, report in report.failure(path: file.path) }
            if json {
                if reports.count == 1 { try printJSON(reports[0]) } else { try printJSON(reports) }
            } else {
                for (file, report) in zip(files, reports) {
                    // Rejected for its encoding: every reason would say the same; the failure line says it once.
                    let wrongEncoding = report.failure(path: file.path) != nil && report.encodingRejected == report.rejected
                    if !wrongEncoding {
                        for p in report.problems { printErr("\(file.path):\(p.line): \(p.reason)") }
                        for w in report.warnings { printErr("\(file.path):\(w.line): " + StoreMessages.rows.warning(w.reason)) }
                        if report.rejected > report.problems.count {
                            printErr("\(file.path): " + StoreMessages.rows.more(report.rejected - report.problems.count))
                        }
                    }
                    print(report.summary)
                }
            }
            for line in failures.dropLast() { printErr("ecrm: \(line)") }
            if let last = failures.last { fail(last) }
        }
    }
}
