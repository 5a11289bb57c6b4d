import ArgumentParser
import Foundation
import CSVStream
import ECRMStore
import ECRMDomain

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Import members or orders from CSV (generic columns or a Taobao order report; UTF-8 or GBK).")
    @Argument(help: "members or orders") var kind: String
    @Argument(help: "CSV file") var file: String
    @OptionGroup var store: StoreOptions
    @Option(help: "auto, utf-8 or gb18030 (GBK).") var encoding = "auto"
    @Flag(help: "Print the report as JSON.") var json = false

    func run() throws {
        try guarded {
            guard let k = Importer.Kind(rawValue: kind) else { fail("import what? say `members` or `orders`, not '\(kind)'") }
            guard let enc = CSVEncoding(name: encoding) else { fail("unknown encoding '\(encoding)': use auto, utf-8 or gb18030") }
            guard FileManager.default.fileExists(atPath: file) else { fail("no such file: \(file)") }
            let s = try store.open(create: true)
            let progress = ProgressLine("importing \((file as NSString).lastPathComponent)")
            var importer = Importer(store: s)
            // RFM follows every import (issue: recompute after every import), in the same transaction.
            importer.recomputeRFMAsOf = Clock.today()
            let report = try importer.run(k, path: file, encoding: enc) { done, total, rows in
                progress.update("\(total > 0 ? done * 100 / total : 100)% \(rows) rows")
            }
            progress.done()
            if json {
                try printJSON(report)
            } else {
                for p in report.problems { printErr("\(file):\(p.line): \(p.reason)") }
                if report.rejected > report.problems.count {
                    printErr("… and \(report.rejected - report.problems.count) more rejected rows")
                }
                print(report.summary)
            }
        }
    }
}
