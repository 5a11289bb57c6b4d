import ArgumentParser
import Foundation
import CSVStream
import ECRMStore
import ECRMDomain

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export members (optionally filtered) to CSV; phones masked unless --reveal (owner, logged).")
    @Argument(help: "Output CSV file") var file: String
    @OptionGroup var store: StoreOptions
    @Option(help: "As-of date YYYY-MM-DD (default: today).") var asOf: String?
    @Option(help: "Window in days, or 'all'.") var window: String?
    @Option(help: "Segment key, e.g. important_value.") var segment: String?
    @Option(help: "Lifecycle: new, active, sleeping, lost, none.") var lifecycle: String?
    @Option(help: "Tag name.") var tag: String?
    @Option(help: "Tier level 0-4.") var tier: Int?
    @Option(help: ArgumentHelp("Only members with an identity in this channel: \(Channel.keyList).", valueName: "C")) var channel: String?
    @Flag(help: "Clear phone numbers (owner only; written to the audit log).") var reveal = false
    @Option(help: "utf-8, utf-8-bom (for Excel) or gb18030.") var encoding = "utf-8"
    @Option(help: "Header row and segment/lifecycle values: en (stable keys, the default) or zh (Chinese, for people).") var headers = "en"

    func run() throws {
        try guarded {
            let s = try store.openForReading()
            var rule = MemberRule(tiers: tier.map { [$0] }, tagsAny: tag.map { [$0] })
            if let k = segment {
                guard let seg = Segment.named(k) else { fail(CLIMessages.now.unknownSegment(k, Segment.allCases.map { "\($0.rawValue) (\($0.chineseName))" }.joined(separator: ", "))) }
                rule.segments = [seg]
            }
            if let l = lifecycle {
                guard let lc = Lifecycle.named(l) else { fail(CLIMessages.now.unknownLifecycle(l, Lifecycle.allCases.map { "\($0.rawValue) (\($0.chineseName))" }.joined(separator: ", "))) }
                rule.lifecycles = [lc]
            }
            if let t = tier, !(0...4).contains(t) { fail(CLIMessages.now.tierRange) }
            if let c = channel {
                guard let ch = Channel(rawValue: c.lowercased()) else { fail(CLIMessages.now.unknownChannel(c, Channel.keyList)) }
                rule.channels = [ch]
            }
            let out: CSVOutputEncoding
            switch encoding.lowercased() {
            case "utf-8", "utf8": out = .utf8
            case "utf-8-bom", "utf8-bom", "excel": out = .utf8WithBOM
            case "gb18030", "gbk": out = .gb18030
            default: fail(CLIMessages.now.unknownEncoding(encoding, "utf-8, utf-8-bom, gb18030"))
            }
            guard let head = Exporter.Headers(rawValue: headers.lowercased()) else { fail(CLIMessages.now.unknownHeaders(headers)) }
            let config = try RFMEngine.loadConfig(s)
            var settings = config.settings(asOf: try parseAsOf(asOf))
            if let w = try parseWindow(window) { settings.windowDays = w }
            let n = try Exporter(store: s).export(to: file, settings: settings, set: MemberSet(rule), reveal: reveal, encoding: out, headers: head)
            print(CLIMessages.now.membersExported(n, to: file, clear: reveal))
        }
    }
}
