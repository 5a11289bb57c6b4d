import ArgumentParser
import Foundation
import ECRMStore
import ECRMDomain

/// `ecrm campaign …`: campaigns with a random holdout and their measured effect (营销活动与效果评估).
struct CampaignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaign", abstract: "Campaigns with a random holdout (对照组) and their measured effect: create, list, show, members, export, close.",
        subcommands: [Create.self, List.self, Show.self, Members.self, ExportList.self, Close.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create",
            abstract: "Create a campaign (owner): freeze the target, split it at random into treatment and control, tag the treatment 活动:NAME.",
            discussion: "The target is every member matching all the given options (blacklisted members left out). Segment, lifecycle and grid are taken as of the day before --start.")
        @Argument(help: "Campaign name (≤ 17 characters).") var name: String
        @Option(help: "Segment key, e.g. important_value (repeatable).") var segment: [String] = []
        @Option(help: "Lifecycle: new, active, sleeping, lost, none (repeatable).") var lifecycle: [String] = []
        @Option(help: "R×F grid cell as R,F (repeatable).") var grid: [String] = []
        @Option(help: "Tag name (repeatable: members with all of them).") var tag: [String] = []
        @Option(help: "Tier level 0-4 (repeatable).") var tier: [Int] = []
        @Option(help: "Tags A,B: members with all of them (with --any: any of them).") var tags: String?
        @Flag(help: "With --tags: members with any of the tags.") var any = false
        @Option(help: "Province (prefix match: 浙江 matches 浙江省).") var province: String?
        @Option(help: "City within --province.") var city: String?
        @Option(help: ArgumentHelp("Members with an identity in this channel (repeatable): \(Channel.keyList).", valueName: "C")) var channel: [String] = []
        @Option(help: "A saved list: a CSV file with a buyer_id (or 买家ID) column, e.g. an earlier export or send list.") var list: String?
        // Numbers are read as text (and "-1" as a value, not an option) so a bad one is refused
        // in one line with the rule, never with the parser's usage screen.
        @Option(parsing: .unconditional, help: "Holdout share in percent (default 10).") var holdout = "10"
        @Option(parsing: .unconditional, help: "Seed of the random split (default: a random one, printed).") var seed: String?
        @Option(help: "Start date YYYY-MM-DD (default today; an earlier date analyses a send already made).") var start: String?
        @Option(parsing: .unconditional, help: "Outcome window in days (default 30, at most 365).") var window = String(CampaignRules.defaultWindowDays)
        @Flag(help: "JSON output.") var json = false
        @OptionGroup var store: StoreOptions

        func run() throws {
            try guarded {
                let s = try store.open()
                var sets: [MemberSet] = []
                for k in segment {
                    guard let seg = Segment(rawValue: k) else { fail(CLIMessages.now.unknownSegment(k, Segment.allCases.map(\.rawValue).joined(separator: ", "))) }
                    sets.append(.segment(seg))
                }
                for l in lifecycle {
                    guard let lc = Lifecycle(rawValue: l) else { fail(CLIMessages.now.unknownLifecycle(l, Lifecycle.allCases.map(\.rawValue).joined(separator: ", "))) }
                    sets.append(.lifecycle(lc))
                }
                for g in grid {
                    let parts = g.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                    guard parts.count == 2 else { fail(CLIMessages.now.gridForm) }
                    sets.append(.grid(r: parts[0], f: parts[1]))
                }
                for t in tag { sets.append(.tags([t], .all)) }
                for t in tier {
                    guard (0...4).contains(t) else { fail(CLIMessages.now.tierRange) }
                    sets.append(.tier(t))
                }
                if let tags {
                    let names = tags.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                    guard !names.isEmpty else { fail(CLIMessages.now.tagsNames) }
                    sets.append(.tags(names, any ? .any : .all))
                } else if any { fail(CLIMessages.now.anyWithTags) }
                if let province { sets.append(.region(province: province, city: city)) } else if city != nil { fail(CLIMessages.now.cityWithProvince) }
                if let list { sets.append(try SavedListFile.members(s, path: list)) }
                for c in channel {
                    guard let ch = Channel(rawValue: c.lowercased()) else { fail(CLIMessages.now.unknownChannel(c, Channel.keyList)) }
                    sets.append(.channel(ch))
                }
                guard !sets.isEmpty else { fail(CLIMessages.now.sayWhichMembersCampaign) }
                guard let bp = CampaignRules.parseHoldoutPercent(holdout) else { fail(CLIMessages.now.badHoldout(holdout)) }
                guard let window = Int(window.trimmingCharacters(in: .whitespaces)) else { fail(CLIMessages.now.badCampaignWindow(CampaignRules.maxWindowDays, window)) }
                let today = Clock.today()
                var startDay = today
                if let t = start {
                    guard let d = Day.parse(t) else { fail(CLIMessages.now.badDate("--start", t)) }
                    startDay = d
                }
                var seedValue = UInt64.random(in: 0...UInt64.max)
                if let seed {
                    guard let v = UInt64(seed.trimmingCharacters(in: .whitespaces)) else { fail(CLIMessages.now.badSeed(UInt64.max, seed)) }
                    seedValue = v
                }
                let made = try CampaignService(store: s).create(CampaignDraft(name: name, holdoutBasisPoints: bp, start: startDay, windowDays: window),
                                                                target: sets, seed: seedValue, today: today)
                let i = made.info
                if made.warnsDetectable {
                    printErr(CLIMessages.now.smallUplift(CampaignText.pointsUnsigned(made.minDetectableUplift)))
                }
                if json { try printJSON(CampaignJSON.Info(i, today: today)); return }
                print(CLIMessages.now.campaignCreated(i.name, id: i.id, members: i.targetSize, target: i.targetText, blacklisted: made.blacklistedLeftOut))
                print("  treatment \(CampaignFormat.grouped(i.treatmentSize)) · control \(CampaignFormat.grouped(i.controlSize)) (holdout \(CampaignRules.percentText(i.holdoutBasisPoints))%, seed \(i.seed))")
                print("  start \(i.start), window \(i.windowDays) days (until \(i.end.adding(days: -1))); treatment tagged \(i.tag ?? "-")")
                print("  smallest detectable uplift \(CampaignText.pointsUnsigned(made.minDetectableUplift)) (base repurchase rate \(i.baseRate.map(CampaignFormat.percent) ?? "undefined, 0.5 used"))")
                print("  send list: ecrm campaign export \(i.name) FILE")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Campaigns, newest first, with status and uplift (recomputed for those whose orders changed since).")
        @Flag(help: "JSON output.") var json = false
        @OptionGroup var store: StoreOptions
        func run() throws {
            try guarded {
                let today = Clock.today()
                let all = try CampaignService(store: try store.open()).refreshHeadlines(today: today)
                if json { try printJSON(all.map { CampaignJSON.Info($0, today: today) }); return }
                if all.isEmpty { print(CLIMessages.now.noCampaignsYet); return }
                print(TextColumns.row([("#", -4), ("name", 18), ("status", 8), ("start", 10), ("days", -4), ("target", -10), ("uplift", -8), ("p", -7)]))
                for c in all {
                    print(TextColumns.row([(String(c.id), -4), (c.name, 18), (c.status(today: today).rawValue, 8), (c.start.description, 10),
                                           (String(c.windowDays), -4), (CampaignFormat.grouped(c.targetSize), -10),
                                           (c.headlineUplift.map(CampaignFormat.points) ?? "-", -8), (c.headlinePValue.map(CampaignFormat.pValue) ?? "-", -7)]))
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "The outcome so far: both groups, uplift with its 95% interval and p-value, incremental revenue.")
        @Argument(help: "Campaign name or number.") var campaign: String
        @Flag(help: "JSON output.") var json = false
        @OptionGroup var store: StoreOptions
        func run() throws {
            try guarded {
                let r = try CampaignService(store: try store.open()).report(campaign)
                if json { try printJSON(CampaignJSON.Show(r)); return }
                print(CampaignText.render(r))
            }
        }
    }

    struct Members: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "members", abstract: "The frozen target with each member's group.")
        @Argument(help: "Campaign name or number.") var campaign: String
        @Option(help: "Only this group: treatment or control.") var group: String?
        @Flag(help: "JSON output.") var json = false
        @OptionGroup var store: StoreOptions
        func run() throws {
            try guarded {
                var only: CampaignGroup?
                if let g = group {
                    guard let x = CampaignGroup(rawValue: g) else { fail(CLIMessages.now.badGroup(g)) }
                    only = x
                }
                let (_, members) = try CampaignService(store: try store.open()).members(campaign)
                let rows = members.filter { only == nil || $0.group == only }
                if json { try printJSON(rows.map { CampaignJSON.Member(buyerId: $0.buyerId, group: $0.group.rawValue) }); return }
                for m in rows { print("\(m.buyerId)\t\(m.group.rawValue)") }
            }
        }
    }

    struct ExportList: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export",
            abstract: "Write the send list (the treatment group) as CSV with the export's columns; phones masked unless --reveal (owner, logged).")
        @Argument(help: "Campaign name or number.") var campaign: String
        @Argument(help: "Output CSV file.") var file: String
        @Flag(help: "Clear phone numbers (owner only; written to the audit log).") var reveal = false
        @Option(help: "utf-8, utf-8-bom (for Excel) or gb18030.") var encoding = "utf-8"
        @OptionGroup var store: StoreOptions
        func run() throws {
            try guarded {
                let enc: ListExport.Encoding
                switch encoding.lowercased() {
                case "utf-8", "utf8": enc = .utf8
                case "utf-8-bom", "utf8-bom", "excel": enc = .utf8BOM
                case "gb18030", "gbk": enc = .gb18030
                default: fail(CLIMessages.now.unknownEncoding(encoding, "utf-8, utf-8-bom, gb18030"))
                }
                let s = try store.open()
                let config = try RFMEngine.loadConfig(s)
                let (info, n) = try CampaignService(store: s).exportTreatment(campaign, to: file, settings: config.settings(asOf: Clock.today()),
                                                                              reveal: reveal, encoding: enc)
                print(CLIMessages.now.campaignExported(n, info.name, to: file, clear: reveal))
            }
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "close", abstract: "Close a campaign (owner): it no longer counts as running; its target and outcome stay.")
        @Argument(help: "Campaign name or number.") var campaign: String
        @OptionGroup var store: StoreOptions
        func run() throws {
            try guarded {
                let i = try CampaignService(store: try store.open()).close(campaign)
                print(CLIMessages.now.campaignClosed(i.name, id: i.id))
            }
        }
    }
}

/// The `--json` shapes (PRODUCT.md names, in the command line's camelCase; money in yuan, rates 0…1).
enum CampaignJSON {
    struct Group: Encodable {
        var members: Int, responders: Int, rate: Double, revenue: Double, revenuePerMember: Double
        init(_ g: GroupOutcome) {
            members = g.members; responders = g.responders; rate = g.rate
            revenue = Double(g.revenue) / 100; revenuePerMember = g.revenuePerMember / 100
        }
    }

    struct Info: Encodable {
        var id: Int64, name: String, status: String, running: Bool, start: String, windowDays: Int, target: Int
        var targetDescription: String, treatmentMembers: Int, controlMembers: Int, holdoutPercent: Double, seed: UInt64
        var tag: String?, baseRepurchaseRate: Double?, minDetectableUplift: Double, uplift: Double?, pValue: Double?
        init(_ i: CampaignInfo, today: Day) {
            id = i.id; name = i.name; status = i.status(today: today).rawValue; running = status == CampaignStatus.running.rawValue
            start = i.start.description; windowDays = i.windowDays; target = i.targetSize; targetDescription = i.targetText
            treatmentMembers = i.treatmentSize; controlMembers = i.controlSize; holdoutPercent = Double(i.holdoutBasisPoints) / 100
            seed = i.seed; tag = i.tag; baseRepurchaseRate = i.baseRate; minDetectableUplift = i.minDetectableUplift
            uplift = i.headlineUplift; pValue = i.headlinePValue
        }
    }

    struct Show: Encodable {
        var id: Int64, name: String, status: String, start: String, windowDays: Int, running: Bool, target: Int, targetDescription: String
        var holdoutPercent: Double, seed: UInt64, tag: String?
        var treatment: Group, control: Group
        var uplift: Double, upliftCi95: [Double], pValue: Double
        var incrementalRevenue: Double, incrementalRevenueCi95: [Double]
        var minDetectableUplift: Double, baseRepurchaseRate: Double?
        var overlap: Int, dailyUplift: [Double]
        init(_ r: CampaignReport) {
            let i = r.info, e = r.effect
            id = i.id; name = i.name; status = i.status(today: r.today).rawValue; start = i.start.description; windowDays = i.windowDays
            running = r.running; target = i.targetSize; targetDescription = i.targetText
            holdoutPercent = Double(i.holdoutBasisPoints) / 100; seed = i.seed; tag = i.tag
            treatment = Group(r.treatment); control = Group(r.control)
            uplift = e.uplift; upliftCi95 = [e.upliftLow, e.upliftHigh]; pValue = e.pValue
            incrementalRevenue = e.incrementalRevenue / 100; incrementalRevenueCi95 = [e.incrementalLow / 100, e.incrementalHigh / 100]
            minDetectableUplift = i.minDetectableUplift; baseRepurchaseRate = i.baseRate
            overlap = r.overlap; dailyUplift = r.daily
        }
    }

    struct Member: Encodable { var buyerId: String; var group: String }
}

/// The text of `campaign show`.
enum CampaignText {
    static func pointsUnsigned(_ d: Double) -> String { "\(CampaignFormat.points(d).drop { $0 == "+" }) pt" }

    static func render(_ r: CampaignReport) -> String {
        let i = r.info, e = r.effect
        let status = i.status(today: r.today)
        var head = "\(i.name) (#\(i.id)) \(status.rawValue)"
        if status == .running { head += ": day \(min(i.windowDays, max(0, r.today - i.start + 1))) of \(i.windowDays)" }
        var lines = [head + " (\(i.start) … \(i.end.adding(days: -1)))"]
        lines.append("target \(CampaignFormat.grouped(i.targetSize)) members: \(i.targetText) · holdout \(CampaignRules.percentText(i.holdoutBasisPoints))% · seed \(i.seed) · tag \(i.tag ?? "-")")
        lines.append(TextColumns.row([("", 16), ("treatment", -14), ("control", -14)]))
        func row(_ label: String, _ f: (GroupOutcome) -> String) -> String {
            TextColumns.row([(label, 16), (f(r.treatment), -14), (f(r.control), -14)])
        }
        lines.append(row("members") { CampaignFormat.grouped($0.members) })
        lines.append(row("responders") { CampaignFormat.grouped($0.responders) })
        lines.append(row("response rate") { CampaignFormat.percent($0.rate) })
        lines.append(row("revenue") { Money.display($0.revenue) })
        lines.append(row("revenue/member") { CampaignFormat.yuan($0.revenuePerMember) })
        lines.append("uplift \(CampaignFormat.points(e.uplift)) pt (95% CI \(CampaignFormat.points(e.upliftLow)) … \(CampaignFormat.points(e.upliftHigh))), p = \(CampaignFormat.pValue(e.pValue))")
        lines.append("incremental revenue \(CampaignFormat.yuan(e.incrementalRevenue)) (95% CI \(CampaignFormat.yuan(e.incrementalLow)) … \(CampaignFormat.yuan(e.incrementalHigh)))")
        lines.append("smallest detectable uplift \(pointsUnsigned(i.minDetectableUplift)) (base repurchase rate \(i.baseRate.map(CampaignFormat.percent) ?? "undefined, 0.5 used"))")
        lines.append("overlap: \(CampaignFormat.grouped(r.overlap)) of the target also in another running campaign")
        return lines.joined(separator: "\n")
    }
}
